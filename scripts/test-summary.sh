#!/usr/bin/env bash
# Summarises one or more `go test -v` logs: every skipped test with its reason,
# every failed test, one line of counts per log, and one closing line
# "tests: N passed, N failed, N skipped" over all of them (tests and subtests
# alike).
#
#   test-summary.sh LOG
#   test-summary.sh "LABEL=LOG" ["LABEL=LOG" ...]
#
# make test passes one log per CLI, e.g. "Terraform 1.5.7, all tests=/tmp/a" and
# "OpenTofu 1.6.3, acceptance tests=/tmp/b".
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: test-summary.sh LOG | LABEL=LOG..." >&2; exit 2; }

labels=() logs=()
for arg in "$@"; do
  if [[ $arg == *=* ]]; then labels+=("${arg%%=*}") logs+=("${arg#*=}"); else labels+=("") logs+=("$arg"); fi
done

count() { grep -cE "^\s*--- $1: " "$2" || true; }

total_passed=0 total_failed=0 total_skipped=0 lines=()
for i in "${!logs[@]}"; do
  log=${logs[$i]} label=${labels[$i]}
  passed=$(count PASS "$log") failed=$(count FAIL "$log") skipped=$(count SKIP "$log")
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed)) total_skipped=$((total_skipped + skipped))
  if [ "$skipped" -gt 0 ]; then
    echo "skipped tests and why${label:+ ($label)}:"
    # go test -v prints a test's t.Skip message just before its --- SKIP line
    awk '/^[[:space:]]*--- SKIP: /{ print "  " $0; if (prev ~ /^[[:space:]]+[^ ]+\.go:[0-9]+: /) print "    " prev } { prev = $0 }' "$log"
  fi
  if [ "$failed" -gt 0 ]; then
    echo "failed tests${label:+ ($label)}:"
    grep -E '^\s*--- FAIL: ' "$log" | sed 's/^/  /'
  fi
  # a package that does not build has no --- FAIL line: count it as one failure
  broken=$(grep -cE '^FAIL\s+\S+\s+\[(build|setup) failed\]' "$log" || true)
  if [ "$broken" -gt 0 ]; then
    echo "packages that did not build${label:+ ($label)}, one failure each:"
    grep -E '^FAIL\s+\S+\s+\[(build|setup) failed\]' "$log" | sed 's/^/  /'
    failed=$((failed + broken)) total_failed=$((total_failed + broken))
  fi
  lines+=("  ${label:-$log}: $passed passed, $failed failed, $skipped skipped")
done
if [ ${#lines[@]} -gt 1 ]; then
  echo "by run:"
  printf '%s\n' "${lines[@]}"
fi
echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
