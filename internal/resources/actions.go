package resources

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

// The three batch actions share one implementation: a list of IDs sent in
// batches of workspace.MaxBatch, every job waited for concurrently
// (workspace.RunBatches), progress reported, and every failed sub-job named.

// actionTimeout bounds one action: the requests and every job.
const actionTimeout = 60 * time.Minute

// batchAction is one of the actions.
type batchAction struct {
	session *client.Session
	spec    batchSpec
}

// batchSpec is what tells the actions apart.
type batchSpec struct {
	suffix string // the type name without the provider's: the listed object's and the verb
	desc   string
	// ids is the list argument, noun what it lists ("desktops").
	ids, noun, idsDesc string
	// extra are the arguments beyond the list and region.
	extra map[string]schema.Attribute
	// submit sends one batch.
	submit func(ctx context.Context, o *op, args actionArgs, batch []string) (string, error)
}

// actionArgs are the arguments of any of the actions.
type actionArgs struct {
	IDs         []string
	DiskType    types.String
	Name        types.String
	Description types.String
	Region      types.String
}

var _ action.ActionWithConfigure = (*batchAction)(nil)

func idsAttribute(desc string) schema.ListAttribute {
	return schema.ListAttribute{
		Required: true, ElementType: types.StringType, MarkdownDescription: desc + " Sent in requests of at most 100; must not be empty or repeat an ID.",
		Validators: []validator.List{
			listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
			listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
		},
	}
}

// NewDesktopSnapshotCreateAction is huaweicloud_workspace_desktop_snapshot_create.
func NewDesktopSnapshotCreateAction() action.Action {
	return &batchAction{spec: batchSpec{
		suffix: snapshot.TypeName + "_create",
		desc: "Takes snapshots of desktops (`BatchCreateDesktopSnapshot`), for instance before a change through an `action_trigger`, and waits " +
			"until every snapshot job has ended. A desktop whose snapshot fails fails the action, named with its `error_code` and `fail_reason`. " +
			"The snapshots are not managed by Terraform; list them with the `huaweicloud_workspace_desktop_snapshots` data source or a `list` block.",
		ids: "desktop_ids", noun: "desktops", idsDesc: "IDs of the desktops to take snapshots of.",
		extra: map[string]schema.Attribute{
			"disk_type": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.OneOf(actionDiskTypes...)},
				MarkdownDescription: "The disks to take snapshots of: `SYSTEM_DISK`, `DATA_DISKS`, or `ALL` (the default), one snapshot per disk kind."},
			"name": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "Name given to the API for every snapshot; the API stores desktop name, this name and a timestamp in `snapshot_name`."},
			"description": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "Description of every snapshot."},
		},
		submit: func(ctx context.Context, o *op, a actionArgs, batch []string) (string, error) {
			disk := a.DiskType.ValueString()
			if disk == "" {
				disk = workspace.DiskTypeAll
			}
			return workspace.CreateDesktopSnapshots(ctx, o.Session.Client(), o.Endpoint, o.ProjectID,
				workspace.NewCreateDesktopSnapshotsInput(batch, disk, a.Name.ValueString(), a.Description.ValueString()))
		},
	}}
}

// NewDesktopSnapshotRestoreAction is huaweicloud_workspace_desktop_snapshot_restore.
func NewDesktopSnapshotRestoreAction() action.Action {
	return snapshotsAction("restore", "Restores desktops from snapshots (`BatchRestoreDesktopSnapshot`), for instance after a bad change",
		workspace.RestoreDesktopSnapshots)
}

// NewDesktopSnapshotDeleteAction is huaweicloud_workspace_desktop_snapshot_delete.
func NewDesktopSnapshotDeleteAction() action.Action {
	return snapshotsAction("delete", "Deletes snapshots (`BatchDeleteDesktopSnapshot`), for instance those a retention rule chose",
		workspace.DeleteDesktopSnapshots)
}

// snapshotsAction is an action on a list of snapshot IDs that call sends.
func snapshotsAction(verb, what string, call func(context.Context, *transport.Client, string, string, []string) (string, error)) action.Action {
	return &batchAction{spec: batchSpec{
		suffix: snapshot.TypeName + "_" + verb,
		desc: what + ", and waits until every " + verb + " job has ended. A failed " + verb +
			" fails the action, naming the desktop with its `error_code` and `fail_reason`.",
		ids: "snapshot_ids", noun: "snapshots", idsDesc: "IDs of the snapshots to " + verb + ".",
		submit: func(ctx context.Context, o *op, _ actionArgs, batch []string) (string, error) {
			return call(ctx, o.Session.Client(), o.Endpoint, o.ProjectID, batch)
		},
	}}
}

func (b *batchAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.spec.suffix
}

func (b *batchAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	b.session = sessionOf(req.ProviderData, &resp.Diagnostics)
}

func (b *batchAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		b.spec.ids: idsAttribute(b.spec.idsDesc),
		"region": schema.StringAttribute{Optional: true,
			MarkdownDescription: "The region of the " + b.spec.noun + ". Defaults to the provider's `region`; `\"\"` means the provider's region too."},
	}
	for k, v := range b.spec.extra {
		attrs[k] = v
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: b.spec.desc + fmt.Sprintf(" The whole action may take %d minutes. Needs Terraform 1.14 or later.", int(actionTimeout.Minutes())),
		Attributes:          attrs,
	}
}

func (b *batchAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var a actionArgs
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(b.spec.ids), &a.IDs)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &a.Region)...)
	for name, target := range map[string]*types.String{"disk_type": &a.DiskType, "name": &a.Name, "description": &a.Description} {
		if _, ok := b.spec.extra[name]; ok {
			resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), target)...)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	o := begin(ctx, b.session, actionTimeout, a.Region, &resp.Diagnostics)
	if o == nil {
		return
	}
	defer o.Cancel()
	var mu sync.Mutex
	last := -1
	progress := func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done != last && resp.SendProgress != nil {
			last = done
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%d of %d %s done", done, total, b.spec.noun)})
		}
	}
	batches, err := workspace.RunBatches(o.Ctx, o.Session.Client(), o.Endpoint, o.ProjectID, a.IDs, func(ctx context.Context, batch []string) (string, error) {
		return b.spec.submit(ctx, o, a, batch)
	}, workspace.WaitOptions{}, progress)
	if err == nil {
		return
	}
	var lines []string
	for i, bt := range batches {
		if bt.Err == nil {
			continue
		}
		lines = append(lines, fmt.Sprintf("Batch %d of %d (%s %d to %d): %s", i+1, len(batches), b.spec.noun, i*workspace.MaxBatch+1, i*workspace.MaxBatch+len(bt.Items), o.Detail(bt.Err, "")))
	}
	resp.Diagnostics.AddError(fmt.Sprintf("Not every one of the %d %s succeeded", len(a.IDs), b.spec.noun), strings.Join(lines, "\n\n"))
}
