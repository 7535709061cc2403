package resources

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

var (
	_ resource.ResourceWithConfigure   = (*desktopSnapshotResource)(nil)
	_ resource.ResourceWithIdentity    = (*desktopSnapshotResource)(nil)
	_ resource.ResourceWithImportState = (*desktopSnapshotResource)(nil)
)

// Default timeouts of the resource.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
)

// desktopSnapshotResource is huaweicloud_workspace_desktop_snapshot: one
// manual snapshot of one desktop's system or data disk.
type desktopSnapshotResource struct {
	shell
}

// snapshot is the listed object the resource and its list resource derive
// from: type name, listing, filters, identity.
var snapshot = schemakit.DesktopSnapshot

// NewDesktopSnapshotResource returns the resource, for the provider's list.
func NewDesktopSnapshotResource() resource.Resource {
	return &desktopSnapshotResource{shell{typeName: snapshot.TypeName}}
}

// NewDesktopSnapshotListResource returns the list resource
// huaweicloud_workspace_desktop_snapshot, for the provider's list: the
// snapshots the list data source's filters match (GET
// /v2/{project_id}/snapshots), each with the resource's identity and, with
// include_resource, the resource's object as Read writes it (setSnapshot).
//
// @API Workspace GET /v2/{project_id}/snapshots
func NewDesktopSnapshotListResource() list.ListResource {
	return newListResource(snapshot, "Lists desktop snapshots for `list` blocks (`terraform query`, Terraform 1.14 and later) with the filters of the "+
		"`huaweicloud_workspace_desktop_snapshots` data source. Each result is named `<snapshot_name> (<desktop_name>)` and has the "+
		"`huaweicloud_workspace_desktop_snapshot` resource's identity, so `terraform query -generate-config-out` writes blocks that import it. "+
		"A `limit` up to 1000 is one request of that many; otherwise every page is read, concurrently.", setSnapshot)
}

// snapshotArgs are the resource's arguments and its ID, which getArgs reads
// by name.
type snapshotArgs struct {
	ID, DesktopID, DiskType, Name, Description, Region types.String
	Timeouts                                           timeouts.Value
}

// getArgs reads the arguments from a plan or state.
func getArgs(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics, diags *diag.Diagnostics) snapshotArgs {
	var a snapshotArgs
	for name, target := range map[string]any{
		"id": &a.ID, "desktop_id": &a.DesktopID, "disk_type": &a.DiskType, "name": &a.Name,
		"description": &a.Description, "region": &a.Region, "timeouts": &a.Timeouts,
	} {
		diags.Append(get(ctx, path.Root(name), target)...)
	}
	return a
}

// IdentitySchema is the snapshot's ID and region (identitySchema).
func (r *desktopSnapshotResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(snapshot)
}

// computedKindAttributes gives, by a field's kind, the resource attribute of a
// computed field described by desc: one row per kind (the field's value comes
// from schemakit.FieldValue, which the data sources share).
var computedKindAttributes = map[listing.Kind]func(desc string) schema.Attribute{
	listing.KindString: func(d string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: d,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	},
	listing.KindBool:  func(d string) schema.Attribute { return schema.BoolAttribute{Computed: true, MarkdownDescription: d} },
	listing.KindInt64: func(d string) schema.Attribute { return schema.Int64Attribute{Computed: true, MarkdownDescription: d} },
	listing.KindFloat64: func(d string) schema.Attribute {
		return schema.Float64Attribute{Computed: true, MarkdownDescription: d}
	},
}

// computedAttributes are the declared fields of o's items as computed
// resource attributes, kept across plans, and its ID as id.
func computedAttributes[T any, In schemakit.Input](o *schemakit.Listed[T, In]) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for _, f := range o.Listing.Object.Fields {
		attrs[f.Name] = computedKindAttributes[f.Kind](f.Description)
	}
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The " + o.One + "'s ID, as `" + o.IDAttribute() + "`.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	return attrs
}

