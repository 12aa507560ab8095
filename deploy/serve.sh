#!/usr/bin/env bash
# One command for a lecturer: K Streamlit processes behind nginx on PORT.
#   deploy/serve.sh [K] [PORT]      e.g. deploy/serve.sh 4 8080   (K defaults to twice the number of cores:
#   on 2 cores, 4 processes served 200 students at a 98 ms p95 against 332 ms for 2; docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "$0")/.."
K="${1:-$(( 2 * $(nproc) ))}"
PORT="${2:-8080}"
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
exec "$PY" deploy/serve.py --replicas "$K" --port "$PORT"
