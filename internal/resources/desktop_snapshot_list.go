package resources

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/operation"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

var _ list.ListResourceWithConfigure = (*desktopSnapshotList)(nil)

// desktopSnapshotList is the list resource huaweicloud_workspace_desktop_snapshot,
// for list blocks (terraform query, Terraform 1.14+): the snapshots the list
// data source's filters match, each with the resource's identity and, with
// include_resource, the resource's object.
type desktopSnapshotList struct {
	shell
}

// NewDesktopSnapshotListResource returns the list resource, for the provider's list.
func NewDesktopSnapshotListResource() list.ListResource {
	return &desktopSnapshotList{shell{typeName: snapshotTypeName}}
}

// ListResourceConfigSchema is the list data source's filters, from their one
// declaration (schemakit.SnapshotFilters), and the region.
func (l *desktopSnapshotList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]schema.Attribute{
		"region": schema.StringAttribute{Optional: true, MarkdownDescription: "The region to list. Defaults to the provider's `region`; `\"\"` means it too."},
	}
	for _, f := range schemakit.SnapshotFilters() {
		attrs[f.Name] = listFilterAttribute(f)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists desktop snapshots for `list` blocks (`terraform query`, Terraform 1.14 and later) with the filters of the " +
			"`huaweicloud_workspace_desktop_snapshots` data source. Each result is named `<snapshot_name> (<desktop_name>)` and has the " +
			"`huaweicloud_workspace_desktop_snapshot` resource's identity, so `terraform query -generate-config-out` writes blocks that import it. " +
			"A `limit` up to 1000 is one request of that many; otherwise every page is read, concurrently.",
		Attributes: attrs,
	}
}

// listFilterAttribute is a filter's attribute in the list block's schema.
func listFilterAttribute(f schemakit.Filter) schema.Attribute {
	if f.Kind == schemakit.FilterList {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, Validators: f.ListValidators(), MarkdownDescription: f.Description()}
	}
	return schema.StringAttribute{Optional: true, Validators: f.StringValidators(), MarkdownDescription: f.Description()}
}

// listConfig reads the list block's region and the request its filters select.
func listConfig(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) (types.String, workspace.ListDesktopSnapshotsInput) {
	var region types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root("region"), &region)...)
	in, ds := schemakit.SnapshotsInput(ctx, func(f schemakit.Filter) (attr.Value, diag.Diagnostics) {
		if f.Kind == schemakit.FilterList {
			var v types.List
			return v, cfg.GetAttribute(ctx, path.Root(f.Name), &v)
		}
		var v types.String
		return v, cfg.GetAttribute(ctx, path.Root(f.Name), &v)
	})
	diags.Append(ds...)
	return region, in
}

func (l *desktopSnapshotList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	region, in := listConfig(ctx, req.Config, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	o := begin(ctx, l.session, defaultReadTimeout, region, &diags)
	if o == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	defer o.Cancel()
	var opts listing.ListOptions[workspace.DesktopSnapshot]
	if req.Limit > 0 && req.Limit <= listing.PageLimit {
		opts.Limit = int(req.Limit) // one request of at most that many
	}
	// @API Workspace GET /v2/{project_id}/snapshots
	out := operation.List(o, workspace.DesktopSnapshots, in.Query(), opts, &diags)
	if out == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	items := out.Items
	if req.Limit > 0 && int64(len(items)) > req.Limit {
		items = items[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, w := range out.Warnings {
			var d diag.Diagnostics
			d.AddWarning("Unexpected answer from the Workspace API", w)
			if !push(list.ListResult{Diagnostics: d}) {
				return
			}
		}
		for i := range items {
			s := &items[i]
			r := req.NewListResult(ctx)
			r.DisplayName = fmt.Sprintf("%s (%s)", deref(s.SnapshotName), deref(s.DesktopName))
			setIdentity(ctx, r.Identity, deref(s.SnapshotID), o.Region, &r.Diagnostics)
			if req.IncludeResource {
				setSnapshot(ctx, r.Resource, s, region, o.Region, &r.Diagnostics)
			}
			if !push(r) {
				return
			}
		}
	}
}
