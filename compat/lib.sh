# Shared by compat/run.sh and compat/schemathesis.sh (sourced, not run): starting a fresh
# `clerk serve` on SQLite or on a new PostgreSQL database, and cleaning it all up.
#
# Callers set `set -euo pipefail`, source this file, call `on_exit_clean_up`, and then for
# each run: `start_server <sqlite|postgres> <database name prefix> <secret key prefix>`
# (sets $workdir, $secret_key and $base_url), their tests, and `clean_up_run`. A caller
# with more to stop defines `clean_up_extra` before a run starts.

step() { printf '\n--> %s\n' "$*"; }

# State of the current run, for clean_up_run.
server_pid=""
workdir=""
pg_database=""

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

# Stops what the current run started and removes its files and database.
clean_up_run() {
  if declare -F clean_up_extra >/dev/null; then
    clean_up_extra || true
  fi
  stop_server
  drop_database
  if [ -n "$workdir" ]; then
    rm -rf "$workdir"
  fi
  workdir=""
}

on_exit_clean_up() {
  trap clean_up_run EXIT
  trap 'exit 130' INT TERM
}

# Builds every binary of the workspace (clerk, the validating proxy, the example app) with
# the features `cargo test --workspace --all-features` resolves: every target, so that
# dev-dependencies' features are on as in the test build. After CI's test build this only
# links; `-p clerk-cli` or `--bins` alone resolve other features and compiled 21 to 72
# crates again, each time.
build_binaries() {
  cargo build --workspace --all-features --all-targets --locked
}

# The cargo target directory (where `cargo build` put the binaries).
target_dir() {
  cargo metadata --format-version 1 --no-deps --locked |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# True when the PostgreSQL runs should happen: CLERK_TEST_POSTGRES_URL is set. Without
# it, says so loudly, or fails when CLERK_REQUIRE_POSTGRES=1. $1 names the suite.
postgres_available() {
  if [ -n "${CLERK_TEST_POSTGRES_URL:-}" ]; then
    return 0
  fi
  if [ "${CLERK_REQUIRE_POSTGRES:-}" = "1" ]; then
    echo "CLERK_REQUIRE_POSTGRES=1 but CLERK_TEST_POSTGRES_URL is not set" >&2
    exit 1
  fi
  echo "!!! SKIPPED on Postgres: set CLERK_TEST_POSTGRES_URL=postgres://… to run $1 on PostgreSQL too"
  return 1
}

# The URL of a PostgreSQL database named $2 on the server of URL $1.
database_url() {
  python3 - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
PY
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
  python3 - "$1/.well-known/jwks.json" <<'PY'
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
PY
}

# start_server <sqlite|postgres> <database name prefix> <secret key prefix>: a new
# scratch directory ($workdir), a fresh database, and `$clerk_bin serve` on a free loopback
# port with a new secret key ($secret_key), answering at $base_url. Exits if it does not
# start, showing its output.
start_server() {
  local backend=$1 db_prefix=$2 key_prefix=$3 db_url
  workdir=$(mktemp -d)
  case "$backend" in
    sqlite)
      db_url="sqlite://$workdir/clerk.db"
      ;;
    postgres)
      pg_database="${db_prefix}_$(date +%s)_$$"
      psql "$CLERK_TEST_POSTGRES_URL" -qAtc "CREATE DATABASE $pg_database" >/dev/null
      db_url=$(database_url "$CLERK_TEST_POSTGRES_URL" "$pg_database")
      ;;
  esac
  secret_key="${key_prefix}_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
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
}
