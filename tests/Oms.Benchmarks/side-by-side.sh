#!/usr/bin/env bash
# Every scenario next to PostgreSQL's own floor, in one run on this machine (issue 35): first the floor for the
# checkout's durable writes (floor/floor.sh: pgbench, no API), then the benchmark's scenarios, each printed as a share of
# that floor, so the figures mean the same on a slower or a faster machine. A share compares one scenario's units per
# second with the floor's transactions per second at the same number of clients (16 unless the row says 64).
# The webhook row offers orders open loop at 80 % of the one-request checkout's closed-loop figure just measured, to one
# subscriber to '*' and then to ten to 'order.*', and says whether delivery kept up (its p99 over the run; the backlog
# left is given a minute to drain).
# Usage: tests/Oms.Benchmarks/side-by-side.sh [seconds=20]   (about 10 minutes at 20 s; needs the PostgreSQL server binaries)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
warmup=$(( seconds / 2 > 5 ? seconds / 2 : 5 ))
out="$root/artifacts/bench/side-by-side"
mkdir -p "$out"
dotnet build -c Release "$root/tests/Oms.Benchmarks" -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true # its servers would take CPU from the runs
bench=(dotnet "$root/tests/Oms.Benchmarks/bin/Release/net10.0/Oms.Benchmarks.dll")

floor=$("$here/floor/floor.sh" "$seconds" "16 64")
echo "$floor"
floor16=$(awk '/floor 16 clients/ { printf "%d", $4 }' <<<"$floor")
floor64=$(awk '/floor 64 clients/ { printf "%d", $4 }' <<<"$floor")

rows=()
per_second() { sed -n 's/^  "perSecond": \([0-9.]*\),$/\1/p' "$1"; }
field() { sed -n "s/^  \"$2\": \([0-9.]*\),\$/\1/p" "$1"; }
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f %%", 100 * a / b }'; }

run() { # name users floor args...
  local name=$1 users=$2 base=$3; shift 3
  local file="$out/$name.json"
  "${bench[@]}" "$@" --users "$users" --seconds "$seconds" --warmup "$warmup" --out "$file" >"$out/$name.log" 2>&1 || echo "$name: see $out/$name.log" >&2
  local rate; rate=$(per_second "$file")
  rows+=("| $name | $users | $rate/s | $(field "$file" apiCpuMsPerUnit) + $(field "$file" postgresCpuMsPerUnit) ms | $(field "$file" sqlStatementsPerUnit) | $base | $(share "$rate" "$base") |")
  echo "$name: $rate/s" >&2
}

run "checkout, one request" 16 "$floor16" checkout --flow single
single16=$(per_second "$out/checkout, one request.json")
run "checkout, one request (64 users)" 64 "$floor64" checkout --flow single
run "checkout, three requests" 16 "$floor16" checkout --flow separate
run "checkout, card (fake Stripe on loopback)" 16 "$floor16" checkout --flow card
run "read: one order by id" 16 "$floor16" reads --read by-id
run "read: one order by number" 16 "$floor16" reads --read by-number
run "read: a list page of 50" 16 "$floor16" reads --read list
run "read: a GraphQL page of 50 with lines" 16 "$floor16" reads --read graphql

rate=$(awk -v r="$single16" 'BEGIN { printf "%d", 0.8 * r }')
hooks=()
for setup in "1 *" "10 order.*"; do
  read -r subscribers filter <<<"$setup"
  log="$out/webhooks-$subscribers.log"
  "${bench[@]}" webhooks --rate "$rate" --seconds "$seconds" --drain 60 --subscribers "$subscribers" --filter "$filter" >"$log" 2>&1 || true
  line=$(grep -E '^\| [0-9]' "$log" | tail -n 1 || true)
  windows=$(grep -E '^p99 ms per' "$log" || true)
  hooks+=("" "Webhooks: $rate orders/s offered (80 % of the one-request checkout's $single16/s), $subscribers subscriber(s) to '$filter'"
          "$(grep -E '^\| orders placed' "$log" | tail -n 1 || true)" "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
          "${line:-(no result: see $log)}" "$windows")
done

echo
echo "Side by side, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $seconds s per scenario"
echo "| scenario | users | units/s | CPU per unit (API + PostgreSQL) | SQL statements per unit | floor (pgbench transactions/s) | share of the floor |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
printf '%s\n' "${hooks[@]}"
