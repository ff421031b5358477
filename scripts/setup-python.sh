#!/usr/bin/env bash
# Creates .venv with the independent Parquet readers the tests compare against.
# Idempotent: does nothing when the venv already has them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ] && .venv/bin/python -c 'import pyarrow, duckdb, polars' 2>/dev/null; then
  exit 0
fi
python3 -m venv .venv
# The machine reaches only the local wheel mirror: do not spend minutes retrying the public index.
.venv/bin/pip install --quiet --retries 0 --timeout 10 pyarrow duckdb polars
.venv/bin/python -c 'import pyarrow, duckdb, polars; print("pyarrow", pyarrow.__version__, "duckdb", duckdb.__version__, "polars", polars.__version__)'
