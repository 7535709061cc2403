package datasources

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// snapshotModel is one snapshot as most framework providers model it: a struct
// with tfsdk tags that the framework's reflection turns into an object.
type snapshotModel struct {
	SnapshotID        types.String `tfsdk:"snapshot_id"`
	SnapshotName      types.String `tfsdk:"snapshot_name"`
	DesktopID         types.String `tfsdk:"desktop_id"`
	DesktopName       types.String `tfsdk:"desktop_name"`
	DesktopSID        types.String `tfsdk:"desktop_sid"`
	DesktopPoolID     types.String `tfsdk:"desktop_pool_id"`
	IsSystemDisk      types.Bool   `tfsdk:"is_system_disk"`
	Status            types.String `tfsdk:"status"`
	Process           types.Int64  `tfsdk:"process"`
	Description       types.String `tfsdk:"description"`
	CreateTime        types.String `tfsdk:"create_time"`
	CreateType        types.String `tfsdk:"create_type"`
	LastRestoreTime   types.String `tfsdk:"last_restore_time"`
	RestoreFailReason types.String `tfsdk:"restore_fail_reason"`
}

// snapshotsValueReflect is the reflection-based conversion the benchmarks compare
// snapshotsValue with: typed models, then types.ListValueFrom.
func snapshotsValueReflect(snapshots []workspace.DesktopSnapshot) (types.List, diag.Diagnostics) {
	models := make([]snapshotModel, len(snapshots))
	for i, s := range snapshots {
		models[i] = snapshotModel{
			SnapshotID:        types.StringPointerValue(s.SnapshotID),
			SnapshotName:      types.StringPointerValue(s.SnapshotName),
			DesktopID:         types.StringPointerValue(s.DesktopID),
			DesktopName:       types.StringPointerValue(s.DesktopName),
			DesktopSID:        types.StringPointerValue(s.DesktopSID),
			DesktopPoolID:     types.StringPointerValue(s.DesktopPoolID),
			IsSystemDisk:      types.BoolPointerValue(s.IsSystemDisk),
			Status:            types.StringPointerValue(s.Status),
			Process:           types.Int64PointerValue(s.Process),
			Description:       types.StringPointerValue(s.Description),
			CreateTime:        types.StringPointerValue(s.CreateTime),
			CreateType:        types.StringPointerValue(s.CreateType),
			LastRestoreTime:   types.StringPointerValue(s.LastRestoreTime),
			RestoreFailReason: types.StringPointerValue(s.RestoreFailReason),
		}
	}
	return types.ListValueFrom(context.Background(), types.ObjectType{AttrTypes: snapshotAttrTypes}, models)
}

// apiSnapshots returns snapshots as the client decodes them from the fake's JSON.
func apiSnapshots(tb testing.TB, fake []fakeapi.Snapshot) []workspace.DesktopSnapshot {
	tb.Helper()
	raw, err := json.Marshal(fake)
	if err != nil {
		tb.Fatal(err)
	}
	var out []workspace.DesktopSnapshot
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// The direct conversion gives exactly what the framework's reflection gives, on
// the curated corners (null, "", process 0 and null) and on generated data.
func TestSnapshotsValueEqualsReflection(t *testing.T) {
	in := apiSnapshots(t, append(fakeapi.Sample(), fakeapi.Generate(500)...))
	in = append(in, workspace.DesktopSnapshot{}) // every field absent
	direct, diags := snapshotsValue(in)
	if diags.HasError() {
		t.Fatal(diags)
	}
	reflected, diags := snapshotsValueReflect(in)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !direct.Equal(reflected) {
		t.Fatal("snapshotsValue and the reflection-based conversion differ")
	}
	for _, n := range []int{0, 1} {
		direct, _ := snapshotsValue(in[:n])
		reflected, _ := snapshotsValueReflect(in[:n])
		if !direct.Equal(reflected) {
			t.Fatalf("%d snapshots: snapshotsValue %v, reflection %v", n, direct, reflected)
		}
	}
}
