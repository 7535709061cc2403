#!/usr/bin/env bash
# The test runs behind `make test` and `make test-all`, closing with one summary
# (scripts/test-summary.sh): skipped tests and why, failed tests, one line of
# counts per CLI, and "tests: N passed, N failed, N skipped".
#
#   test.sh newest   every Go test (unit, acceptance, examples) with the newest
#                    Terraform as TF_ACC_TERRAFORM_PATH, then the fuzzers
#   test.sh all      the same, then the acceptance tests (TestAcc...) again on
#                    each other CLI of the matrix
#
# The CLIs come from the environment, as the GNUmakefile sets them:
# TERRAFORM, TERRAFORM_VERSION (the newest Terraform) and, for "all",
# OTHER_CLIS: "LABEL=PATH[=ENV]" entries separated by "|", where ENV is one
# VAR=VALUE the run needs (OpenTofu's TF_ACC_PROVIDER_HOST).
# Every run goes to the end even when one fails; the exit status is 1 if any did.
set -uo pipefail
mode=${1:?usage: test.sh newest|all}
: "${TERRAFORM:?}" "${TERRAFORM_VERSION:?}" "${TEST_TIMEOUT:=30m}" "${FUZZ_TIME:=10s}"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0 times="" summary=() t0=$SECONDS start=$SECONDS
lap() { times+="  $1: $((SECONDS - t0)) s"$'\n'; t0=$SECONDS; }

# run LABEL LOG ENV... -- GO_TEST_ARGS...
run() {
  local label=$1 log=$2; shift 2
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  echo "== $label"
  env TF_ACC=1 "${env[@]}" go test -count=1 -v -timeout "$TEST_TIMEOUT" "$@" 2>&1 | tee "$log" >/dev/null || status=1
  # go test -v is long: show each package's closing line and every failure here;
  # the summary below lists skips and failures again.
  grep -E '^(ok|FAIL|---\s+FAIL|panic:)|^\s+--- FAIL' "$log" || true
  summary+=("$label=$log")
  lap "$label"
}

run "Terraform $TERRAFORM_VERSION, unit, acceptance and example tests" "$logs/newest" \
  TF_ACC_TERRAFORM_PATH="$TERRAFORM" -- ./...

echo "== fuzzing the response decoder for $FUZZ_TIME (corpus in internal/client/transport/testdata/fuzz)"
go test -run='^$' -fuzz='^FuzzDecodeAnswer$' -fuzztime="$FUZZ_TIME" ./internal/client/transport/ 2>&1 | tail -n 3 || status=1
echo "== fuzzing the page decoder against encoding/json for $FUZZ_TIME"
go test -run='^$' -fuzz='^FuzzDecodePageMatchesJSON$' -fuzztime="$FUZZ_TIME" ./internal/client/listing/ 2>&1 | tail -n 3 || status=1
lap "fuzzing"

if [ "$mode" = all ]; then
  IFS='|' read -r -a others <<<"${OTHER_CLIS:?OTHER_CLIS is needed for test.sh all}"
  for i in "${!others[@]}"; do
    IFS='=' read -r label path envvar envval <<<"${others[$i]}"
    env=(TF_ACC_TERRAFORM_PATH="$path")
    [ -n "${envvar:-}" ] && env+=("$envvar=$envval")
    run "$label, acceptance and example tests" "$logs/other$i" "${env[@]}" -- -run '^TestAcc' ./...
  done
fi

printf 'time per run:\n%s  in all: %d s\n' "$times" "$((SECONDS - start))"
"$(dirname "$0")/test-summary.sh" "${summary[@]}" || status=1
exit $status
