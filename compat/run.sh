#!/usr/bin/env bash
# Clerk's official backend clients against our server: builds `clerk`, installs
# the pinned @clerk/backend (npm ci) and clerk-backend-api (pip, into
# compat/.venv), then for each backend (SQLite on a temporary file; PostgreSQL on
# a fresh database at CLERK_TEST_POSTGRES_URL) starts `clerk serve` on a free
# loopback port with a known secret key and, in front of it, the e2e crate's
# validating proxy (every answer checked against Clerk's specs), runs
# compat/js/scenario.mjs and compat/python/scenario.py through the proxy, and
# stops both. Exits non-zero if any scenario fails or any answer breaks the spec. PostgreSQL is skipped (loudly) without CLERK_TEST_POSTGRES_URL,
# and required with CLERK_REQUIRE_POSTGRES=1.
set -euo pipefail

compat=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$compat")
cd "$root"

step() { printf '\n--> %s\n' "$*"; }

# State for the cleanup trap: the running server, its files, its database.
server_pid=""
proxy_pid=""
workdir=""
pg_database=""

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

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

drop_database() {
  if [ -n "$pg_database" ]; then
    psql "$CLERK_TEST_POSTGRES_URL" -qAtc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null || true
  fi
  pg_database=""
}

cleanup() {
  stop_proxy || true
  stop_server
  drop_database
  if [ -n "$workdir" ]; then
    rm -rf "$workdir"
  fi
  workdir=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "build clerk and the validating proxy"
cargo build -p clerk-cli -p e2e --bin clerk --bin validating-proxy --locked
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
clerk_bin="$target_dir/debug/clerk"
proxy_bin="$target_dir/debug/validating-proxy"

step "install @clerk/backend (compat/js, npm ci)"
(cd "$compat/js" && npm ci --no-audit --no-fund --loglevel=error)

step "install clerk-backend-api (compat/python/requirements.txt into compat/.venv)"
if [ ! -x "$compat/.venv/bin/python" ]; then
  python3 -m venv "$compat/.venv"
fi
"$compat/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$compat/python/requirements.txt"

backends=(sqlite)
if [ -n "${CLERK_TEST_POSTGRES_URL:-}" ]; then
  backends+=(postgres)
elif [ "${CLERK_REQUIRE_POSTGRES:-}" = "1" ]; then
  echo "CLERK_REQUIRE_POSTGRES=1 but CLERK_TEST_POSTGRES_URL is not set" >&2
  exit 1
else
  echo "!!! SKIPPED on Postgres: set CLERK_TEST_POSTGRES_URL=postgres://… to run the compat suite on PostgreSQL too"
fi

# The URL of a PostgreSQL database named $2 on the server of URL $1.
database_url() {
  python3 - "$1" "$2" <<'EOF'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
EOF
}

# Waits for the banner of `clerk serve`, prints the base URL it listens on.
wait_for_banner() {
  local out=$1
  for _ in $(seq 1 600); do
    if grep -q "Press Ctrl-C to stop." "$out" 2>/dev/null; then
      sed -n 's/^Clerk Backend API server listening on \(http:[^ ]*\)$/\1/p' "$out"
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      return 1
    fi
    sleep 0.1
  done
  return 1
}

# Waits until the server answers its unauthenticated JWKS endpoint with 200.
wait_until_answering() {
  python3 - "$1/.well-known/jwks.json" <<'EOF'
import sys, time, urllib.request
for _ in range(100):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
EOF
}

failed=()
for backend in "${backends[@]}"; do
  step "compat on $backend"
  workdir=$(mktemp -d)
  case "$backend" in
    sqlite)
      db_url="sqlite://$workdir/clerk.db"
      ;;
    postgres)
      pg_database="clerk_compat_$(date +%s)_$$"
      psql "$CLERK_TEST_POSTGRES_URL" -qAtc "CREATE DATABASE $pg_database" >/dev/null
      db_url=$(database_url "$CLERK_TEST_POSTGRES_URL" "$pg_database")
      ;;
  esac
  secret_key="sk_test_compat_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

  "$clerk_bin" serve --listen 127.0.0.1:0 --database-url "$db_url" --secret-key "$secret_key" \
    >"$workdir/stdout" 2>"$workdir/stderr" &
  server_pid=$!
  if ! base_url=$(wait_for_banner "$workdir/stdout") || [ -z "$base_url" ] ||
    ! wait_until_answering "$base_url"; then
    echo "clerk serve did not start on $backend; its output:" >&2
    cat "$workdir/stdout" "$workdir/stderr" >&2
    exit 1
  fi
  echo "clerk serve on $backend: $base_url"

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
  if ! (cd "$compat/js" && node scenario.mjs); then
    failed+=("js on $backend")
  fi
  if ! "$compat/.venv/bin/python" "$compat/python/scenario.py"; then
    failed+=("python on $backend")
  fi
  if ! stop_proxy; then
    failed+=("spec violations on $backend")
  fi
  cat "$workdir/proxy.stderr"
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "--- the server's log (last 40 lines):"
    tail -n 40 "$workdir/stderr"
  fi
  cleanup
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\ncompat FAILED: %s\n' "$(IFS=,; echo "${failed[*]}")" >&2
  exit 1
fi
printf '\ncompat: every scenario passed on %s\n' "${backends[*]}"
