#!/usr/bin/env bash
# Clerk's official backend clients against our server: builds `clerk`, installs
# the pinned @clerk/backend and svix (npm ci) and clerk-backend-api,
# standardwebhooks and svix (pip, into compat/.venv), then for each backend
# (SQLite on a temporary file; PostgreSQL on a fresh database at
# CLERK_TEST_POSTGRES_URL) starts `clerk serve` on a free loopback port with a
# known secret key and, in front of it, the e2e crate's validating proxy (every
# answer checked against Clerk's specs), runs every scenario of
# the list below through the proxy,
# and stops both. Exits non-zero if any scenario fails or any answer breaks the
# spec. PostgreSQL is skipped (loudly) without CLERK_TEST_POSTGRES_URL, and
# required with CLERK_REQUIRE_POSTGRES=1.
set -euo pipefail

compat=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$compat")
cd "$root"

# shellcheck source=compat/lib.sh
. "$compat/lib.sh"
on_exit_clean_up

proxy_pid=""

# Stops the validating proxy; its exit status says whether every answer kept the spec.
stop_proxy() {
  local status=0
  if [ -n "$proxy_pid" ]; then
    kill -TERM "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" || status=$?
  fi
  proxy_pid=""
  return "$status"
}
clean_up_extra() { stop_proxy; }

step "build clerk and the validating proxy"
build_binaries
clerk_bin="$(target_dir)/debug/clerk"
proxy_bin="$(target_dir)/debug/validating-proxy"

step "install @clerk/backend and svix (compat/js, npm ci)"
(cd "$compat/js" && npm ci --no-audit --no-fund --loglevel=error)

step "install clerk-backend-api, standardwebhooks and svix (compat/python/requirements.txt into compat/.venv)"
if [ ! -x "$compat/.venv/bin/python" ]; then
  python3 -m venv "$compat/.venv"
fi
"$compat/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$compat/python/requirements.txt"

# The scenarios, one per line: a file of compat/js (node) or compat/python (the venv's python).
scenarios=(
  scenario.mjs
  organizations.mjs
  webhooks.mjs
  lists.mjs
  waitlist.mjs
  sign_ups.mjs
  tickets.mjs
  jwt_templates.mjs
  instance.mjs
  user_extras.mjs
  api_keys.mjs
  machines.mjs
  scenario.py
  organizations.py
  webhooks.py
  lists.py
  waitlist.py
  verification.py
  sign_ups.py
  tickets.py
  jwt_templates.py
  instance.py
  message_templates.py
  user_extras.py
  api_keys.py
  machines.py
)
# COMPAT_ONLY="tickets.mjs tickets.py" runs just those (for working on one resource).
if [ -n "${COMPAT_ONLY:-}" ]; then
  read -ra scenarios <<<"$COMPAT_ONLY"
fi

backends=(sqlite)
if postgres_available "the compat suite"; then
  backends+=(postgres)
fi

failed=()
for backend in "${backends[@]}"; do
  step "compat on $backend"
  start_server "$backend" clerk_compat sk_test_compat

  "$proxy_bin" "$base_url" >"$workdir/proxy.stdout" 2>"$workdir/proxy.stderr" &
  proxy_pid=$!
  proxy_url=""
  for _ in $(seq 1 100); do
    proxy_url=$(head -n 1 "$workdir/proxy.stdout" 2>/dev/null || true)
    [ -n "$proxy_url" ] && break
    sleep 0.1
  done
  if [ -z "$proxy_url" ]; then
    echo "the validating proxy did not start; its output:" >&2
    cat "$workdir/proxy.stderr" >&2
    exit 1
  fi
  echo "validating proxy in front of it: $proxy_url"

  export COMPAT_API_URL="$proxy_url" COMPAT_SECRET_KEY="$secret_key"
  for scenario in "${scenarios[@]}"; do
    case "$scenario" in
      *.mjs) runner=(node "$compat/js/$scenario") ;;
      *.py) runner=("$compat/.venv/bin/python" "$compat/python/$scenario") ;;
    esac
    # JS scenarios import their packages from compat/js/node_modules, so run them there.
    if ! (cd "$compat/js" && "${runner[@]}"); then
      failed+=("$scenario on $backend")
    fi
  done
  if ! stop_proxy; then
    failed+=("spec violations on $backend")
  fi
  cat "$workdir/proxy.stderr"
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "--- the server's log (last 40 lines):"
    tail -n 40 "$workdir/stderr"
  fi
  clean_up_run
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\ncompat FAILED: %s\n' "$(IFS=,; echo "${failed[*]}")" >&2
  exit 1
fi
printf '\ncompat: every scenario passed on %s\n' "${backends[*]}"
