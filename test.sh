#!/usr/bin/env bash
# Runs kguide's tests (setting up first, without building the sample, if needed).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --test-tools
exec .venv/bin/python -m pytest -q "$@"
