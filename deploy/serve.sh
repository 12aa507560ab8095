#!/usr/bin/env bash
# One command for a lecturer: K Streamlit processes behind nginx on PORT.
#   deploy/serve.sh [K] [PORT]      e.g. deploy/serve.sh 4 8080
# K defaults to deploy/serve.py's default_replicas() (two per core; why in docs/PERFORMANCE.md); pass "" to keep it
# and choose a port: deploy/serve.sh "" 9000
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${2:-8080}"
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
exec "$PY" -m deploy.serve ${1:+--replicas "$1"} --port "$PORT"
