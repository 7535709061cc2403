package resources

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

var _ list.ListResourceWithConfigure = (*desktopSnapshotList)(nil)

// desktopSnapshotList is the list resource huaweicloud_workspace_desktop_snapshot,
// for list blocks (terraform query, Terraform 1.14+): the snapshots the list
// data source's filters match, each with the resource's identity and, with
// include_resource, the resource's object.
type desktopSnapshotList struct {
	session *client.Session
}

// NewDesktopSnapshotListResource returns the list resource, for the provider's list.
func NewDesktopSnapshotListResource() list.ListResource { return &desktopSnapshotList{} }

func (l *desktopSnapshotList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + snapshotTypeName
}

func (l *desktopSnapshotList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.session = sessionOf(req.ProviderData, &resp.Diagnostics)
}

// listArgs are the list block's config: the list data source's filters.
type listArgs struct {
	DesktopID     types.String `tfsdk:"desktop_id"`
	DesktopIDs    []string     `tfsdk:"desktop_ids"`
	DesktopName   types.String `tfsdk:"desktop_name"`
	DesktopNames  []string     `tfsdk:"desktop_names"`
	SnapshotName  types.String `tfsdk:"snapshot_name"`
	SnapshotNames []string     `tfsdk:"snapshot_names"`
	DiskType      types.String `tfsdk:"disk_type"`
	CreateType    types.String `tfsdk:"create_type"`
	Status        types.String `tfsdk:"status"`
	SortField     types.String `tfsdk:"sort_field"`
	SortType      types.String `tfsdk:"sort_type"`
	Region        types.String `tfsdk:"region"`
}

func (l *desktopSnapshotList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	one := func(desc string, v ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: desc, Validators: append([]validator.String{stringvalidator.LengthAtLeast(1)}, v...)}
	}
	many := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc + " Matches any of them; must not be empty.",
			Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))}}
	}
	enum := func(desc string, values []string, v ...validator.String) schema.StringAttribute {
		return one(desc+" One of "+markdownValues(values)+".", append([]validator.String{stringvalidator.OneOf(values...)}, v...)...)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists desktop snapshots for `list` blocks (`terraform query`, Terraform 1.14 and later) with the filters of the " +
			"`huaweicloud_workspace_desktop_snapshots` data source. Each result is named `<snapshot_name> (<desktop_name>)` and has the " +
			"`huaweicloud_workspace_desktop_snapshot` resource's identity, so `terraform query -generate-config-out` writes blocks that import it. " +
			"A `limit` up to 1000 is one request of that many; otherwise every page is read, concurrently.",
		Attributes: map[string]schema.Attribute{
			"desktop_id":     one("Only snapshots of this desktop."),
			"desktop_ids":    many("Only snapshots of these desktops."),
			"desktop_name":   one("Only snapshots of desktops with this name."),
			"desktop_names":  many("Only snapshots of desktops with these names."),
			"snapshot_name":  one("Only snapshots with this name."),
			"snapshot_names": many("Only snapshots with these names."),
			"disk_type":      enum("Only snapshots of this kind of disk.", workspace.SnapshotDiskTypes),
			"create_type":    enum("Only snapshots created this way.", workspace.SnapshotCreateTypes),
			"status":         enum("Only snapshots in this status.", workspace.SnapshotStatuses),
			"sort_field":     enum("Field to sort by.", workspace.SnapshotSortFields),
			"sort_type": enum("Sort order; requires `sort_field`.", workspace.SnapshotSortTypes,
				stringvalidator.AlsoRequires(path.MatchRoot("sort_field"))),
			"region": schema.StringAttribute{Optional: true, MarkdownDescription: "The region to list. Defaults to the provider's `region`; `\"\"` means it too."},
		},
	}
}

func markdownValues(values []string) string {
	s := ""
	for i, v := range values {
		if i > 0 {
			s += ", "
		}
		s += "`" + v + "`"
	}
	return s
}

func (l *desktopSnapshotList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var a listArgs
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, &a)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	o := begin(ctx, l.session, defaultReadTimeout, a.Region, &diags)
	if o == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	defer o.cancel()
	in := workspace.ListDesktopSnapshotsInput{
		DesktopID: a.DesktopID.ValueString(), DesktopIDs: a.DesktopIDs, DesktopName: a.DesktopName.ValueString(), DesktopNames: a.DesktopNames,
		SnapshotName: a.SnapshotName.ValueString(), SnapshotNames: a.SnapshotNames, DiskType: a.DiskType.ValueString(),
		CreateType: a.CreateType.ValueString(), Status: a.Status.ValueString(), SortField: a.SortField.ValueString(), SortType: a.SortType.ValueString(),
	}
	var opts listing.ListOptions[workspace.DesktopSnapshot]
	if req.Limit > 0 && req.Limit <= listing.PageLimit {
		opts.Limit = int(req.Limit) // one request of at most that many
	}
	// @API Workspace GET /v2/{project_id}/snapshots
	out, err := listing.List(o.ctx, o.session.Client(), workspace.DesktopSnapshots, o.endpoint, o.projectID, in.Query(), opts)
	if err != nil {
		diags.AddError("Cannot list desktop snapshots", o.detail(err))
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
			setIdentity(ctx, r.Identity, deref(s.SnapshotID), o.region, &r.Diagnostics)
			if req.IncludeResource {
				setSnapshot(ctx, r.Resource, s, a.Region, o.region, &r.Diagnostics)
			}
			if !push(r) {
				return
			}
		}
	}
}
