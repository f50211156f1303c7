#!/usr/bin/env bash
# make scale: attend beyond one machine, on engines people already run.
#
# Starts a throwaway PostgreSQL primary on its own port (never the machine's
# 5432 server), a streaming replica made from it by pg_basebackup, and runs
# bin/attend-scale: three attend instances behind HAProxy, reports from the
# replica, door and registration load through the balancer with one instance
# killed and one restarted, then the database checked against every answer.
# Everything is removed at the end. Extra arguments go to attend-scale
# (e.g. --duration 60s --devices 32).
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/install-deps.sh scale

pgbin=""
for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_basebackup" ]; then pgbin="$d"; fi
done
[ -n "$pgbin" ] || { echo "no PostgreSQL server binaries (initdb, pg_basebackup)" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root it runs as attend-pg.
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u attend-pg --); fi

free_port() {
  local p
  for p in $(shuf -i 40000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port" >&2; return 1
}

work=$(mktemp -d /tmp/attend-scale-XXXXXX)
chmod 711 "$work"
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown attend-pg:attend-pg "$work/pg"
primary="$work/pg/primary" replica="$work/pg/replica"
pport=$(free_port) rport=$(free_port)
while [ "$rport" = "$pport" ]; do rport=$(free_port); done

cleanup() {
  for d in "$replica" "$primary"; do
    [ -f "$d/postmaster.pid" ] && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'): primary on 127.0.0.1:$pport, replica on 127.0.0.1:$rport"
"${as_pg[@]}" "$pgbin/initdb" -D "$primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
cat >>"$primary/postgresql.conf" <<EOF
port = $pport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/pg'
max_connections = 200
shared_buffers = 256MB
wal_level = replica
max_wal_senders = 4
wal_keep_size = 1GB
hot_standby_feedback = on
EOF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$primary" -l "$work/pg/primary.log" -w start >/dev/null
"${as_pg[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$pport" -U postgres -qc 'CREATE DATABASE attend' >/dev/null

# The replica: a base backup that streams the WAL written meanwhile and
# writes standby.signal and primary_conninfo (-R).
"${as_pg[@]}" "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$replica" -R -X stream -c fast
sed -i "s/^port = $pport/port = $rport/" "$replica/postgresql.conf"
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$replica" -l "$work/pg/replica.log" -w start >/dev/null
state=$("${as_pg[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$pport" -U postgres -Atc "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication")
echo "== streaming replica: $state"

echo "== building bin/attend and bin/attend-scale"
make -s build >/dev/null
go build -trimpath -o bin/attend-scale ./cmd/attend-scale

echo "== uptime: $(uptime)"
status=0
./bin/attend-scale --attend bin/attend \
  --database-url "postgres://postgres@127.0.0.1:$pport/attend?sslmode=disable" \
  --replica-url "postgres://postgres@127.0.0.1:$rport/attend?sslmode=disable" "$@" || status=$?
echo "== uptime: $(uptime)"
exit $status
