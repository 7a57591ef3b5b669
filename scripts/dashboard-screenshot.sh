#!/usr/bin/env bash
# Makes docs/images/dashboard.png: runs the dashboard's browser test (tests/Oms.Api.Tests/DashboardTests.cs), which
# places six weeks of orders, signs in to /dashboard in headless Chromium (Debian's chromium, installed when missing),
# checks that the charts drew, and saves what the browser shows.
# Usage: scripts/dashboard-screenshot.sh [output.png]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/docs/images/dashboard.png}")
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q --no-install-recommends chromium >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null)
  else sudo apt-get install -y -q --no-install-recommends chromium >/dev/null; fi
fi
cd "$root"
DASHBOARD_SCREENSHOT="$out" dotnet test tests/Oms.Api.Tests --filter "FullyQualifiedName~DashboardTests" -nologo -v q
echo "wrote $out"
