// Package datasources holds the provider's data sources, one file each.
package datasources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// huaweicloud_workspace_desktop_snapshots: every snapshot its filters select.
var desktopSnapshots = register(&dataSourceSpec[snapshotsArgs]{
	typeName: "_workspace_desktop_snapshots",
	description: "Lists the desktop snapshots of a Huawei Cloud Workspace project through the `ListDesktopSnapshot` API " +
		"(`GET /v2/{project_id}/snapshots`): every filter the API has, every page (1000 snapshots a request), every field, in the API's order.",
	regionDesc: "The region to list snapshots in. Defaults to the provider's `region`.",
	attributes: desktopSnapshotsAttributes,
	args:       snapshotsArgsOf,
	read:       listSnapshots,
})

// NewDesktopSnapshotsDataSource returns the data source.
func NewDesktopSnapshotsDataSource() datasource.DataSource { return desktopSnapshots.newDataSource() }

// desktopSnapshotsModel is the data source's configuration.
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

// desktopSnapshotsAttributes are the computed attributes and the filters,
// from their one declaration (schemakit.SnapshotFilters).
func desktopSnapshotsAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "A hash of the region, the project and the filters: the same arguments give the same ID on every read.",
		},
		"total_count": schema.Int64Attribute{
			Computed:            true,
			MarkdownDescription: "The number of snapshots in `snapshots`.",
		},
		"snapshots": itemsAttribute(workspace.DesktopSnapshotObject,
			"The snapshots found, in the API's order (or the order `sort_field` and `sort_type` ask for); empty when none match. A field the API leaves out is `null`."),
	}
	for _, f := range schemakit.SnapshotFilters() {
		attrs[f.Name] = filterAttribute(f)
	}
	return attrs
}

// snapshotsArgs is the request the configuration selects.
type snapshotsArgs struct {
	input workspace.ListDesktopSnapshotsInput
}

// snapshotsArgsOf reads the configuration into the request.
func snapshotsArgsOf(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) snapshotsArgs {
	m := getModel[desktopSnapshotsModel](ctx, cfg, diags)
	if diags.HasError() {
		return snapshotsArgs{}
	}
	input, ds := m.input(ctx)
	diags.Append(ds...)
	return snapshotsArgs{input: input}
}

// listSnapshots lists every snapshot the request selects.
func listSnapshots(st *started, a snapshotsArgs, diags *diag.Diagnostics) *readState {
	// @API Workspace GET /v2/{project_id}/snapshots
	out := listAll(st, workspace.DesktopSnapshots, a.input.Query(), listing.ListOptions[workspace.DesktopSnapshot]{}, diags)
	if out == nil {
		return nil
	}
	at := time.Now()
	return &readState{
		attrs: map[string]tftypes.Value{
			"id":          tftypes.NewValue(tftypes.String, dataSourceID(st.Region, st.ProjectID, a.input.Query())),
			"total_count": tftypes.NewValue(tftypes.Number, int64(len(out.Items))),
		},
		items: map[string]stateItems{"snapshots": itemList[workspace.DesktopSnapshot]{workspace.DesktopSnapshotObject, out.Items}},
		// One line per read, so that the time spent in the provider can be
		// told apart from Terraform's in TF_LOG_PROVIDER output (see BENCHMARKS.md).
		log: func(ctx context.Context, start time.Time) {
			tflog.Info(ctx, "Read desktop snapshots", map[string]any{
				"snapshots": len(out.Items), "pages": out.Requests,
				"fetch_ms": at.Sub(start).Milliseconds(), "duration_ms": time.Since(start).Milliseconds(),
			})
		},
	}
}

// input builds the API request's filters from the configuration.
func (m desktopSnapshotsModel) input(ctx context.Context) (workspace.ListDesktopSnapshotsInput, diag.Diagnostics) {
	return schemakit.SnapshotsInput(ctx, schemakit.ModelValue(&m))
}

// dataSourceID hashes what selects the listing, so that equal arguments give equal
// IDs. Values are length-prefixed so that no two different inputs collide by
// concatenation.
func dataSourceID(region, projectID string, q sign.Query) string {
	h := sha256.New()
	write := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	write(region)
	write(projectID)
	for _, p := range q {
		write(p.Key)
		write(p.Value)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
