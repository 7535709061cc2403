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
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

var (
	_ datasource.DataSource              = (*desktopSnapshotsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*desktopSnapshotsDataSource)(nil)
	_ ProtoReader                        = (*desktopSnapshotsDataSource)(nil)
)

// desktopSnapshotsDataSource is huaweicloud_workspace_desktop_snapshots.
type desktopSnapshotsDataSource struct {
	configured
	proto protoSchema
}

// NewDesktopSnapshotsDataSource returns the data source, for the provider's list.
func NewDesktopSnapshotsDataSource() datasource.DataSource { return &desktopSnapshotsDataSource{} }

// desktopSnapshotsModel is the data source's configuration and state.
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

// Metadata names the data source.
func (d *desktopSnapshotsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_desktop_snapshots"
}

// Schema describes the data source from the API page's meanings.
func (d *desktopSnapshotsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the desktop snapshots of a Huawei Cloud Workspace project through the `ListDesktopSnapshot` API " +
			"(`GET /v2/{project_id}/snapshots`): every filter the API has, every page (1000 snapshots a request), every field, in the API's order.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "A hash of the region, the project and the filters: the same arguments give the same ID on every read.",
			},
			"region": regionAttribute("The region to list snapshots in. Defaults to the provider's `region`."),
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "The number of snapshots in `snapshots`.",
			},
			"snapshots": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The snapshots found, in the API's order (or the order `sort_field` and `sort_type` ask for); empty when none match. A field the API leaves out is `null`.",
				NestedObject:        schema.NestedAttributeObject{Attributes: computedAttributes(workspace.DesktopSnapshotObject)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
		},
	}
	for _, f := range schemakit.SnapshotFilters() {
		resp.Schema.Attributes[f.Name] = filterAttribute(f)
	}
}

// Read lists the snapshots: config → request → paged listing → state. The
// provider serves this data source's reads with ReadProto, which skips the
// framework's state handling; this Read is the framework's path, kept for
// providerserver users and for the test and benchmark that compare the two.
func (d *desktopSnapshotsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	start := time.Now()
	m, r := d.readConfig(ctx, req, resp)
	if r == nil {
		return
	}
	list, diags := listValue(workspace.DesktopSnapshotObject, r.out.Snapshots)
	setState(ctx, m, r, list, diags, resp, start)
}

// readConfig reads the configuration and lists what it selects; r is nil when
// that failed (resp has why).
func (d *desktopSnapshotsDataSource) readConfig(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) (m desktopSnapshotsModel, r *fetched) {
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return m, nil
	}
	r = d.fetch(ctx, m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return m, nil
	}
	return m, r
}

// setState writes m with what r found, the snapshots as list (diags are the
// conversion's), to the state.
func setState(ctx context.Context, m desktopSnapshotsModel, r *fetched, list types.List, diags diag.Diagnostics, resp *datasource.ReadResponse, start time.Time) {
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Region = stateRegion(m.Region, r.region)
	m.ID = types.StringValue(r.id)
	m.TotalCount = types.Int64Value(int64(len(r.out.Snapshots)))
	m.Snapshots = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	r.log(ctx, start)
}

// ReadProto serves ReadDataSource on the protocol (see proto.go), with the
// session the provider configured.
func (d *desktopSnapshotsDataSource) ReadProto(ctx context.Context, session *client.Session, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	start := time.Now()
	return serveProto(ctx, &d.proto, d, req, getModel[desktopSnapshotsModel], func(ctx context.Context, m desktopSnapshotsModel, diags *diag.Diagnostics) *protoState {
		r := (&desktopSnapshotsDataSource{configured: configured{session: session}}).fetch(ctx, m, diags)
		if diags.HasError() {
			return nil
		}
		return &protoState{
			attrs: map[string]tftypes.Value{
				"region":      tftypes.NewValue(tftypes.String, stateRegion(m.Region, r.region).ValueString()),
				"id":          tftypes.NewValue(tftypes.String, r.id),
				"total_count": tftypes.NewValue(tftypes.Number, int64(len(r.out.Snapshots))),
			},
			items: map[string]stateItems{"snapshots": itemList[workspace.DesktopSnapshot]{workspace.DesktopSnapshotObject, r.out.Snapshots}},
			log:   func() { r.log(ctx, start) },
		}
	})
}

// fetched is what one read found.
type fetched struct {
	region string
	id     string
	out    *workspace.ListDesktopSnapshotsOutput
	at     time.Time
}

// log writes one line per read, so that the time spent in the provider can be
// told apart from Terraform's in TF_LOG_PROVIDER output (see BENCHMARKS.md).
func (r *fetched) log(ctx context.Context, start time.Time) {
	tflog.Info(ctx, "Read desktop snapshots", map[string]any{
		"snapshots": len(r.out.Snapshots), "pages": r.out.Requests,
		"fetch_ms": r.at.Sub(start).Milliseconds(), "duration_ms": time.Since(start).Milliseconds(),
	})
}

// fetch does the part of a read both paths share: the timeout, the request from
// the configuration, the project lookup and the listing. Problems go to diags,
// API warnings too.
func (d *desktopSnapshotsDataSource) fetch(ctx context.Context, m desktopSnapshotsModel, diags *diag.Diagnostics) *fetched {
	input, ds := m.input(ctx)
	diags.Append(ds...)
	if diags.HasError() {
		return nil
	}
	c := begin(ctx, d.session, m.Timeouts, m.Region, diags)
	if c == nil {
		return nil
	}
	defer c.cancel()
	ctx, region, projectID := c.ctx, c.region, c.projectID
	out, err := workspace.ListDesktopSnapshots(ctx, c.session.Client(), c.session.WorkspaceEndpoint(region), projectID, input)
	if err != nil {
		diags.AddError("Cannot list desktop snapshots", apiErrorDetail(ctx, err, c.timeout))
		return nil
	}
	for _, w := range out.Warnings {
		diags.AddWarning("Unexpected answer from the Workspace API", w)
	}
	return &fetched{region: region, id: dataSourceID(region, projectID, input.Query()), out: out, at: time.Now()}
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
