package datasources

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	typeName: snapshot.TypeName,
	description: "Reads one desktop snapshot of a Huawei Cloud Workspace project through the `ListDesktopSnapshot` API " +
		"(`GET /v2/{project_id}/snapshots`): by `snapshot_id`, or the one snapshot the filters match, or with `most_recent` the newest of them. " +
		"Several matches without `most_recent`, or none, are errors that say so.",
	regionDesc: "The region to read the snapshot in. Defaults to the provider's `region`.",
	attributes: desktopSnapshotAttributes,
	args:       getArgs,
	read:       findSnapshot,
})

// snapshot is the listed object: its type name, ID attribute, fields and filters.
var snapshot = schemakit.DesktopSnapshot

// NewDesktopSnapshotDataSource returns the data source.
func NewDesktopSnapshotDataSource() datasource.DataSource { return desktopSnapshot.newDataSource() }

// desktopSnapshotArgs are the arguments: the string arguments by name, and
// most_recent.
type desktopSnapshotArgs struct {
	values     map[string]types.String
	MostRecent types.Bool
}

// oneItemFilters are the filters this data source takes, in the order errors
// name them (after the ID attribute).
func oneItemFilters() []schemakit.Filter {
	var out []schemakit.Filter
	for _, f := range snapshot.Filters() {
		if f.OneItem {
			out = append(out, f)
		}
	}
	return out
}

// argNames are the string arguments, in the order errors name them: the ID
// attribute, then the filters.
func argNames() []string {
	names := []string{snapshot.IDAttribute()}
	for _, f := range oneItemFilters() {
		names = append(names, f.Name)
	}
	return names
}

// desktopSnapshotAttributes are the snapshot's declared fields at top level,
// computed; the ID attribute and the filters that are also fields are
// optional arguments as well.
func desktopSnapshotAttributes() map[string]schema.Attribute {
	attrs := computedAttributes(snapshot.Listing.Object)
	// A filter that is also a field: set, it selects; unset, it is read.
	asArgument := func(name, desc string, valid []validator.String) {
		attrs[name] = schema.StringAttribute{
			Optional: true, Computed: true, Validators: valid,
			MarkdownDescription: attrs[name].GetMarkdownDescription() + " As an argument: " + desc,
		}
	}
	asArgument(snapshot.IDAttribute(), "the "+snapshot.One+" to read. The API has no ID filter, so the "+snapshot.Listing.Items+
		" matching the other arguments are listed until this one is found.", []validator.String{stringvalidator.LengthAtLeast(1)})
	for _, f := range oneItemFilters() {
		if _, isField := attrs[f.Name]; !isField {
			attrs[f.Name] = filterAttribute(f) // an argument only: the API has no such field
			continue
		}
		asArgument(f.Name, f.SelectsDescription(), f.StringValidators())
	}
	attrs["most_recent"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "When several snapshots match, take the newest (by `create_time`) rather than fail. Defaults to `false`. " +
			"Ignored with `snapshot_id`, which matches one snapshot at most.",
	}
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The " + snapshot.One + "'s ID, as `" + snapshot.IDAttribute() + "`."}
	return attrs
}

// getArgs reads the arguments from the configuration.
func getArgs(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) desktopSnapshotArgs {
	a := desktopSnapshotArgs{values: map[string]types.String{}}
	for _, name := range argNames() {
		var v types.String
		diags.Append(cfg.GetAttribute(ctx, path.Root(name), &v)...)
		a.values[name] = v
	}
	diags.Append(cfg.GetAttribute(ctx, path.Root("most_recent"), &a.MostRecent)...)
	return a
}

// findSnapshot reads the one snapshot the arguments select.
func findSnapshot(st *started, a desktopSnapshotArgs, diags *diag.Diagnostics) *readState {
	in, ds := snapshot.Input(st.Ctx, func(f schemakit.Filter) (attr.Value, diag.Diagnostics) {
		if v, ok := a.values[f.Name]; ok {
			return v, nil
		}
		return f.Target(), nil
	})
	diags.Append(ds...)
	var opts listing.ListOptions[workspace.DesktopSnapshot]
	id := a.values[snapshot.IDAttribute()].ValueString()
	switch {
	case id != "":
		opts = snapshot.FindOptions(id)
	case a.MostRecent.ValueBool():
		in.SortField, in.SortType = "create_time", "DESC"
		opts.Limit = 1
	default:
		opts.Limit = 2 // two tell one match from several; total_count says how many
	}
	// @API Workspace GET /v2/{project_id}/snapshots
	out := listAll(st, snapshot.Listing, in.Query(), opts, diags)
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
	return &readState{attrs: fieldAttrs(snapshot.Listing.Object, s, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, snapshot.Listing.Key(s)),
	})}
}

// describeArgs names the arguments set, as HCL: what matched nothing or too much.
func describeArgs(a desktopSnapshotArgs) string {
	var parts []string
	for _, name := range argNames() {
		if v := a.values[name]; !v.IsNull() && !v.IsUnknown() {
			parts = append(parts, fmt.Sprintf("%s = %q", name, v.ValueString()))
		}
	}
	if len(parts) == 0 {
		return "no filter (the project has no snapshots)"
	}
	return strings.Join(parts, ", ")
}
