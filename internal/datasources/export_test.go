package datasources

import (
	"context"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// reflectionDesktopSnapshots is the list data source with the framework's
// reflection for the conversion (types.ListValueFrom on typed models) and
// State.Set on the model, for the benchmark that compares whole reads.
type reflectionDesktopSnapshots struct{ *listed[snapshotsArgs] }

func (d reflectionDesktopSnapshots) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	m := getModel[desktopSnapshotsModel](ctx, req.Config, &resp.Diagnostics)
	rs := d.run(ctx, d.session, req.Config, &resp.Diagnostics)
	if rs == nil || resp.Diagnostics.HasError() {
		return
	}
	var region, id string
	total := new(big.Float)
	for name, target := range map[string]any{"region": &region, "id": &id, "total_count": &total} {
		if err := rs.attrs[name].As(target); err != nil {
			resp.Diagnostics.AddError("Cannot read the state", err.Error())
			return
		}
	}
	n, _ := total.Int64()
	list, diags := snapshotsValueReflect(rs.items["snapshots"].(itemList[workspace.DesktopSnapshot]).items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Region, m.ID, m.TotalCount, m.Snapshots = types.StringValue(region), types.StringValue(id), types.Int64Value(n), list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	rs.done(ctx)
}

// NewReflectionDesktopSnapshotsDataSource returns that data source.
func NewReflectionDesktopSnapshotsDataSource() datasource.DataSource {
	return reflectionDesktopSnapshots{desktopSnapshots.newDataSource().(*listed[snapshotsArgs])}
}

// snapshotsValue is the kit's conversion of snapshots to a framework value.
func snapshotsValue(s []workspace.DesktopSnapshot) (types.List, diag.Diagnostics) {
	return listValue(workspace.DesktopSnapshotObject, s)
}

// snapshotAttrTypes are a snapshot's attribute types, derived.
var snapshotAttrTypes = attrTypes(workspace.DesktopSnapshotObject)

// snapshotTFType is a snapshot's tftypes type, derived.
var snapshotTFType = types.ObjectType{AttrTypes: snapshotAttrTypes}.TerraformType(context.Background())

// desktopSnapshotsModel is the list data source's configuration and state as
// a typed model, for the tests and benchmarks of the framework's reflection.
type desktopSnapshotsModel struct {
	ID            types.String   `tfsdk:"id"`
	Region        types.String   `tfsdk:"region"`
	DesktopID     types.String   `tfsdk:"desktop_id"`
	DesktopIDs    types.List     `tfsdk:"desktop_ids"`
	DesktopName   types.String   `tfsdk:"desktop_name"`
	DesktopNames  types.List     `tfsdk:"desktop_names"`
	SnapshotName  types.String   `tfsdk:"snapshot_name"`
	SnapshotNames types.List     `tfsdk:"snapshot_names"`
	DiskType      types.String   `tfsdk:"disk_type"`
	CreateType    types.String   `tfsdk:"create_type"`
	Status        types.String   `tfsdk:"status"`
	SortField     types.String   `tfsdk:"sort_field"`
	SortType      types.String   `tfsdk:"sort_type"`
	TotalCount    types.Int64    `tfsdk:"total_count"`
	Snapshots     types.List     `tfsdk:"snapshots"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// getModel decodes a whole configuration into a model struct.
func getModel[M any](ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) M {
	var m M
	diags.Append(cfg.Get(ctx, &m)...)
	return m
}

// listValue converts items to a framework list of objects, without reflection
// (the tests' and benchmarks' reference for the state's items):
// absent fields become null, "" stays "".
func listValue[T any](o *listing.Object[T], items []T) (types.List, diag.Diagnostics) {
	at := attrTypes(o)
	objType := types.ObjectType{AttrTypes: at}
	elems := make([]attr.Value, len(items))
	var diags diag.Diagnostics
	for i := range items {
		obj, d := types.ObjectValue(at, schemakit.FieldValues(o, &items[i]))
		diags.Append(d...)
		elems[i] = obj
	}
	if diags.HasError() {
		return types.ListNull(objType), diags
	}
	list, d := types.ListValue(objType, elems)
	diags.Append(d...)
	return list, diags
}
