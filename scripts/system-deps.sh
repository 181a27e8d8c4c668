#!/usr/bin/env bash
# Installs the system programs the test suite drives for real: redis-server (the Redis and BullMQ
# packages' tests start their own server), postgresql (the Postgres package's tests run initdb and
# pg_ctl in a temp dir; the package's own cluster is not used) and chromium (the dashboard's
# browser tests). Run by `pnpm install` (prepare) and `pnpm test`, so the README's two commands
# set up a fresh machine. Nothing is downloaded at test time: all come from the system's packages, as root, once.
# With --warn (as `pnpm install` calls it) a machine that cannot install them gets the message
# and the install goes on; `pnpm test` fails there instead, since those tests need them.
set -euo pipefail
on_failure=1
[ "${1:-}" = "--warn" ] && on_failure=0

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "apogee: ${missing[*]} not installed, and this script can only install with apt-get as root." >&2
  echo "apogee: install them with your package manager (e.g. sudo apt-get install -y ${missing[*]}), then rerun." >&2
  exit "$on_failure"
fi
echo "apogee: installing ${missing[*]} from the system packages (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "apogee: installed ${missing[*]}." >&2
