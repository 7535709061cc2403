package datasources

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

// reflectionDesktopSnapshots is the list data source with the framework's
// reflection for the conversion (types.ListValueFrom on typed models), for the
// benchmark that compares whole reads.
type reflectionDesktopSnapshots struct{ *desktopSnapshotsDataSource }

func (d reflectionDesktopSnapshots) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	start := time.Now()
	m, r := d.readConfig(ctx, req, resp)
	if r == nil {
		return
	}
	list, diags := snapshotsValueReflect(r.out.Snapshots)
	setState(ctx, m, r, list, diags, resp, start)
}

// NewReflectionDesktopSnapshotsDataSource returns that data source.
func NewReflectionDesktopSnapshotsDataSource() datasource.DataSource {
	return reflectionDesktopSnapshots{&desktopSnapshotsDataSource{}}
}

// snapshotsValue is the kit's conversion of snapshots, as Read does it.
func snapshotsValue(s []workspace.DesktopSnapshot) (types.List, diag.Diagnostics) {
	return listValue(workspace.DesktopSnapshotObject, s)
}

// snapshotAttrTypes are a snapshot's attribute types, derived.
var snapshotAttrTypes = attrTypes(workspace.DesktopSnapshotObject)

// snapshotTFType is a snapshot's tftypes type, derived.
var snapshotTFType = types.ObjectType{AttrTypes: snapshotAttrTypes}.TerraformType(context.Background())
