// Package resources holds what acts on Workspace snapshots: the managed
// resource huaweicloud_workspace_desktop_snapshot (with identity and import),
// its list resource for Terraform Search, and the create, restore and delete
// actions. All of them wait for the API's jobs with workspace.WaitJob.
package resources

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/operation"
)

// Disk types and the other enumerations the arguments take.
var (
	resourceDiskTypes = []string{workspace.DiskTypeSystem, workspace.DiskTypeData}
	actionDiskTypes   = workspace.SnapshotDiskTypes
)

// sessionOf takes the provider's session from ProviderData; nil (with no
// diagnostic) before the provider is configured.
func sessionOf(data any, diags *diag.Diagnostics) *client.Session {
	if data == nil {
		return nil
	}
	s, ok := data.(*client.Session)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *client.Session, got %T. This is a bug in the provider; please report it.", data))
	}
	return s
}

// shell is what a resource and its list resource take from their type name
// and the provider: Metadata and Configure (the session).
type shell struct {
	// typeName follows the provider's name: "_workspace_desktop_snapshot".
	typeName string
	session  *client.Session
}

// Metadata names the resource or list resource.
func (s *shell) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + s.typeName
}

// Configure takes the provider's session.
func (s *shell) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	s.session = sessionOf(req.ProviderData, &resp.Diagnostics)
}

// op is one operation under way (see package operation).
type op = operation.Op

// begin starts an operation bounded by timeout in region (the provider's when
// null or ""), looking the project up when none is configured.
func begin(ctx context.Context, session *client.Session, timeout time.Duration, region types.String, diags *diag.Diagnostics) *op {
	return operation.Begin(ctx, session, timeout, region, operation.Operation, diags)
}
