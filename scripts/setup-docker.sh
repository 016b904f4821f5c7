#!/usr/bin/env bash
# Makes sure a Docker engine answers, and that the tools the test suite needs are installed.
# On a machine where `docker info` gets no answer, installs Debian's docker.io and starts dockerd
# in the background (as root). Safe to run again: it only acts on what is missing.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker >/dev/null || need+=(docker.io)
command -v flock >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
	echo "installing: ${need[*]}" >&2
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >&2
fi

if ! docker info >/dev/null 2>&1; then
	echo "starting dockerd in the background" >&2
	as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 &'
	for _ in $(seq 1 60); do
		docker info >/dev/null 2>&1 && break
		sleep 1
	done
	docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /tmp/dockerd.log" >&2; tail -20 /tmp/dockerd.log >&2; exit 1; }
fi
