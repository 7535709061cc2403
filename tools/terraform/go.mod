module github.com/workspace-terraform/terraform-provider-huaweicloud/tools/terraform

go 1.26.8

// Terraform 1.9 and later replace their nested modules with local paths that
// the module zip leaves out, so `go install` refuses them. This wrapper module
// requires Terraform and points each of those modules at the pseudo-version
// of the same release commit; the GNUmakefile builds Terraform from here.
require github.com/hashicorp/terraform v1.16.4

replace (
	github.com/hashicorp/terraform/internal/backend/remote-state/azure => github.com/hashicorp/terraform/internal/backend/remote-state/azure v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/consul => github.com/hashicorp/terraform/internal/backend/remote-state/consul v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/cos => github.com/hashicorp/terraform/internal/backend/remote-state/cos v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/gcs => github.com/hashicorp/terraform/internal/backend/remote-state/gcs v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/kubernetes => github.com/hashicorp/terraform/internal/backend/remote-state/kubernetes v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/oss => github.com/hashicorp/terraform/internal/backend/remote-state/oss v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/pg => github.com/hashicorp/terraform/internal/backend/remote-state/pg v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/s3 => github.com/hashicorp/terraform/internal/backend/remote-state/s3 v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/backend/remote-state/oci => github.com/hashicorp/terraform/internal/backend/remote-state/oci v0.0.0-20260923115756-6ee8af215a53
	github.com/hashicorp/terraform/internal/legacy => github.com/hashicorp/terraform/internal/legacy v0.0.0-20260923115756-6ee8af215a53
)
