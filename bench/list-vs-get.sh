#!/usr/bin/env bash
# Requests per second of `GET /v1/users?limit=10` against `GET /v1/users/{id}`, measured in
# the same run with wrk on each backend (BENCHMARKS.md, "A page of users against one user").
#
#   cargo build --release -p clerk-cli
#   bench/list-vs-get.sh [binary] [seconds]          # defaults: target/release/clerk 10
#
# Each backend gets a fresh database with 200 users (each with an email address and a
# phone number, so a page has identifications to load); wrk runs 2 threads and 16
# connections on each path, `get` then `list` then `get` again, and the ratio is list over
# the mean of the two gets. PostgreSQL comes from CLERK_TEST_POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/test); a database `clerk_bench_list` is created there
# and dropped afterwards. Needs wrk (Debian package `wrk`) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/release/clerk}
seconds=${2:-10}
key=sk_test_list_vs_get
pg_base=${CLERK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
work=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    psql "$pg_base" -qc "DROP DATABASE IF EXISTS clerk_bench_list" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

rps() { wrk -t2 -c16 -d"${seconds}s" -H "Authorization: Bearer $key" "$1" | awk '/Requests\/sec/ {print $2}'; }

run() {
    local name=$1 url=$2 port=$3
    "$binary" serve --listen "127.0.0.1:$port" --database-url "$url" --secret-key "$key" \
        >"$work/$name.log" 2>&1 &
    server=$!
    local base="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -sf -o /dev/null -H "Authorization: Bearer $key" "$base/v1/users/count" && break; sleep 0.1; done
    local id
    id=$(python3 - "$base" "$key" <<'PY'
import json, sys, urllib.request
base, key = sys.argv[1], sys.argv[2]
first = None
for i in range(200):
    body = {"email_address": [f"u{i}@example.com"], "phone_number": [f"+1555{i:07d}"], "first_name": f"U{i}"}
    request = urllib.request.Request(base + "/v1/users", method="POST", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    user = json.loads(urllib.request.urlopen(request).read())
    first = first or user["id"]
print(first)
PY
)
    local get1 list get2
    get1=$(rps "$base/v1/users/$id")
    list=$(rps "$base/v1/users?limit=10")
    get2=$(rps "$base/v1/users/$id")
    python3 -c "import sys; g=(float(sys.argv[2])+float(sys.argv[4]))/2; l=float(sys.argv[3]); print(f'{sys.argv[1]:9} get {g:9.0f} req/s   list {l:9.0f} req/s   list/get {l/g:.2f}')" "$name" "$get1" "$list" "$get2"
    kill "$server"; wait "$server" 2>/dev/null || true; server=
}

run sqlite "sqlite://$work/bench.db" 18931
psql "$pg_base" -qc "DROP DATABASE IF EXISTS clerk_bench_list" >/dev/null
psql "$pg_base" -qc "CREATE DATABASE clerk_bench_list" >/dev/null
run postgres "${pg_base%/*}/clerk_bench_list" 18932
