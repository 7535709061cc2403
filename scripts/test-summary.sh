#!/usr/bin/env bash
# Summarises a `go test -v` log: every skipped test with its reason, then one
# closing line "N passed, N failed, N skipped" (tests and subtests alike).
set -euo pipefail
log=${1:?usage: test-summary.sh GO_TEST_V_LOG}
passed=$(grep -cE '^\s*--- PASS: ' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL: ' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP: ' "$log" || true)
if [ "$skipped" -gt 0 ]; then
  echo "skipped tests and why:"
  # go test -v prints a test's t.Skip message just before its --- SKIP line
  awk '/^[[:space:]]*--- SKIP: /{ print "  " $0; if (prev ~ /^[[:space:]]+[^ ]+\.go:[0-9]+: /) print "    " prev } { prev = $0 }' "$log"
fi
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  grep -E '^\s*--- FAIL: ' "$log" | sed 's/^/  /'
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
