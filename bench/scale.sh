#!/usr/bin/env bash
# The scale benchmark of clerk-server (BENCHMARKS.md, "Scale"): seeds N users on SQLite
# and PostgreSQL, then times the users routes over HTTP and checks their query plans.
#
#   bench/scale.sh --tier 10k --smoke                                # quick check (CI)
#   bench/scale.sh --tier 10k,100k,1m --out bench/results/scale.json  # BENCHMARKS.md
#   bench/scale.sh report bench/results/scale.json                   # the growth table
#   bench/scale.sh seed --database-url <url> --users 100k            # fill a database
#
# Built with the bench profile (optimised), through `cargo bench --workspace` so that it
# reuses what `cargo bench --workspace --all-features --no-run` compiled. PostgreSQL comes from
# CLERK_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
# SCALE_PROFILE=dev builds it unoptimised instead (CI's smoke run: it checks answers and
# plans, not time, and reuses what the tests built).
exec cargo bench --workspace --all-features --locked --quiet ${SCALE_PROFILE:+--profile "$SCALE_PROFILE"} \
  --bench scale -- "$@"
