#!/usr/bin/env bash
# Installs what `make run` (mode "run"), `make test` (mode "test") or
# `make scale` (mode "scale") needs and is missing. As root it uses apt-get; otherwise it says what to install.
set -euo pipefail
mode="${1:-run}"

have_pg_server() {
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -n "$d" ] && [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && return 0
  done
  command -v postgres >/dev/null && command -v initdb >/dev/null && command -v pg_ctl >/dev/null
}

missing=()
have_pg_server || missing+=(postgresql)
# HAProxy balances the instances of the scale run and of its test.
if [ "$mode" = test ] || [ "$mode" = scale ]; then
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
fi
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v zbarimg >/dev/null || missing+=(zbar-tools)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  # openpyxl reads the XLSX exports in read-only mode (internal/xlsxtest).
  /usr/bin/python3 -c 'import openpyxl' 2>/dev/null || python3 -c 'import openpyxl' 2>/dev/null || missing+=(python3-openpyxl)
  # icalendar reads the .ics files back (internal/ics).
  /usr/bin/python3 -c 'import icalendar' 2>/dev/null || missing+=(python3-icalendar)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}" >&2
    echo "install them with your package manager (Debian/Ubuntu: sudo apt-get install ${missing[*]})" >&2
    if [ "$mode" = run ]; then
      echo "or set DATABASE_URL to an existing PostgreSQL database" >&2
    fi
    exit 1
  fi
fi

# As root the private PostgreSQL runs as the unprivileged account attend-pg
# (PostgreSQL refuses root). The server never creates accounts; this does.
if [ "$(id -u)" = 0 ] && ! id attend-pg >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group attend-pg 2>/dev/null ||
    id attend-pg >/dev/null 2>&1 || { echo "cannot create the system user attend-pg" >&2; exit 1; }
fi

if [ "$mode" = test ] && [ -f .ci/install-tools.sh ]; then
  bash .ci/install-tools.sh
fi