func (r *desktopSnapshotResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	attrs := computedAttributes(snapshot)
	attrs["desktop_id"] = schema.StringAttribute{Required: true, PlanModifiers: replace,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		MarkdownDescription: "ID of the desktop to take the snapshot of. Changing it replaces the snapshot."}
	attrs["disk_type"] = schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(workspace.DiskTypeSystem), PlanModifiers: replace,
		Validators: []validator.String{stringvalidator.OneOf(resourceDiskTypes...)},
		MarkdownDescription: "The disk to take the snapshot of: `SYSTEM_DISK` (the default) or `DATA_DISKS`. One resource is one snapshot, so `ALL` " +
			"(two snapshots) is only for the `huaweicloud_workspace_desktop_snapshot_create` action. Changing it replaces the snapshot."}
	attrs["name"] = schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(nameChanged,
		"Replaces the snapshot, unless the state has no name (after an import) and snapshot_name contains the new one.",
		"Replaces the snapshot, unless the state has no name (after an import) and `snapshot_name` contains the new one.")},
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		MarkdownDescription: "Name given to the API. The API stores its own name built from it (desktop name, this name and a timestamp, " +
			"in `snapshot_name`). Null after an import, since the API does not keep it; setting it then to a part of `snapshot_name` " +
			"only records it. Otherwise changing it replaces the snapshot."}
	attrs["description"] = schema.StringAttribute{Optional: true, Computed: true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()},
		Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		MarkdownDescription: "Snapshot description. When omitted, the API's is read (empty for snapshots created without one). " +
			"Changing it replaces the snapshot."}
	attrs["region"] = schema.StringAttribute{Optional: true, Computed: true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()},
		MarkdownDescription: "The region of the desktop. Defaults to the provider's `region`, which is then stored here; `\"\"` also means the provider's region " +
			"and stays `\"\"`. Changing it replaces the snapshot."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A manual snapshot of a Workspace desktop's system disk or data disks. Create takes it with `BatchCreateDesktopSnapshot` " +
			"and waits for the job; Read finds it in `ListDesktopSnapshot` (a snapshot gone is removed from the state); Delete takes it away with " +
			"`BatchDeleteDesktopSnapshot` and waits for that job. Every argument replaces the snapshot when changed. Import by `id` " +
			"(the snapshot ID) or, with Terraform 1.12 and later, by `identity`.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeouts.Opts{
			Create: true, Delete: true,
			CreateDescription: fmt.Sprintf("How long creating may take: the request, the job and finding the snapshot. Defaults to `%s`.", defaultCreateTimeout),
			DeleteDescription: fmt.Sprintf("How long deleting may take, the job included. Defaults to `%s`.", defaultDeleteTimeout),
		})},
	}
}

// setSnapshot writes a found snapshot into st: its fields, id, region (as
// configured, else the region used) and disk_type.
func setSnapshot(ctx context.Context, st attrSetter, s *workspace.DesktopSnapshot, configuredRegion types.String, region string, diags *diag.Diagnostics) {
	for name, v := range snapshot.Values(s) {
		diags.Append(st.SetAttribute(ctx, path.Root(name), v)...)
	}
	if configuredRegion.IsNull() || configuredRegion.IsUnknown() {
		configuredRegion = types.StringValue(region)
	}
	diags.Append(st.SetAttribute(ctx, path.Root("region"), configuredRegion)...)
	if s.IsSystemDisk != nil {
		diags.Append(st.SetAttribute(ctx, path.Root("disk_type"), diskTypeOf(*s.IsSystemDisk))...)
	}
}

func diskTypeOf(system bool) string {
	if system {
		return workspace.DiskTypeSystem
	}
	return workspace.DiskTypeData
}

func (r *desktopSnapshotResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	a := getArgs(ctx, req.Plan.GetAttribute, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, ds := a.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(ds...)
	o := begin(ctx, r.session, timeout, a.Region, &resp.Diagnostics)
	if o == nil {
		return
	}
	defer o.Cancel()
	desktop, disk, name := a.DesktopID.ValueString(), a.DiskType.ValueString(), a.Name.ValueString()
	c := o.Session.Client()
	sent := time.Now()
	in := workspace.NewCreateDesktopSnapshotsInput([]string{desktop}, disk, name, a.Description.ValueString())
	jobID, err := workspace.CreateDesktopSnapshots(o.Ctx, c, o.Endpoint, o.ProjectID, in)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the desktop snapshot", fmt.Sprintf("BatchCreateDesktopSnapshot for desktop %s failed: %s", desktop, o.Detail(err, "create Workspace snapshots")))
		return
	}
	job, err := workspace.WaitJob(o.Ctx, c, o.Endpoint, o.ProjectID, jobID, workspace.WaitOptions{})
	if err == nil {
		err = job.Err()
	}
	if err != nil {
		next := "Nothing was stored in the state."
		var waitErr *workspace.JobWaitError
		if errors.As(err, &waitErr) {
			next += " If the job finishes later, adopt its snapshot with an import block."
		}
		resp.Diagnostics.AddError("The desktop snapshot was not created", fmt.Sprintf("The snapshot job of desktop %s did not succeed: %s\n\n%s",
			desktop, o.Detail(err, ""), next))
		return
	}
	begun, err := workspace.ParseAPITime(job.BeginTime)
	if err != nil {
		begun = sent
	}
	// @API Workspace GET /v2/{project_id}/snapshots
	out, err := workspace.ListDesktopSnapshots(o.Ctx, c, o.Endpoint, o.ProjectID, workspace.ListDesktopSnapshotsInput{DesktopID: desktop, DiskType: disk, CreateType: "MANUALLY"})
	if err != nil {
		resp.Diagnostics.AddError("Cannot find the new desktop snapshot", fmt.Sprintf("Job %s succeeded, but listing the snapshots of desktop %s failed: %s", jobID, desktop, o.Detail(err, "list Workspace snapshots")))
		return
	}
	s := workspace.FindCreatedSnapshot(out.Snapshots, desktop, disk, name, begun)
	if s == nil {
		resp.Diagnostics.AddError("Cannot find the new desktop snapshot", fmt.Sprintf("Job %s succeeded, but desktop %s has no MANUALLY %s snapshot created since %s (less a minute's slack) "+
			"whose snapshot_name contains %q. Check the desktop's snapshots with the huaweicloud_workspace_desktop_snapshots data source.",
			jobID, desktop, disk, begun.UTC().Format(time.RFC3339), name))
		return
	}
	if st := deref(s.Status); st != "create_success" {
		resp.Diagnostics.AddError("The desktop snapshot was not created", fmt.Sprintf("Job %s ended, but snapshot %s of desktop %s is %q, not create_success. "+
			"Nothing was stored in the state; delete the snapshot, or adopt it with an import block once it is usable.", jobID, deref(s.SnapshotID), desktop, st))
		return
	}
	resp.State.Raw = req.Plan.Raw.Copy() // the arguments as planned; setSnapshot fills the rest
	setSnapshot(ctx, &resp.State, s, a.Region, o.Region, &resp.Diagnostics)
	setIdentity(ctx, snapshot, resp.Identity, deref(s.SnapshotID), o.Region, &resp.Diagnostics)
}

