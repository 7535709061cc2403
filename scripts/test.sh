#!/usr/bin/env bash
# The test runs behind `make test` and `make test-all`, closing with one summary
# (scripts/test-summary.sh): skipped tests and why, failed tests, one line of
# counts per CLI, and "tests: N passed, N failed, N skipped".
#
#   test.sh newest   every Go test (unit, acceptance, examples) with the newest
#                    Terraform as TF_ACC_TERRAFORM_PATH, and the fuzzers
#                    alongside
#   test.sh others   the acceptance tests (TestAcc...) again on each other CLI
#                    of the matrix; its summary covers the newest's run too
#
# make test-all runs newest (as make test), then installs the other CLIs and
# runs others, so that the first part of a cold CI run is a cold make test.
# The logs stay in TEST_LOG_DIR between the two; newest starts it afresh.
# The CLIs come from the environment, as the GNUmakefile sets them:
# TERRAFORM, TERRAFORM_VERSION (the newest Terraform) and, for "others",
# OTHER_CLIS: "LABEL=PATH[=ENV]" entries separated by "|", where ENV is one
# VAR=VALUE the run needs (OpenTofu's TF_ACC_PROVIDER_HOST). TEST_PARALLEL is
# go test's -parallel: the acceptance tests wait on the fake API's delays and
# on the CLI's processes more than they compute, so more of them at once than
# there are cores fills the machine (README "How long they take").
# Every run goes to the end even when one fails; the exit status is 1 if any did.
set -uo pipefail
mode=${1:?usage: test.sh newest|others}
: "${TERRAFORM:?}" "${TERRAFORM_VERSION:?}" "${TEST_TIMEOUT:=30m}" "${FUZZ_TIME:=60000x}" "${TEST_PARALLEL:=8}"
: "${TEST_LOG_DIR:=bin/test-logs}"

[ "$mode" = newest ] && rm -rf "$TEST_LOG_DIR"
mkdir -p "$TEST_LOG_DIR"
logs=$TEST_LOG_DIR runs=$TEST_LOG_DIR/runs
status=0 times="" t0=$SECONDS start=$SECONDS
lap() { times+="  $1: $((SECONDS - t0)) s"$'\n'; t0=$SECONDS; }

# run LABEL LOG ENV... -- GO_TEST_ARGS...
run() {
  local label=$1 log=$2; shift 2
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  echo "== $label"
  env TF_ACC=1 "${env[@]}" go test -count=1 -v -timeout "$TEST_TIMEOUT" -parallel "$TEST_PARALLEL" "$@" 2>&1 | tee "$log" >/dev/null || status=1
  # go test -v is long: show each package's closing line and every failure here;
  # the summary below lists skips and failures again.
  grep -E '^(ok|FAIL|---\s+FAIL|panic:)|^\s+--- FAIL' "$log" || true
  echo "$label=$log" >>"$runs"
  lap "$label"
}

# fuzz TARGET PACKAGE WHAT: FUZZ_TIME of one fuzzer; its last lines when it
# passes, all it printed when it fails (a crasher is then in the package's
# testdata/fuzz, to commit with the fix). Its result is a line of the fuzzing
# log, which the summary counts as one test.
fuzz() {
  echo "== fuzzing $3 for $FUZZ_TIME"
  local out t0=$SECONDS
  if out=$(go test -run='^$' -fuzz="^$1\$" -fuzztime="$FUZZ_TIME" "$2" 2>&1); then
    tail -n 3 <<<"$out"
    echo "--- PASS: $1 (fuzzing, $((SECONDS - t0)) s)" >>"$logs/fuzzing"
  else
    echo "$out"
    echo "--- FAIL: $1 (fuzzing, $((SECONDS - t0)) s)" >>"$logs/fuzzing"
    return 1
  fi
}

if [ "$mode" = newest ]; then
  # The fuzzers run alongside the tests: building them instrumented is a
  # minute of CPU that the acceptance tests, waiting on the CLI and the fake,
  # leave free. Their output follows the tests'.
  : >"$logs/fuzzing"
  ( rc=0
    fuzz FuzzDecodeAnswer ./internal/client/transport/ "the response decoder (corpus in internal/client/transport/testdata/fuzz)" || rc=1
    fuzz FuzzDecodePageMatchesJSON ./internal/client/listing/ "the page decoder against encoding/json" || rc=1
    exit $rc ) >"$logs/fuzz.out" 2>&1 &
  fuzzing=$!
  run "Terraform $TERRAFORM_VERSION, unit, acceptance and example tests" "$logs/newest" \
    TF_ACC_TERRAFORM_PATH="$TERRAFORM" -- ./...
  wait "$fuzzing" || status=1
  cat "$logs/fuzz.out"
  echo "Fuzzing=$logs/fuzzing" >>"$runs"
  lap "fuzzing, after the tests"
else
  [ -s "$runs" ] || { echo "test.sh others: no run of the newest Terraform in $TEST_LOG_DIR (make test-all runs it first)"; status=1; }
  IFS='|' read -r -a others <<<"${OTHER_CLIS:?OTHER_CLIS is needed for test.sh others}"
  for i in "${!others[@]}"; do
    IFS='=' read -r label path envvar envval <<<"${others[$i]}"
    env=(TF_ACC_TERRAFORM_PATH="$path")
    [ -n "${envvar:-}" ] && env+=("$envvar=$envval")
    run "$label, acceptance and example tests" "$logs/other$i" "${env[@]}" -- -run '^TestAcc' ./...
  done
fi

printf 'time per run:\n%s  in all: %d s\n' "$times" "$((SECONDS - start))"
summary=()
[ -s "$runs" ] && mapfile -t summary <"$runs"
"$(dirname "$0")/test-summary.sh" "${summary[@]}" || status=1
exit $status
