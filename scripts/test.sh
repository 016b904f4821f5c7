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
if ! command -v uv >/dev/null; then
	python3 -m pip install --quiet uv
	if command -v pyenv >/dev/null; then pyenv rehash; fi
fi
cargo test --locked --tests "$@"
