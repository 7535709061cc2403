package datasources

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// huaweicloud_workspace_desktop_snapshot: one snapshot, by ID or by filters,
// with most_recent to take the newest of several. Its attributes are the
// declared fields of workspace.DesktopSnapshot at top level.
var desktopSnapshot = register(&dataSourceSpec[desktopSnapshotArgs]{
	typeName: "_workspace_desktop_snapshot",
	description: "Reads one desktop snapshot of a Huawei Cloud Workspace project through the `ListDesktopSnapshot` API " +
		"(`GET /v2/{project_id}/snapshots`): by `snapshot_id`, or the one snapshot the filters match, or with `most_recent` the newest of them. " +
		"Several matches without `most_recent`, or none, are errors that say so.",
	regionDesc: "The region to read the snapshot in. Defaults to the provider's `region`.",
	attributes: desktopSnapshotAttributes,
	args:       getArgs,
	read:       findSnapshot,
})

// NewDesktopSnapshotDataSource returns the data source.
func NewDesktopSnapshotDataSource() datasource.DataSource { return desktopSnapshot.newDataSource() }

// desktopSnapshotArgs are the arguments, in the order errors name them.
type desktopSnapshotArgs struct {
	SnapshotID   types.String
	DesktopID    types.String
	DesktopName  types.String
	SnapshotName types.String
	DiskType     types.String
	CreateType   types.String
	Status       types.String
	MostRecent   types.Bool
}

// snapshotArg is one string argument of the data source, declared once: its
// name, where the arguments hold it, what it selects (the schema's text after
// the field's own; "" for an argument that is not a field) and its validators,
// and the request filter it sets (nil for snapshot_id, which the API lacks).
// The schema, the reading of the configuration, the request and the
// description of a match that failed derive from it, in this order.
type snapshotArg struct {
	name   string
	at     func(*desktopSnapshotArgs) *types.String
	desc   string
	valid  []validator.String
	filter func(*workspace.ListDesktopSnapshotsInput, string)
}

// snapshotArgs are the string arguments, in the order errors name them.
func snapshotArgs() []snapshotArg {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	createDesc, createV := schemakit.OneOf("only snapshots created this way.", workspace.SnapshotCreateTypes)
	statusDesc, statusV := schemakit.OneOf("only snapshots in this status.", workspace.SnapshotStatuses)
	in := func(set func(*workspace.ListDesktopSnapshotsInput) *string) func(*workspace.ListDesktopSnapshotsInput, string) {
		return func(i *workspace.ListDesktopSnapshotsInput, v string) { *set(i) = v }
	}
	return []snapshotArg{
		{"snapshot_id", func(a *desktopSnapshotArgs) *types.String { return &a.SnapshotID },
			"the snapshot to read. The API has no ID filter, so the snapshots matching the other arguments are listed until this one is found.", nonEmpty, nil},
		{"desktop_id", func(a *desktopSnapshotArgs) *types.String { return &a.DesktopID }, "only snapshots of this desktop.", nonEmpty,
			in(func(i *workspace.ListDesktopSnapshotsInput) *string { return &i.DesktopID })},
		{"desktop_name", func(a *desktopSnapshotArgs) *types.String { return &a.DesktopName }, "only snapshots of desktops with this name.", nonEmpty,
			in(func(i *workspace.ListDesktopSnapshotsInput) *string { return &i.DesktopName })},
		{"snapshot_name", func(a *desktopSnapshotArgs) *types.String { return &a.SnapshotName }, "only snapshots with this name.", nonEmpty,
			in(func(i *workspace.ListDesktopSnapshotsInput) *string { return &i.SnapshotName })},
		{"disk_type", func(a *desktopSnapshotArgs) *types.String { return &a.DiskType }, "", nil,
			in(func(i *workspace.ListDesktopSnapshotsInput) *string { return &i.DiskType })},
		{"create_type", func(a *desktopSnapshotArgs) *types.String { return &a.CreateType }, createDesc, createV,
			in(func(i *workspace.ListDesktopSnapshotsInput) *string { return &i.CreateType })},
		{"status", func(a *desktopSnapshotArgs) *types.String { return &a.Status }, statusDesc, statusV,
			in(func(i *workspace.ListDesktopSnapshotsInput) *string { return &i.Status })},
	}
}

