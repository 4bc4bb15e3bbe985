#!/usr/bin/env bash
# Prepare what the test suite needs beyond Python packages, then write build/test-env.sh:
#  - Chromium (Debian package) for the browser tests;
#  - Pango for PDF rendering;
#  - a PostgreSQL server: $BACKSTRIDE_TEST_DATABASE_URL if set, else one answering on
#    127.0.0.1:5432 (database "test", trust auth), else a private throw-away cluster
#    installed from Debian packages and started on 127.0.0.1:54329.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_updated=0
apt_install() {
  # Wait for another apt/dpkg run instead of failing on its lock.
  local lock=(-o DPkg::Lock::Timeout=600)
  if [ "$apt_updated" -eq 0 ]; then $SUDO apt-get "${lock[@]}" update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${lock[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v chromium >/dev/null 2>&1 || { echo "installing chromium"; apt_install chromium fonts-dejavu-core; }
# A C compiler builds the FIT decoder's compiled core (the tests compare it with the
# pure-Python decoder); installed after the first install, the package is rebuilt.
if ! command -v cc >/dev/null 2>&1; then
  echo "installing a C compiler"; apt_install gcc libc6-dev
  [ -x .tools/bin/uv ] && .tools/bin/uv sync --quiet --frozen --all-extras --inexact --reinstall-package backstride
fi
ldconfig -p | grep -q libpangoft2-1.0 || { echo "installing pango"; apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

url="${BACKSTRIDE_TEST_DATABASE_URL:-}"
if [ -z "$url" ]; then
  # BACKSTRIDE_TEST_PRIVATE_PG=1 skips the shared server (to exercise the fallback).
  if [ -z "${BACKSTRIDE_TEST_PRIVATE_PG:-}" ] && python3 - <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(s.connect_ex(("127.0.0.1", 5432)))
PY
  then
    url="postgresql+psycopg://postgres@127.0.0.1:5432/test"
  else
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$bin" ]; then echo "installing postgresql"; apt_install postgresql; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
    data=/tmp/backstride-test-pg
    if ! python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',54329)))" 2>/dev/null; then
      rm -rf "$data"; mkdir -p "$data"
      runas=(); [ "$(id -u)" -eq 0 ] && { chown postgres "$data"; runas=(su postgres -s /bin/sh -c); }
      if [ ${#runas[@]} -gt 0 ]; then
        "${runas[@]}" "$bin/initdb -D $data -A trust -U postgres >/dev/null && $bin/pg_ctl -D $data -o '-p 54329 -k /tmp -c listen_addresses=127.0.0.1' -l $data/log -w start >/dev/null && $bin/createdb -h 127.0.0.1 -p 54329 -U postgres test"
      else
        "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
        "$bin/pg_ctl" -D "$data" -o "-p 54329 -k /tmp -c listen_addresses=127.0.0.1" -l "$data/log" -w start >/dev/null
        "$bin/createdb" -h 127.0.0.1 -p 54329 -U postgres test
      fi
    fi
    url="postgresql+psycopg://postgres@127.0.0.1:54329/test"
  fi
fi
echo "export BACKSTRIDE_TEST_DATABASE_URL='$url'" > build/test-env.sh
echo "test database: $url"
