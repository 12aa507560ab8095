#!/usr/bin/env bash
# One command for a lecturer: K Streamlit processes behind nginx on PORT.
#   deploy/serve.sh [K] [PORT]      e.g. deploy/serve.sh 2 8080   (K defaults to the number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."
K="${1:-$(nproc)}"
PORT="${2:-8080}"
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
exec "$PY" deploy/serve.py --replicas "$K" --port "$PORT"
