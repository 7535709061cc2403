// Package datasources holds the provider's data sources, one file each.
package datasources

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
)

// DefaultReadTimeout bounds a whole read when the timeouts block does not.
const DefaultReadTimeout = 5 * time.Minute

// Allowed values of the enumerated arguments, as the API page lists them.
var (
	DiskTypes   = []string{"SYSTEM_DISK", "DATA_DISKS", "ALL"}
	CreateTypes = []string{"AUTO", "MANUALLY"}
	Statuses    = []string{"creating", "restoring", "create_success", "create_failed", "restore_success", "restore_failed"}
	SortFields  = []string{"create_time", "snapshot_name"}
	SortTypes   = []string{"ASC", "DESC"}
)

var (
	_ datasource.DataSource              = (*DesktopSnapshotsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*DesktopSnapshotsDataSource)(nil)
)

// DesktopSnapshotsDataSource is huaweicloud_workspace_desktop_snapshots.
type DesktopSnapshotsDataSource struct {
	session *client.Session
}

// NewDesktopSnapshotsDataSource returns the data source, for the provider's list.
func NewDesktopSnapshotsDataSource() datasource.DataSource { return &DesktopSnapshotsDataSource{} }

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
func (d *DesktopSnapshotsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_desktop_snapshots"
}

// oneOf describes an enumerated argument and refuses other values at plan time.
func oneOf(meaning string, values []string) (string, []validator.String) {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return meaning + " One of " + strings.Join(quoted, ", ") + ".", []validator.String{stringvalidator.OneOf(values...)}
}

// nameFilter is a single-value filter: not empty, since an empty value would
// filter on "" rather than not filter.
func nameFilter(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		MarkdownDescription: desc + " Omit it rather than set it to `\"\"`.",
	}
}

// listFilter is an array filter, sent as repeated query keys. An empty list is
// refused: the API would read it as no filter at all and return every snapshot.
func listFilter(desc string) schema.ListAttribute {
	return schema.ListAttribute{
		Optional:    true,
		ElementType: types.StringType,
		Validators: []validator.List{
			listvalidator.SizeAtLeast(1),
			listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
		},
		MarkdownDescription: desc + " Matches any of the values. Must not be empty: the API would read an empty list as no filter; omit the argument (or set it to `null`) to list all.",
	}
}

// Schema describes the data source from the API page's meanings.
func (d *DesktopSnapshotsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	diskDesc, diskV := oneOf("Snapshot type: snapshots of system disks, of data disks, or of both.", DiskTypes)
	createDesc, createV := oneOf("How the snapshot was created: automatically by a scheduled policy, or manually.", CreateTypes)
	statusDesc, statusV := oneOf("Snapshot status.", Statuses)
	sortFieldDesc, sortFieldV := oneOf("Field to sort by, used together with `sort_type`.", SortFields)
	sortTypeDesc, sortTypeV := oneOf("Sort order, ascending (the API's default) or descending. Requires `sort_field`.", SortTypes)
	sortTypeV = append(sortTypeV, stringvalidator.AlsoRequires(path.MatchRoot("sort_field")))

	filter := func(desc string, v []validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Validators: v, MarkdownDescription: desc}
	}
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the desktop snapshots of a Huawei Cloud Workspace project through the `ListDesktopSnapshot` API " +
			"(`GET /v2/{project_id}/snapshots`): every filter the API has, every page (1000 snapshots a request), every field, in the API's order.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "A hash of the region, the project and the filters: the same arguments give the same ID on every read.",
			},
			"region": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The region to list snapshots in. Defaults to the provider's `region`, which is then stored here. " +
					"`region = \"\"` also means the provider's region, as in the official provider, so that a module can pass `region = var.region` with an empty default; " +
					"the attribute then stays `\"\"`, as Terraform requires of a value set in the configuration.",
			},
			"desktop_id":     nameFilter("Desktop ID: only snapshots of this desktop."),
			"desktop_ids":    listFilter("Desktop IDs: only snapshots of these desktops."),
			"desktop_name":   nameFilter("Desktop name: only snapshots of desktops with this name."),
			"desktop_names":  listFilter("Desktop names: only snapshots of desktops with these names."),
			"snapshot_name":  nameFilter("Snapshot name: only snapshots with this name."),
			"snapshot_names": listFilter("Snapshot names: only snapshots with these names."),
			"disk_type":      filter(diskDesc, diskV),
			"create_type":    filter(createDesc, createV),
			"status":         filter(statusDesc, statusV),
			"sort_field":     filter(sortFieldDesc, sortFieldV),
			"sort_type":      filter(sortTypeDesc, sortTypeV),
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "The number of snapshots in `snapshots`.",
			},
			"snapshots": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The snapshots found, in the API's order (or the order `sort_field` and `sort_type` ask for); empty when none match. A field the API leaves out is `null`.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"snapshot_id":     computedString("Desktop snapshot ID."),
						"snapshot_name":   computedString("Desktop snapshot record name."),
						"desktop_id":      computedString("ID of the desktop the snapshot belongs to."),
						"desktop_name":    computedString("Name of the desktop the snapshot belongs to."),
						"desktop_sid":     computedString("SID of the desktop the snapshot belongs to."),
						"desktop_pool_id": computedString("ID of the desktop pool of the snapshot's desktop."),
						"is_system_disk": schema.BoolAttribute{
							Computed:            true,
							MarkdownDescription: "Disk type of the snapshot: `true` for a system disk, `false` for a data disk.",
						},
						"status": computedString("Snapshot status: `creating`, `restoring`, `create_success`, `create_failed`, `restore_success` or `restore_failed`."),
						"process": schema.Int64Attribute{
							Computed:            true,
							MarkdownDescription: "Progress of the snapshot's task, 0 to 100 percent; `null` when the snapshot has no task.",
						},
						"description":         computedString("Snapshot description."),
						"create_time":         computedString("Creation time, UTC, as `yyyy-MM-ddTHH:mm:ssZ`."),
						"create_type":         computedString("How the snapshot was created: `AUTO` or `MANUALLY`."),
						"last_restore_time":   computedString("Time of the latest restore, UTC, as `yyyy-MM-ddTHH:mm:ssZ`."),
						"restore_fail_reason": computedString("Why the latest restore failed."),
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				ReadDescription: fmt.Sprintf("How long the whole read may take, as a duration such as `30s` or `10m`: the project lookup, every page, "+
					"every retry and every wait between retries. Defaults to `%s`. Each single request is also bounded by %s, so that one stuck connection is retried "+
					"rather than eating the whole budget; a retry that would start after this deadline is not attempted.", DefaultReadTimeout, client.DefaultRequestTimeout),
			}),
		},
	}
}