func (r *desktopSnapshotResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	a := getArgs(ctx, req.State.GetAttribute, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	o := begin(ctx, r.session, defaultReadTimeout, a.Region, &resp.Diagnostics)
	if o == nil {
		return
	}
	defer o.Cancel()
	id := a.ID.ValueString()
	// @API Workspace GET /v2/{project_id}/snapshots
	s, err := snapshot.Find(o, id, a.DesktopID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the desktop snapshot", fmt.Sprintf("Listing the snapshots to find %s failed: %s", id, o.Detail(err, "list Workspace snapshots")))
		return
	}
	if s == nil {
		tflog.Info(ctx, "Desktop snapshot is gone: removing it from the state", map[string]any{snapshot.IDAttribute(): id})
		resp.State.RemoveResource(ctx)
		// The framework wants an identity even then, and a CLI before 1.12
		// sends none to keep.
		setIdentity(ctx, snapshot, resp.Identity, id, o.Region, &resp.Diagnostics)
		return
	}
	setSnapshot(ctx, &resp.State, s, a.Region, o.Region, &resp.Diagnostics)
	setIdentity(ctx, snapshot, resp.Identity, id, o.Region, &resp.Diagnostics)
}

// nameChanged replaces the snapshot for a new name, except when an imported
// snapshot (no name in the state) is given a name its snapshot_name contains.
func nameChanged(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	var snapshotName types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("snapshot_name"), &snapshotName)...)
	resp.RequiresReplace = !req.StateValue.IsNull() || req.PlanValue.IsUnknown() ||
		!strings.Contains(snapshotName.ValueString(), req.PlanValue.ValueString())
}

// Update changes only what needs no API call: the timeouts, and the name of
// an imported snapshot (nameChanged).
func (r *desktopSnapshotResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.State.Raw.Copy()
	var t timeouts.Value
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), t)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	// A CLI before 1.12 sends no identity to keep; the framework wants one.
	var id, region types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("region"), &region)...)
	if region.ValueString() == "" && r.session != nil {
		region = types.StringValue(r.session.Region())
	}
	setIdentity(ctx, snapshot, resp.Identity, id.ValueString(), region.ValueString(), &resp.Diagnostics)
}

func (r *desktopSnapshotResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	a := getArgs(ctx, req.State.GetAttribute, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, ds := a.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(ds...)
	o := begin(ctx, r.session, timeout, a.Region, &resp.Diagnostics)
	if o == nil {
		return
	}
	defer o.Cancel()
	id := a.ID.ValueString()
	c := o.Session.Client()
	jobID, err := workspace.DeleteDesktopSnapshots(o.Ctx, c, o.Endpoint, o.ProjectID, []string{id})
	var apiErr *transport.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return // already gone
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot delete the desktop snapshot", fmt.Sprintf("BatchDeleteDesktopSnapshot of snapshot %s failed: %s", id, o.Detail(err, "delete Workspace snapshots")))
		return
	}
	job, err := workspace.WaitJob(o.Ctx, c, o.Endpoint, o.ProjectID, jobID, workspace.WaitOptions{})
	if err == nil {
		err = job.Err()
	}
	if err != nil {
		resp.Diagnostics.AddError("The desktop snapshot was not deleted", fmt.Sprintf("The delete job of snapshot %s did not succeed: %s", id, o.Detail(err, "")))
	}
}

// ImportState takes the snapshot ID from the import ID or from the identity
// (with its region, when given); Read then finds the rest.
func (r *desktopSnapshotResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, region := req.ID, types.StringNull()
	if id == "" && req.Identity != nil {
		var ident types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(snapshot.IDAttribute()), &ident)...)
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root("region"), &region)...)
		id = ident.ValueString()
	}
	if id == "" {
		resp.Diagnostics.AddError("Missing snapshot ID", "Import a desktop snapshot by its snapshot ID: id = \"<snapshot_id>\", or identity = { snapshot_id = \"<snapshot_id>\" }.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(snapshot.IDAttribute()), id)...)
	if !region.IsNull() && region.ValueString() != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), region)...)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
