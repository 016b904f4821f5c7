#!/usr/bin/env bash
# Builds the test suite's Postgres 17 + pgvector image from Debian's packages, since no container
# registry is reachable: debootstrap a minimal trixie, add postgresql-17 and its pgvector package
# (and redis-server, for the compose projects whose second service is Redis),
# then `docker import` it with this directory's entrypoint. The tag carries a hash of this directory,
# so an unchanged image is built once and reused.
#
# Usage: tests/image/build.sh            prints the tag, building the image when it is missing
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hash=$(cat "$here/build.sh" "$here/docker-entrypoint.sh" | sha256sum | cut -c1-12)
tag="devctl-test/pgvector:pg17-$hash"

if docker image inspect "$tag" >/dev/null 2>&1; then
	echo "$tag"
	exit 0
fi

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >&2; }

# One build at a time on this machine; a second caller waits and then finds the image.
exec 9>"/tmp/devctl-test-image-$hash.lock"
flock 9
if docker image inspect "$tag" >/dev/null 2>&1; then
	echo "$tag"
	exit 0
fi

root=$(mktemp -d /tmp/devctl-image-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "building $tag in $root" >&2
debootstrap --variant=minbase --include=postgresql-17,postgresql-17-pgvector,redis-server \
	trixie "$root" http://deb.debian.org/debian >&2

# The package's own cluster and caches are not part of the image.
rm -rf "$root/var/lib/postgresql/17" "$root/etc/postgresql/17" "$root/var/cache/apt/archives/"*.deb \
	"$root/var/lib/apt/lists/"*
mkdir -p "$root/docker-entrypoint-initdb.d" "$root/var/lib/postgresql/data"
install -m 0755 "$here/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"

tar -C "$root" -c . | docker import \
	--change 'ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV PGDATA=/var/lib/postgresql/data' \
	--change 'ENV LANG=C.UTF-8' \
	--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
	--change 'CMD ["postgres"]' \
	--change 'EXPOSE 5432' \
	- "$tag" >&2
echo "$tag"
