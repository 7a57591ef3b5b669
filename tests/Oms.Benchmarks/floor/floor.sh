#!/usr/bin/env bash
# PostgreSQL's own floor for the checkout's durable writes: pgbench, on a throwaway server with the benchmark's settings
# (fsync and synchronous_commit on, Unix socket), runs one transaction per checkout that writes what a checkout writes
# (about eighteen rows in nine tables and one conditional stock update) with no API in front.
# The checkout benchmark's throughput divided by this figure is the share that is compared between runs and machines.
# Usage: tests/Oms.Benchmarks/floor/floor.sh [seconds=20] [clients="16 64"]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-20}
clients=${2:-16 64}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/oms-floor-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; as=(runuser -u postgres --); fi
port=$(( 20000 + RANDOM % 20000 ))
"${as[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses='' -c max_connections=300 -c shared_buffers=128MB" start >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
psql=("$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -f "$here/schema.sql" >/dev/null
cp "$here/checkout.sql" "$dir/checkout.sql"; chmod a+r "$dir/checkout.sql"
for c in $clients; do
  tps=$("${as[@]}" "$bin/pgbench" -h "$dir" -p "$port" -U postgres -n -M prepared -c "$c" -j 2 -T "$seconds" -f "$dir/checkout.sql" postgres \
        | awk '/^tps/ { print $3; exit }')
  printf 'floor %s clients: %s transactions/s\n' "$c" "$tps"
done
