#!/usr/bin/env bash
# The browser suite: Clerk's browser SDK (clerk-js, pinned in browser/package.json) in
# headless Chromium (Debian's `chromium`) against `clerk serve`, on SQLite and on a fresh
# PostgreSQL database (CLERK_TEST_POSTGRES_URL; required with CLERK_REQUIRE_POSTGRES=1).
# The pinned npm packages are installed once into <target>/browser-harness (again only when
# browser/package-lock.json changes); every request outside loopback is blocked.
# BROWSER_ONLY="sign_in.mjs" runs a subset. Exits non-zero if a scenario fails.
# dashboard.mjs saves screenshots of the dashboard's pages into $BROWSER_ARTIFACTS (default
# target/browser-artifacts).
set -euo pipefail

browser_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$browser_dir")
cd "$root"

# shellcheck source=compat/lib.sh
. "$root/compat/lib.sh"
on_exit_clean_up

scenarios=(
  sign_in.mjs
  sign_up.mjs
  organizations.mjs
  ssr.mjs
  example_app.mjs
  dev_browser.mjs
  invitations.mjs
  org_components.mjs
  dashboard.mjs
)
if [ -n "${BROWSER_ONLY:-}" ]; then
  read -ra scenarios <<<"$BROWSER_ONLY"
fi

if ! command -v "${CHROMIUM:-chromium}" >/dev/null; then
  echo "chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi

step "build clerk and the example app"
build_binaries
clerk_bin="$(target_dir)/debug/clerk"
export EXAMPLE_APP_BIN="$(target_dir)/debug/clerk-example-browser-app"

harness="$(target_dir)/browser-harness"
if ! cmp -s "$browser_dir/package-lock.json" "$harness/package-lock.json"; then
  step "install playwright-core and @clerk/clerk-js into $harness (npm ci)"
  rm -rf "$harness"
  mkdir -p "$harness"
  cp "$browser_dir/package.json" "$browser_dir/package-lock.json" "$harness/"
  (cd "$harness" && npm ci --no-audit --no-fund --loglevel=error)
fi
export BROWSER_MODULES="$harness"

backends=(sqlite)
if postgres_available "the browser suite"; then
  backends+=(postgres)
fi

failed=()
for backend in "${backends[@]}"; do
  step "browser scenarios on $backend"
  start_server "$backend" clerk_browser sk_test_browser
  # @clerk/backend would post telemetry to clerk-telemetry.com from a development instance.
  export CLERK_TELEMETRY_DISABLED=1 CLERK_API_URL="$base_url" CLERK_SECRET_KEY="$secret_key"
  for scenario in "${scenarios[@]}"; do
    if ! node "$browser_dir/$scenario"; then
      failed+=("$scenario on $backend")
    fi
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "--- the server's log (last 40 lines):"
    tail -n 40 "$workdir/stderr"
  fi
  clean_up_run
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nbrowser FAILED: %s\n' "$(IFS=,; echo "${failed[*]}")" >&2
  exit 1
fi
printf '\nbrowser: every scenario passed on %s\n' "${backends[*]}"
