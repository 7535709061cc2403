#!/usr/bin/env bash
# make bench-e2e: time `terraform apply` of a configuration that reads SNAPSHOTS
# snapshots (default 50,000) from the fake API with LATENCY added per request
# (default 25ms), RUNS times, through a dev_overrides CLI configuration; and
# measure the provider process's peak RSS and its share of the time.
#
# The provider runs under cmd/peakrss, which Terraform starts in
# its place and which records the provider's getrusage (peak RSS, CPU) when it
# exits. The provider's share comes from its own logs (TF_LOG_PROVIDER=TRACE):
# terraform-plugin-go's "Received downstream response" of ReadDataSource
# (tf_req_duration_ms: the whole read as served, by datasources.ReadProto in the
# provider as built) and the data source's "Read desktop snapshots" line
# (duration_ms: up to the encoded state, fetch_ms of it the listing).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TERRAFORM:?set TERRAFORM to a Terraform binary (make bench-e2e does)}"
SNAPSHOTS=${SNAPSHOTS:-50000}
LATENCY=${LATENCY:-25ms}
RUNS=${RUNS:-3}

work=$(mktemp -d)
fake_pid=
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

echo "== building the provider, the peak-RSS wrapper and the fake"
go build -o "$work/real/terraform-provider-huaweicloud" .
go build -o "$work/bin/terraform-provider-huaweicloud" ./cmd/peakrss
go build -o "$work/bench" ./cmd/bench

"$work/bench" -serve -snapshots "$SNAPSHOTS" -latency "$LATENCY" -url-file "$work/url" >"$work/fake.log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 300); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { cat "$work/fake.log" >&2; echo "the fake API did not start" >&2; exit 1; }
url=$(cat "$work/url")

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-terraform/huaweicloud" = "$work/bin"
  }
  direct {}
}
RC
mkdir "$work/config"
cat >"$work/config/main.tf" <<TF
terraform {
  required_providers {
    huaweicloud = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  endpoints = {
    workspace = "$url"
    iam       = "$url"
  }
}

data "huaweicloud_workspace_desktop_snapshots" "all" {}

output "total_count" {
  value = data.huaweicloud_workspace_desktop_snapshots.all.total_count
}
TF

export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1
export HW_REGION_NAME=ap-southeast-1 HW_ACCESS_KEY=FAKEAK7WORKSPACE0001 HW_SECRET_KEY=fake-secret-key-0001-do-not-log
export PEAKRSS_EXEC="$work/real/terraform-provider-huaweicloud"
# Provider logs only, at TRACE for the protocol's request durations; the
# framework's own TRACE lines are left out.
export TF_LOG_PROVIDER=TRACE TF_LOG_SDK_FRAMEWORK=OFF

# field NAME FILE: the values of NAME=<digits> in FILE, one a line.
field() { grep -o "$1=[0-9]*" "$2" | cut -d= -f2 || true; }

echo "== terraform apply reading $SNAPSHOTS snapshots, $LATENCY added per request, $RUNS runs ($("$TERRAFORM" version | head -1), $(nproc) cores)"
printf '%-4s %10s %12s %10s %10s %12s %14s %8s\n' run apply ReadDataSource Read fetch "provider CPU" "peak RSS" share
for run in $(seq 1 "$RUNS"); do
  rm -f "$work/config"/terraform.tfstate* "$work/rss" "$work/tf.log"
  start=$(date +%s%N)
  TF_LOG_PATH="$work/tf.log" PEAKRSS_OUT="$work/rss" \
    "$TERRAFORM" -chdir="$work/config" apply -auto-approve -input=false -no-color >"$work/apply.out" 2>&1 \
    || { cat "$work/apply.out" >&2; exit 1; }
  end=$(date +%s%N)
  count=$("$TERRAFORM" -chdir="$work/config" output -raw total_count)
  [ "$count" = "$SNAPSHOTS" ] || { echo "total_count is $count, want $SNAPSHOTS" >&2; exit 1; }

  apply_ms=$(( (end - start) / 1000000 ))
  rpc_ms=$(grep 'Received downstream response' "$work/tf.log" | grep 'tf_rpc=ReadDataSource' | grep -o 'tf_req_duration_ms=[0-9]*' | cut -d= -f2 | awk '{s+=$1} END {print s+0}')
  read_ms=$(grep 'Read desktop snapshots' "$work/tf.log" | grep -o 'duration_ms=[0-9]*' | cut -d= -f2 | awk '{s+=$1} END {print s+0}')
  fetch_ms=$(grep 'Read desktop snapshots' "$work/tf.log" | grep -o 'fetch_ms=[0-9]*' | cut -d= -f2 | awk '{s+=$1} END {print s+0}')
  cpu_ms=$(paste <(field user_ms "$work/rss") <(field sys_ms "$work/rss") | awk '{s+=$1+$2} END {print s+0}')
  rss_kib=$(field maxrss_kib "$work/rss" | sort -n | tail -1)
  procs=$(wc -l <"$work/rss")
  printf '%-4s %7d ms %9d ms %7d ms %7d ms %9d ms %7d MiB (%d) %7.0f%%\n' "$run" "$apply_ms" "$rpc_ms" "$read_ms" "$fetch_ms" "$cpu_ms" $(( rss_kib / 1024 )) "$procs" \
    "$(awk -v a="$apply_ms" -v r="$rpc_ms" 'BEGIN {print 100*r/a}')"
done
cat <<'NOTE'

apply: wall time of terraform apply (plan and apply, state written).
ReadDataSource: the provider's handling of the read, as terraform-plugin-go logs it
  (tf_req_duration_ms). The provider as built serves it with datasources.ReadProto:
  configuration, listing, msgpack of the state. (Through the framework, it would be
  Read, then the framework's semantic equality and state encoding.)
Read: what the data source itself logs: ReadProto's duration up to the encoded state
  (the framework's Read: listing, conversion, State.Set); fetch: the listing alone.
provider CPU: user+sys of every provider process of the run; peak RSS: the largest
  ru_maxrss among them (how many processes Terraform started in brackets).
share: ReadDataSource ÷ apply.
NOTE
