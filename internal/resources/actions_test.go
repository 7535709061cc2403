package resources_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// actionsNeed14 skips below Terraform 1.14, the first with actions (OpenTofu
// 1.12 has none either).
var actionsNeed14 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// triggered is an action of type typ with config, invoked by a terraform_data
// before it is created or updated, and that terraform_data with input.
func triggered(typ, input string, config ...string) string {
	return fmt.Sprintf(`action %[1]q "this" {
  config {
    %[3]s
  }
}

resource "terraform_data" "change" {
  input = %[2]q
  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.%[1]s.this]
    }
  }
}
`, typ, input, strings.Join(config, "\n    "))
}

func hclList(ids ...string) string {
	return `["` + strings.Join(ids, `", "`) + `"]`
}

// checkSnapshot passes when the fake's snapshot id satisfies ok.
func checkSnapshot(fake *acctest.Fake, projectID, id string, ok func(*fakeapi.Snapshot) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, s := range fake.Snapshots(projectID) {
			if *s.SnapshotID == id {
				return ok(&s)
			}
		}
		return ok(nil)
	}
}

// Snapshot before a change, restore after a bad one, delete: each action waits
// for its job, so the snapshots have settled when apply returns.
func TestAccDesktopSnapshotActions_createRestoreDelete(t *testing.T) {
	fake := acctest.StartFake(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeed14,
		Steps: []resource.TestStep{
			{
				Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_create", "v1",
					"desktop_ids = "+hclList(fakeapi.FreshDesktopID, xzx03Desktop), `disk_type   = "SYSTEM_DISK"`, `name        = "pre"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					fake.CheckBatchBodies("batch-create", `{"desktop_ids":["`+fakeapi.FreshDesktopID+`","`+xzx03Desktop+`"],"disk_type":"SYSTEM_DISK","system_disk_snapshot":{"name":"pre"}}`),
					func(*terraform.State) error {
						for _, d := range []struct{ id, name string }{{fakeapi.FreshDesktopID, "fresh-01"}, {xzx03Desktop, "xzx03"}} {
							s := fake.DesktopSnapshots(fakeapi.ProjectID, d.id)[0] // the newest
							if !strings.HasPrefix(*s.SnapshotName, "pre_"+d.name+"_") || *s.Status != "create_success" || *s.CreateType != "MANUALLY" {
								return fmt.Errorf("desktop %s's newest snapshot: %s %s", d.name, *s.SnapshotName, *s.Status)
							}
						}
						return nil
					},
				),
			},
			{
				Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_restore", "v2", "snapshot_ids = "+hclList(xzx03Snapshot)),
				Check: resource.ComposeAggregateTestCheckFunc(
					fake.CheckBatchBodies("batch-restore", `{"snapshot_ids":["`+xzx03Snapshot+`"]}`),
					checkSnapshot(fake, fakeapi.ProjectID, xzx03Snapshot, func(s *fakeapi.Snapshot) error {
						if s == nil || *s.Status != "restore_success" || s.LastRestoreTime == nil {
							return fmt.Errorf("after the restore: %+v", s)
						}
						return nil
					}),
				),
			},
			{
				Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_delete", "v3", "snapshot_ids = "+hclList(xzx03Snapshot)),
				Check: resource.ComposeAggregateTestCheckFunc(
					fake.CheckBatchBodies("batch-delete", `{"snapshot_ids":["`+xzx03Snapshot+`"]}`),
					checkSnapshot(fake, fakeapi.ProjectID, xzx03Snapshot, func(s *fakeapi.Snapshot) error {
						if s != nil {
							return fmt.Errorf("still there: %+v", s)
						}
						return nil
					}),
				),
			},
		},
	})
}

// 150 snapshots are two requests, of 100 and 50, both jobs waited for.
func TestAccDesktopSnapshotActions_batches(t *testing.T) {
	fake := acctest.StartFake(t)
	var ids []string
	for _, s := range fake.Snapshots(fakeapi.LargeProjectID)[:150] {
		ids = append(ids, *s.SnapshotID)
	}
	body := func(ids []string) string { return `{"snapshot_ids":["` + strings.Join(ids, `","`) + `"]}` }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeed14,
		Steps: []resource.TestStep{{
			Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_delete", "v1",
				`region       = "`+fakeapi.LargeRegion+`"`, "snapshot_ids = "+hclList(ids...)),
			Check: resource.ComposeAggregateTestCheckFunc(
				fake.CheckBatchBodies("batch-delete", body(ids[:100]), body(ids[100:])),
				func(*terraform.State) error {
					if n := len(fake.Snapshots(fakeapi.LargeProjectID)); n != fakeapi.LargeCount-150 {
						return fmt.Errorf("%d snapshots left, want %d", n, fakeapi.LargeCount-150)
					}
					return nil
				},
			),
		}},
	})
}

// A failed sub-job fails the action, naming the desktop with its error_code
// and fail_reason; the others still ran. API errors name what they refused.
func TestAccDesktopSnapshotActions_failures(t *testing.T) {
	fake := acctest.StartFake(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeed14,
		Steps: []resource.TestStep{
			{
				Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_create", "v1",
					"desktop_ids = "+hclList(fakeapi.FreshDesktopID, fakeapi.BusyDesktopID)),
				ExpectError: acctest.ExpectError("Not every one of the 2 desktops succeeded", "Batch 1 of 1 (desktops 1 to 2)", "ended COMPLETE; 1 of 2 failed:",
					`desktop "busy-01" (`+fakeapi.BusyDesktopID+`): status FAIL, error_code "`+fakeapi.BusyErrorCode+`", fail_reason "`+fakeapi.BusyFailReason+`"`),
			},
			{
				Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_restore", "v1", "snapshot_ids = "+hclList("no-such-snapshot")),
				ExpectError: acctest.ExpectError("Not every one of the 1 snapshots succeeded",
					`POST /v2/`+fakeapi.ProjectID+`/snapshots/batch-restore: HTTP 404, error_code "WKS.0153", error_msg "The snapshot no-such-snapshot does not exist", request id`),
			},
		},
	})
	// The fresh desktop's snapshots (system and data disk) were still taken.
	if n := len(fake.DesktopSnapshots(fakeapi.ProjectID, fakeapi.FreshDesktopID)); n != 2 {
		t.Errorf("fresh desktop has %d snapshots, want 2", n)
	}
}

// Bad input is refused at plan time, before any request.
func TestAccDesktopSnapshotActions_badInput(t *testing.T) {
	fake := acctest.StartFake(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeed14,
		Steps: []resource.TestStep{
			{
				Config:      fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_delete", "v1", "snapshot_ids = []"),
				ExpectError: acctest.ExpectError("Attribute snapshot_ids list must contain at least 1 elements, got: 0"),
			},
			{
				Config: fake.ProviderConfig() + triggered("huaweicloud_workspace_desktop_snapshot_create", "v1",
					"desktop_ids = "+hclList(fakeapi.FreshDesktopID), `disk_type   = "BOTH"`),
				ExpectError: acctest.ExpectError(`Attribute disk_type value must be one of: ["SYSTEM_DISK" "DATA_DISKS" "ALL"], got: "BOTH"`),
			},
		},
	})
	if n := len(fake.BatchRequests("")); n != 0 {
		t.Errorf("the fake saw %d batch requests, want none", n)
	}
}
