module github.com/workspace-terraform/terraform-provider-huaweicloud/tools/terraform

go 1.26.8

// Terraform 1.9 and later replace their nested modules with local paths that
// the module zip leaves out, so `go install` refuses them. This wrapper module
// requires Terraform and says where each of those modules comes from; the
// GNUmakefile builds Terraform from here.
//
// The nine remote-state backends of nested modules (azurerm, consul, cos,
// gcs, kubernetes, oci, oss, pg, s3) are replaced by ./unbuilt, one small
// backend that refuses to be configured: their cloud SDKs were more than half
// of the build (9.6 CPU-minutes with them replaced against 16.7 without, on a
// 2-core machine, README "How long they take"), and the provider's tests keep
// state in the local backend. Terraform's core, its CLI and the provider
// protocol are the release's own code. internal/legacy, which no package of
// the build imports, is the release commit's pseudo-version.

require github.com/hashicorp/terraform v1.16.4

replace (
	github.com/hashicorp/terraform/internal/backend/remote-state/azure => ./unbuilt/azure
	github.com/hashicorp/terraform/internal/backend/remote-state/consul => ./unbuilt/consul
	github.com/hashicorp/terraform/internal/backend/remote-state/cos => ./unbuilt/cos
	github.com/hashicorp/terraform/internal/backend/remote-state/gcs => ./unbuilt/gcs
	github.com/hashicorp/terraform/internal/backend/remote-state/kubernetes => ./unbuilt/kubernetes
	github.com/hashicorp/terraform/internal/backend/remote-state/oss => ./unbuilt/oss
	github.com/hashicorp/terraform/internal/backend/remote-state/pg => ./unbuilt/pg
	github.com/hashicorp/terraform/internal/backend/remote-state/s3 => ./unbuilt/s3
	github.com/hashicorp/terraform/internal/backend/remote-state/oci => ./unbuilt/oci
	github.com/hashicorp/terraform/internal/legacy => github.com/hashicorp/terraform/internal/legacy v0.0.0-20260923115756-6ee8af215a53
)