// desktopSnapshotAttributes are the snapshot's declared fields at top level,
// computed; those that are also filters are optional arguments as well.
func desktopSnapshotAttributes() map[string]schema.Attribute {
	attrs := computedAttributes(workspace.DesktopSnapshotObject)
	for _, arg := range snapshotArgs() {
		if arg.desc == "" {
			attrs[arg.name] = filterAttribute(schemakit.SnapshotFilter("disk_type")) // an argument only: the API has no such field
			continue
		}
		// A filter that is also a field: set, it selects; unset, it is read.
		attrs[arg.name] = schema.StringAttribute{
			Optional: true, Computed: true, Validators: arg.valid,
			MarkdownDescription: attrs[arg.name].GetMarkdownDescription() + " As an argument: " + arg.desc,
		}
	}
	attrs["most_recent"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "When several snapshots match, take the newest (by `create_time`) rather than fail. Defaults to `false`. " +
			"Ignored with `snapshot_id`, which matches one snapshot at most.",
	}
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The snapshot's ID, as `snapshot_id`."}
	return attrs
}

// getArgs reads the arguments from the configuration.
func getArgs(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) desktopSnapshotArgs {
	var a desktopSnapshotArgs
	for _, arg := range snapshotArgs() {
		diags.Append(cfg.GetAttribute(ctx, path.Root(arg.name), arg.at(&a))...)
	}
	diags.Append(cfg.GetAttribute(ctx, path.Root("most_recent"), &a.MostRecent)...)
	return a
}

// findSnapshot reads the one snapshot the arguments select.
func findSnapshot(st *started, a desktopSnapshotArgs, diags *diag.Diagnostics) *readState {
	var in workspace.ListDesktopSnapshotsInput
	for _, arg := range snapshotArgs() {
		if arg.filter != nil {
			arg.filter(&in, arg.at(&a).ValueString())
		}
	}
	var opts listing.ListOptions[workspace.DesktopSnapshot]
	id := a.SnapshotID.ValueString()
	switch {
	case id != "":
		opts.Find = func(s *workspace.DesktopSnapshot) bool { return s.SnapshotID != nil && *s.SnapshotID == id }
	case a.MostRecent.ValueBool():
		in.SortField, in.SortType = "create_time", "DESC"
		opts.Limit = 1
	default:
		opts.Limit = 2 // two tell one match from several; total_count says how many
	}
	// @API Workspace GET /v2/{project_id}/snapshots
	out := listAll(st, workspace.DesktopSnapshots, in.Query(), opts, diags)
	if out == nil {
		return nil
	}
	switch {
	case len(out.Items) == 0:
		diags.AddError("No desktop snapshot matches", fmt.Sprintf("No desktop snapshot of region %q matches %s. "+
			"Check the arguments' values, or list what there is with the huaweicloud_workspace_desktop_snapshots data source.", st.Region, describeArgs(a)))
		return nil
	case opts.Limit == 2 && (len(out.Items) > 1 || out.TotalCount != nil && *out.TotalCount > 1):
		n := "At least 2"
		if out.TotalCount != nil && *out.TotalCount > 1 {
			n = strconv.FormatInt(*out.TotalCount, 10)
		}
		diags.AddError("Several desktop snapshots match", fmt.Sprintf("%s desktop snapshots of region %q match %s, and this data source reads one. "+
			"Set most_recent = true to take the newest of them, or narrow the match with snapshot_id or more filters "+
			"(desktop_id, snapshot_name, status, ...).", n, st.Region, describeArgs(a)))
		return nil
	}
	s := &out.Items[0]
	return &readState{attrs: fieldAttrs(workspace.DesktopSnapshotObject, s, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, s.SnapshotID),
	})}
}

// describeArgs names the arguments set, as HCL: what matched nothing or too much.
func describeArgs(a desktopSnapshotArgs) string {
	var parts []string
	for _, arg := range snapshotArgs() {
		if v := *arg.at(&a); !v.IsNull() && !v.IsUnknown() {
			parts = append(parts, fmt.Sprintf("%s = %q", arg.name, v.ValueString()))
		}
	}
	if len(parts) == 0 {
		return "no filter (the project has no snapshots)"
	}
	return strings.Join(parts, ", ")
}
