// Package unbuilt stands in for each of Terraform's remote-state backends
// that live in nested modules of their own (azurerm, consul, cos, gcs,
// kubernetes, oci, oss, pg, s3): tools/terraform/go.mod points all nine at
// a directory here, and this file is the one package they share (the other
// eight directories link to it). The provider's tests keep their state in
// the local backend, and these backends' SDKs (AWS, Azure, Google Cloud,
// Kubernetes, Alibaba, Tencent, Oracle) were more than half of what building
// Terraform compiles. Terraform's init.go imports each under an alias, so
// the package name does not matter.
package unbuilt

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
	"github.com/zclconf/go-cty/cty"
)

// New is the backend Terraform's init.go registers under the backend's name.
func New() backend.Backend { return missing{} }

// missing refuses every use with one error that says why.
type missing struct{}

func refuse() tfdiags.Diagnostics {
	return tfdiags.Diagnostics{}.Append(tfdiags.Sourceless(tfdiags.Error, "Backend not built into this Terraform",
		"This Terraform was built for terraform-provider-huaweicloud's tests (tools/terraform) without the remote-state "+
			"backends of nested modules; use the local backend, or an official Terraform build."))
}

func (missing) ConfigSchema() *configschema.Block { return &configschema.Block{} }

func (missing) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) { return v, refuse() }

func (missing) Configure(cty.Value) tfdiags.Diagnostics { return refuse() }

func (missing) StateMgr(string) (statemgr.Full, tfdiags.Diagnostics) { return nil, refuse() }

func (missing) DeleteWorkspace(string, bool) tfdiags.Diagnostics { return refuse() }

func (missing) Workspaces() ([]string, tfdiags.Diagnostics) { return nil, refuse() }
