#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind) of session-token verification: the bare
# RS256 check with a key parsed once, the whole Verifier with a warm JWKS cache, and the
# whole Verifier with a PEM key (verified-token cache off), and with the cache on a repeated
# token (a hit) and first-seen tokens (a miss). Repeatable where timings are not.
#
# Usage: bench/verify-callgrind.sh [iterations]   (default 200)
# Needs valgrind (apt-get install valgrind). Only the measured loop is counted
# (--toggle-collect), so setup (key parsing, the JWKS fetch) is excluded.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-200}"

exe="$(cargo bench -p clerk-sdk --bench verify_callgrind --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "verify_callgrind" and msg.get("executable"):
        print(msg["executable"])
')"
[ -x "$exe" ] || { echo "could not build the verify_callgrind bench" >&2; exit 1; }

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
declare -A per_verify
for case in bare jwks pem repeated first_seen; do
  valgrind --tool=callgrind --callgrind-out-file="$out/$case.out" \
    --collect-atstart=no --toggle-collect='*run_case*' \
    "$exe" "$case" "$iterations" 2>"$out/$case.log" >/dev/null
  total="$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p' "$out/$case.log")"
  [ -n "$total" ] || { cat "$out/$case.log" >&2; exit 1; }
  per_verify[$case]=$((total / iterations))
done

bare=${per_verify[bare]}
printf '%-22s %12s %8s\n' case instructions ratio
for case in bare jwks pem repeated first_seen; do
  n=${per_verify[$case]}
  printf '%-22s %12d %8s\n' "$case" "$n" "$(python3 -c "print(f'{$n / $bare:.3f}x')")"
done
