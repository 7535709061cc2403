// Package resources holds what acts on Workspace snapshots: the managed
// resource huaweicloud_workspace_desktop_snapshot (with identity and import),
// its list resource for Terraform Search, and the create, restore and delete
// actions. All of them wait for the API's jobs with workspace.WaitJob.
package resources

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
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

// op is one operation under way: its context (with its deadline; call cancel
// when done), the region, its endpoint and project.
type op struct {
	ctx       context.Context //nolint:containedctx // one operation's context
	cancel    context.CancelFunc
	timeout   time.Duration
	session   *client.Session
	region    string
	endpoint  string
	projectID string
}

// begin starts an operation bounded by timeout in region (the provider's when
// null or ""), looking the project up when none is configured.
func begin(ctx context.Context, session *client.Session, timeout time.Duration, region types.String, diags *diag.Diagnostics) *op {
	if session == nil {
		diags.AddError("Provider not configured", "The huaweicloud provider was not configured before this was used. This is a bug in the provider or Terraform; please report it.")
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	r := region.ValueString()
	if r == "" {
		r = session.Region()
	}
	projectID, err := session.ProjectID(ctx, r)
	if err != nil {
		cancel()
		diags.AddError("Cannot find the project ID", fmt.Sprintf("The provider looked up the project ID of region %q in IAM, because no project_id is configured for it: %s.\n\n"+
			"Set project_id in the provider block (or HW_PROJECT_ID), or check the region's name and that the credentials may list IAM projects.", r, err))
		return nil
	}
	return &op{ctx: ctx, cancel: cancel, timeout: timeout, session: session, region: r, endpoint: session.WorkspaceEndpoint(r), projectID: projectID}
}

// detail is err for a diagnostic, with advice for what the user can act on: a
// timeout, a POST that may have been carried out, a refused signature.
func (o *op) detail(err error) string {
	d := err.Error()
	var apiErr *transport.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == "APIG.0301" {
		d += "\n\nThe gateway refused the signature: check access_key and secret_key, security_token for temporary credentials, and this machine's clock."
	}
	if transport.MaybeProcessed(err) {
		d += "\n\nThe request was not sent again, because the API may have carried it out; check the snapshots (the huaweicloud_workspace_desktop_snapshots data source) before trying again."
	}
	if errors.Is(err, context.DeadlineExceeded) {
		d += fmt.Sprintf("\n\nThe operation timed out after %s; raise it with a timeouts block.", o.timeout)
	}
	return d
}
