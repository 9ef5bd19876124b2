#!/usr/bin/env bash
# Makes sure Debian's `chromium` is installed, for the browser suite (browser/run.sh).
set -euo pipefail
if command -v chromium >/dev/null; then
  exit 0
fi
echo "chromium is not installed: installing it with apt"
# postgres.sh may have updated the package lists in this run already.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -n 1)" ]; then
  apt-get update -q
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
