#!/bin/bash
# Entrypoint of the test suite's Postgres + pgvector image. It keeps the contract of the official
# postgres image that devctl must cope with: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB /
# PGDATA, init scripts in /docker-entrypoint-initdb.d run by a socket-only temporary server, then
# the real server. It starts as root, fixes ownership and drops to the postgres user.
set -Eeo pipefail

PG_BIN=/usr/lib/postgresql/17/bin
export PATH="$PG_BIN:$PATH"
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"

if [ "${1:0:1}" = '-' ] || [ "$#" -eq 0 ]; then
	set -- postgres "$@"
fi

if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chmod 00700 "$PGDATA" || :
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 03775 /var/run/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ "$1" = 'postgres' ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != 'trust' ]; then
		echo >&2 'Error: Database is uninitialized and superuser password is not specified.'
		echo >&2 '       Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust).'
		exit 1
	fi
	pwfile=$(mktemp)
	printf '%s' "${POSTGRES_PASSWORD:-}" > "$pwfile"
	initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
		-D "$PGDATA" $POSTGRES_INITDB_ARGS
	rm -f "$pwfile"
	auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

	# The temporary server: socket only, so nothing outside sees it before init is done.
	pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start

	psql_base=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ "$POSTGRES_DB" != 'postgres' ]; then
		"${psql_base[@]}" --dbname postgres --set db="$POSTGRES_DB" <<-'SQL'
			CREATE DATABASE :"db" ;
		SQL
	fi
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh)     echo "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
			*.sql)    echo "running $f"; "${psql_base[@]}" --dbname "$POSTGRES_DB" -f "$f"; echo ;;
			*.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql_base[@]}" --dbname "$POSTGRES_DB"; echo ;;
			*)        [ -e "$f" ] && echo "ignoring $f" ;;
		esac
	done

	pg_ctl -D "$PGDATA" -m fast -w stop
	echo
	echo 'PostgreSQL init process complete; ready for start up.'
	echo
fi

if [ "$1" = 'postgres' ]; then
	shift
	exec postgres -c listen_addresses='*' "$@"
fi
exec "$@"
