#!/usr/bin/env bash
# make demo: build the provider, start the fake Workspace API with its sample
# data, and run `terraform apply` on examples/quickstart through a dev_overrides
# CLI configuration. Needs no cloud account and no registry.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TERRAFORM:?set TERRAFORM to a Terraform binary (make demo does)}"
VERSION=${VERSION:-dev}

work=$(mktemp -d)
fake_pid=
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the provider and the fake API"
go build -ldflags "-X main.version=$VERSION" -o "$work/bin/terraform-provider-huaweicloud" .
go build -o "$work/fakeworkspace" ./cmd/fakeworkspace

echo "== starting the fake Workspace API"
"$work/fakeworkspace" -listen 127.0.0.1:0 -url-file "$work/url" &
fake_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { echo "the fake API did not start" >&2; exit 1; }
url=$(cat "$work/url")

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-terraform/huaweicloud" = "$work/bin"
  }
  direct {}
}
RC
mkdir "$work/quickstart"
cp examples/quickstart/*.tf "$work/quickstart/"

echo "== terraform apply (examples/quickstart) against $url"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1
export HW_REGION_NAME=cn-north-4
export HW_ACCESS_KEY=FAKEAK7WORKSPACE0001
export HW_SECRET_KEY=fake-secret-key-0001-do-not-log
export TF_VAR_endpoints="{ workspace = \"$url\", iam = \"$url\" }"
"$TERRAFORM" -chdir="$work/quickstart" apply -auto-approve -input=false -no-color

