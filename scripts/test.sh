#!/usr/bin/env bash
# The whole test suite, from a fresh machine: a Docker engine (started when missing), the suite's
# Postgres + pgvector image (built from Debian's packages when missing), then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-docker.sh
bash tests/image/build.sh >/dev/null
# The Alembic tests drive a real Alembic project, one of them through uv.
python3 -c 'import alembic, sqlalchemy, pg8000' 2>/dev/null ||
	python3 -m pip install --quiet alembic sqlalchemy pg8000
command -v uv >/dev/null || python3 -m pip install --quiet uv
cargo test --locked --tests "$@"
