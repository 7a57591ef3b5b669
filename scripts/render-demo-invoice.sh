#!/usr/bin/env bash
# Renders the first page of a demo invoice to docs/images/demo-invoice.png: starts the API on a throwaway SQLite
# database with the demo data (which confirms orders, so invoices are issued), downloads the first invoice as PDF,
# and turns its first page into a PNG with pdftoppm (Debian's poppler-utils, installed when missing).
# Usage: scripts/render-demo-invoice.sh [output.png]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/images/demo-invoice.png}
if ! command -v pdftoppm >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q poppler-utils >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q poppler-utils >/dev/null)
  else sudo apt-get install -y -q poppler-utils >/dev/null; fi
fi
work=$(mktemp -d /tmp/oms-demo-invoice-XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
dotnet build -c Release "$root/src/Oms.Api" -v q -nologo >/dev/null
( cd "$root/src/Oms.Api" && ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" \
    ConnectionStrings__Sqlite="Data Source=$work/oms.db" Logging__LogLevel__Default=Warning \
    dotnet "bin/Release/net10.0/Oms.Api.dll" >"$work/api.log" 2>&1 ) &
api=$!
trap 'kill $api 2>/dev/null || true; wait $api 2>/dev/null || true; rm -rf "$work"' EXIT
api_url="http://127.0.0.1:$port/api/v1"
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
key=$(cat "$work/dev-api-key.txt")
id=""
for _ in $(seq 1 60); do
  id=$(curl -sf -H "Authorization: Bearer $key" "$api_url/documents?kind=invoice&limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d[0]["id"] if d else "")')
  [ -n "$id" ] && break; sleep 1
done
[ -n "$id" ] || { echo "no demo invoice was issued" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $key" -o "$work/invoice.pdf" "$api_url/documents/$id/pdf"
pdftoppm -png -r 96 -f 1 -l 1 -singlefile "$work/invoice.pdf" "${out%.png}"
echo "written: $out (invoice $id)"
