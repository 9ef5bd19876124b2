#!/usr/bin/env bash
# Property-based tests generated from Clerk's OpenAPI specs (schemathesis) against our
# server: builds `clerk`, installs the pinned schemathesis (compat/schemathesis/
# requirements.txt, into compat/.venv-schemathesis), keeps the operations clerk-server
# implements (compat/schemathesis/trim_spec.py), then for each run starts `clerk serve` on a
# fresh database and runs every phase (examples, coverage, fuzzing, stateful) with a fixed
# seed and a bounded number of examples per operation:
#
#   bapi-2026-05-12 with Clerk-API-Version: 2026-05-12, on SQLite
#   bapi-2021-02-05 without a version header (the default version), on SQLite
#   bapi-2026-05-12 on PostgreSQL (CLERK_TEST_POSTGRES_URL; skipped loudly without it,
#   required with CLERK_REQUIRE_POSTGRES=1)
#
# Checks: not_a_server_error, status_code_conformance, content_type_conformance,
# response_schema_conformance, response_headers_conformance, unsupported_method,
# ignored_auth. Failures listed in compat/schemathesis/baseline.json are places where the
# spec and Clerk's real API differ (each entry says why; see also the server's docs);
# any other failure fails the script, with a summary of every failing request.
#
# Environment: ST_MAX_EXAMPLES (default 25), ST_SEED (default 20261128);
# ST_BASELINE_UPDATE=1 merges this run's failures into the baseline (then give each new
# entry its reason by hand, or fix the server instead).
set -euo pipefail

compat=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$compat")
st_dir="$compat/schemathesis"
spec_dir="${CLERK_SPEC_DIR:-$root/spec}"
max_examples="${ST_MAX_EXAMPLES:-25}"
seed="${ST_SEED:-20261128}"
cd "$root"

# shellcheck source=compat/lib.sh
. "$compat/lib.sh"
on_exit_clean_up

step "build clerk"
build_binaries
clerk_bin="$(target_dir)/debug/clerk"

step "install schemathesis (compat/schemathesis/requirements.txt into compat/.venv-schemathesis)"
venv="$compat/.venv-schemathesis"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$st_dir/requirements.txt"

runs=("2026-05-12 sqlite" "2021-02-05 sqlite")
if postgres_available schemathesis; then
  runs+=("2026-05-12 postgres")
fi

failed=()
for run in "${runs[@]}"; do
  read -r version backend <<<"$run"
  step "schemathesis: bapi-$version on $backend ($max_examples examples per operation, seed $seed)"
  start_server "$backend" clerk_schemathesis sk_test_st
  python3 "$st_dir/trim_spec.py" "$spec_dir/bapi-$version.json" "$workdir/spec.json"

  headers=(-H "Authorization: Bearer $secret_key")
  if [ "$version" != "2021-02-05" ]; then
    headers+=(-H "Clerk-API-Version: $version")
  fi
  # Run from the scratch directory: schemathesis writes .hypothesis/ and .schemathesis/.
  if ! (cd "$workdir" && "$venv/bin/st" run spec.json \
    --url "$base_url/v1" \
    "${headers[@]}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method,ignored_auth \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --workers 1 \
    --generation-database none \
    --baseline "$st_dir/baseline.json" ${ST_BASELINE_UPDATE:+--baseline-update} \
    --report ndjson --report-ndjson-path "$workdir/report.ndjson" \
    --no-color --output-truncate true >"$workdir/st.log" 2>&1); then
    cat "$workdir/st.log"
    echo "--- every failing request (baseline entries included):"
    python3 "$st_dir/summarize.py" "$workdir/report.ndjson" || true
    echo "--- the server's log (last 20 lines):"
    tail -n 20 "$workdir/stderr"
    failed+=("bapi-$version on $backend")
  else
    grep -E '^(Test cases:|  [0-9]+ generated)|^=+ .* =+$' "$workdir/st.log" || tail -n 3 "$workdir/st.log"
  fi
  clean_up_run
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nschemathesis FAILED: %s\n' "$(IFS=,; echo "${failed[*]}")" >&2
  exit 1
fi
printf '\nschemathesis: no failure outside the baseline (%s)\n' "$(IFS=,; echo "${runs[*]}")"
