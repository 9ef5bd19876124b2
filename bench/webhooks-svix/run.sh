#!/usr/bin/env bash
# clerk-sdk's webhook verification against the svix crate's (pinned in Cargo.toml), on the
# same three deliveries: instruction counts under callgrind (repeatable), then interleaved
# wall-clock times and their ratio. Results and how to read them: BENCHMARKS.md.
#
# Usage: bench/webhooks-svix/run.sh [iterations] [rounds]   (defaults 200 and 31)
# Needs valgrind for the instruction counts (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")"
iterations="${1:-200}"
rounds="${2:-31}"

cargo build --release --locked --quiet
exe="${CARGO_TARGET_DIR:-target}/release/webhooks-svix-bench"

if command -v valgrind >/dev/null; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  echo "Instructions per verification (callgrind, $iterations iterations, setup excluded):"
  echo
  echo "| body | clerk-sdk | svix | svix / clerk-sdk |"
  echo "|---|---:|---:|---:|"
  for body in small clerk 64k; do
    declare -A per
    for which in clerk svix; do
      valgrind --tool=callgrind --callgrind-out-file="$out/$which-$body.out" \
        --collect-atstart=no --toggle-collect='*run_case*' \
        "$exe" callgrind "$which" "$body" "$iterations" 2>"$out/$which-$body.log" >/dev/null
      total="$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p' "$out/$which-$body.log")"
      [ -n "$total" ] || { cat "$out/$which-$body.log" >&2; exit 1; }
      per[$which]=$((total / iterations))
    done
    printf '| %s | %d | %d | %s |\n' "$body" "${per[clerk]}" "${per[svix]}" \
      "$(python3 -c "print(f'{${per[svix]} / ${per[clerk]}:.2f}x')")"
  done
  echo
fi

echo "Wall-clock time per verification (median of $rounds interleaved rounds):"
echo
"$exe" time "$rounds"