// Configure takes the provider's session.
func (d *DesktopSnapshotsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	s, ok := req.ProviderData.(*client.Session)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("Expected *client.Session, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.session = s
}

// Read lists the snapshots: config → request → paged listing → state. The
// provider serves this data source's reads with ReadProto, which skips the
// framework's state handling; this Read is the framework's path, kept for
// providerserver users and for the benchmark that compares the two.
func (d *DesktopSnapshotsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	start := time.Now()
	var m desktopSnapshotsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r := d.fetch(ctx, m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	list, diags := convertSnapshots(r.out.Snapshots)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.Region.IsNull() {
		m.Region = types.StringValue(r.region)
	}
	m.ID = types.StringValue(r.id)
	m.TotalCount = types.Int64Value(int64(len(r.out.Snapshots)))
	m.Snapshots = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	r.log(ctx, start)
}

// fetched is what one read found.
type fetched struct {
	region string
	id     string
	out    *client.ListDesktopSnapshotsOutput
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
func (d *DesktopSnapshotsDataSource) fetch(ctx context.Context, m desktopSnapshotsModel, diags *diag.Diagnostics) *fetched {
	if d.session == nil {
		diags.AddError("Provider not configured", "The huaweicloud provider was not configured before this data source was read. This is a bug in the provider or Terraform; please report it.")
		return nil
	}
	timeout, ds := m.Timeouts.Read(ctx, DefaultReadTimeout)
	diags.Append(ds...)
	if diags.HasError() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	input, ds := m.input(ctx)
	diags.Append(ds...)
	if diags.HasError() {
		return nil
	}

	region := m.Region.ValueString()
	if m.Region.IsNull() || region == "" {
		region = d.session.Region()
	}
	projectID, err := d.session.ProjectID(ctx, region)
	if err != nil {
		diags.AddError("Cannot find the project ID", projectLookupDetail(ctx, region, err, timeout))
		return nil
	}
	out, err := d.session.Client().ListDesktopSnapshots(ctx, d.session.WorkspaceEndpoint(region), projectID, input)
	if err != nil {
		diags.AddError("Cannot list desktop snapshots", apiErrorDetail(ctx, err, timeout))
		return nil
	}
	for _, w := range out.Warnings {
		diags.AddWarning("Unexpected answer from the Workspace API", w)
	}
	return &fetched{region: region, id: dataSourceID(region, projectID, input), out: out, at: time.Now()}
}

// input builds the API request's filters from the configuration.
func (m desktopSnapshotsModel) input(ctx context.Context) (client.ListDesktopSnapshotsInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	strs := func(l types.List) []string {
		if l.IsNull() || l.IsUnknown() {
			return nil
		}
		var out []string
		diags.Append(l.ElementsAs(ctx, &out, false)...)
		return out
	}
	return client.ListDesktopSnapshotsInput{
		DesktopID:     m.DesktopID.ValueString(),
		DesktopIDs:    strs(m.DesktopIDs),
		DesktopName:   m.DesktopName.ValueString(),
		DesktopNames:  strs(m.DesktopNames),
		SnapshotName:  m.SnapshotName.ValueString(),
		SnapshotNames: strs(m.SnapshotNames),
		DiskType:      m.DiskType.ValueString(),
		CreateType:    m.CreateType.ValueString(),
		Status:        m.Status.ValueString(),
		SortField:     m.SortField.ValueString(),
		SortType:      m.SortType.ValueString(),
	}, diags
}

// dataSourceID hashes what selects the listing, so that equal arguments give equal
// IDs. Values are length-prefixed so that no two different inputs collide by
// concatenation.
func dataSourceID(region, projectID string, in client.ListDesktopSnapshotsInput) string {
	h := sha256.New()
	write := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	write(region)
	write(projectID)
	for _, p := range in.Query() {
		write(p.Key)
		write(p.Value)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// timeoutNote explains a context that ran out.
func timeoutNote(ctx context.Context, timeout time.Duration) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("\n\nThe read timed out after %s; raise it with a timeouts { read = \"...\" } block.", timeout)
	}
	return ""
}

func projectLookupDetail(ctx context.Context, region string, err error, timeout time.Duration) string {
	return fmt.Sprintf("The provider looked up the project ID of region %q in IAM, because no project_id is configured for it: %s.\n\n"+
		"Set project_id in the provider block (or HW_PROJECT_ID) to the project ID shown in the console under My Credentials > Projects, "+
		"or check the region's name (or project_name) and that the credentials may list IAM projects.%s%s", region, err, tlsNote(err), timeoutNote(ctx, timeout))
}

func apiErrorDetail(ctx context.Context, err error, timeout time.Duration) string {
	detail := err.Error()
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.ErrorCode == "APIG.0301":
			detail += "\n\nThe gateway refused the signature: check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), " +
				"security_token for temporary credentials, and this machine's clock."
		case apiErr.StatusCode == 403:
			detail += "\n\nThe credentials lack permission to list Workspace snapshots in this project."
		}
	}
	return detail + tlsNote(err) + timeoutNote(ctx, timeout)
}

// tlsNote explains a server certificate that could not be verified.
func tlsNote(err error) string {
	var verifyErr *tls.CertificateVerificationError
	if errors.As(err, &verifyErr) {
		return "\n\nThe endpoint's TLS certificate could not be verified. If a private CA signs it (a proxy, a private cloud), " +
			"point cacert_file (or HW_CACERT, OS_CACERT) at that CA's PEM file."
	}
	return ""
}

// snapshotAttrTypes is the object type of one snapshot, built once.
var snapshotAttrTypes = map[string]attr.Type{
	"snapshot_id":         types.StringType,
	"snapshot_name":       types.StringType,
	"desktop_id":          types.StringType,
	"desktop_name":        types.StringType,
	"desktop_sid":         types.StringType,
	"desktop_pool_id":     types.StringType,
	"is_system_disk":      types.BoolType,
	"status":              types.StringType,
	"process":             types.Int64Type,
	"description":         types.StringType,
	"create_time":         types.StringType,
	"create_type":         types.StringType,
	"last_restore_time":   types.StringType,
	"restore_fail_reason": types.StringType,
}

var snapshotObjectType = types.ObjectType{AttrTypes: snapshotAttrTypes}

// convertSnapshots is the conversion Read uses: snapshotsValue, replaced only by
// the benchmarks that compare it with the framework's reflection.
var convertSnapshots = snapshotsValue

// snapshotsValue converts API snapshots to the list value directly, without the
// framework's reflection: absent fields become null, "" stays "".
func snapshotsValue(snapshots []client.DesktopSnapshot) (types.List, diag.Diagnostics) {
	elems := make([]attr.Value, len(snapshots))
	var diags diag.Diagnostics
	for i, s := range snapshots {
		obj, d := types.ObjectValue(snapshotAttrTypes, map[string]attr.Value{
			"snapshot_id":         types.StringPointerValue(s.SnapshotID),
			"snapshot_name":       types.StringPointerValue(s.SnapshotName),
			"desktop_id":          types.StringPointerValue(s.DesktopID),
			"desktop_name":        types.StringPointerValue(s.DesktopName),
			"desktop_sid":         types.StringPointerValue(s.DesktopSID),
			"desktop_pool_id":     types.StringPointerValue(s.DesktopPoolID),
			"is_system_disk":      types.BoolPointerValue(s.IsSystemDisk),
			"status":              types.StringPointerValue(s.Status),
			"process":             types.Int64PointerValue(s.Process),
			"description":         types.StringPointerValue(s.Description),
			"create_time":         types.StringPointerValue(s.CreateTime),
			"create_type":         types.StringPointerValue(s.CreateType),
			"last_restore_time":   types.StringPointerValue(s.LastRestoreTime),
			"restore_fail_reason": types.StringPointerValue(s.RestoreFailReason),
		})
		diags.Append(d...)
		elems[i] = obj
	}
	if diags.HasError() {
		return types.ListNull(snapshotObjectType), diags
	}
	list, d := types.ListValue(snapshotObjectType, elems)
	diags.Append(d...)
	return list, diags
}
