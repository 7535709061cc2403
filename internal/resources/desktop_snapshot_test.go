package resources_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

const resAddr = "huaweicloud_workspace_desktop_snapshot.test"

// The sample's xzx03 system-disk snapshot (the API page's example item).
const (
	xzx03Snapshot = "eed156d9-02a5-46f5-8eb1-54f09ab9fbae"
	xzx03Desktop  = "7163a7ba-fc09-4238-ab73-0689ea7f54c3"
)

func snapshotResource(name string, args ...string) string {
	return fmt.Sprintf("resource \"huaweicloud_workspace_desktop_snapshot\" %q {\n  %s\n}\n", name, strings.Join(args, "\n  "))
}

// checkNoSnapshotOf passes when the fake holds no snapshot of the desktop.
func checkNoSnapshotOf(fake *acctest.Fake, desktopID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if snaps := fake.DesktopSnapshots(fakeapi.ProjectID, desktopID); len(snaps) != 0 {
			return fmt.Errorf("desktop %s still has %d snapshots", desktopID, len(snaps))
		}
		return nil
	}
}

// Create waits for the job and records the snapshot at create_success with
// every field the API has; import by ID reads the same; destroy waits for the
// delete job and leaves nothing.
func TestAccDesktopSnapshotResource_lifecycle(t *testing.T) {
	fake := acctest.StartFake(t)
	cfg := fake.ProviderConfig() + snapshotResource("test",
		`desktop_id  = "`+fakeapi.FreshDesktopID+`"`, `name        = "before-upgrade"`, `description = "pre-change"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkNoSnapshotOf(fake, fakeapi.FreshDesktopID),
			fake.CheckBatchBodies("batch-delete", `{"snapshot_ids":["00000001-2000-4000-8000-000000000001"]}`),
		),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					fake.ExpectSnapshotState(resAddr, fake.OnlySnapshotOf(fakeapi.ProjectID, fakeapi.FreshDesktopID)),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("snapshot_id"), knownvalue.StringExact("00000001-2000-4000-8000-000000000001")),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("status"), knownvalue.StringExact("create_success")),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("snapshot_name"), knownvalue.StringRegexp(regexp.MustCompile(`^before-upgrade_fresh-01_\d{13}$`))),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("disk_type"), knownvalue.StringExact("SYSTEM_DISK")),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("is_system_disk"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("name"), knownvalue.StringExact("before-upgrade")),
					statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("region"), knownvalue.StringExact(fakeapi.Region)),
				},
				Check: fake.CheckBatchBodies("batch-create",
					`{"desktop_ids":["`+fakeapi.FreshDesktopID+`"],"disk_type":"SYSTEM_DISK","system_disk_snapshot":{"name":"before-upgrade","description":"pre-change"}}`),
			},
			{
				ResourceName:            resAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"name"}, // the API keeps only its own snapshot_name
			},
		},
	})
}

// A data-disk snapshot without name or description: the request says only the
// disk type, and the API's empty description is read back.
func TestAccDesktopSnapshotResource_dataDisk(t *testing.T) {
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.FreshDesktopID+`"`, `disk_type  = "DATA_DISKS"`),
		ConfigStateChecks: []statecheck.StateCheck{
			fake.ExpectSnapshotState(resAddr, fake.OnlySnapshotOf(fakeapi.ProjectID, fakeapi.FreshDesktopID)),
			statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("is_system_disk"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
			statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("name"), knownvalue.Null()),
		},
		Check: fake.CheckBatchBodies("batch-create", `{"desktop_ids":["`+fakeapi.FreshDesktopID+`"],"disk_type":"DATA_DISKS"}`),
	}})
}

// Adopting an existing snapshot with an import block by ID: with desktop_id
// and disk_type stated, the plan is a pure import, and the state has the API's
// values.
func TestAccDesktopSnapshotResource_importBlockByID(t *testing.T) {
	fake := acctest.StartFake(t)
	want := fake.Snapshots(fakeapi.ProjectID)[2] // xzx03's system disk
	cfg := fake.ProviderConfig() + `import {
  to = huaweicloud_workspace_desktop_snapshot.test
  id = "` + xzx03Snapshot + `"
}
` + snapshotResource("test", `desktop_id = "`+xzx03Desktop+`"`, `disk_type  = "SYSTEM_DISK"`)
	acctest.Run(t, []resource.TestStep{
		{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resAddr, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				fake.ExpectSnapshotState(resAddr, func() (fakeapi.Snapshot, error) { return want, nil }),
				statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("region"), knownvalue.StringExact(fakeapi.Region)),
			},
			Check: fake.CheckBatchBodies("batch-create"),
		},
		{Config: cfg, PlanOnly: true}, // and stays so
		{
			// A name the API's snapshot_name contains is only recorded: no
			// replacement, no request.
			PreConfig: fake.Reset,
			Config:    fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+xzx03Desktop+`"`, `disk_type  = "SYSTEM_DISK"`, `name       = "sys0420"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("name"), knownvalue.StringExact("sys0420")),
				statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("id"), knownvalue.StringExact(xzx03Snapshot)),
			},
			Check: fake.CheckBatchBodies(""),
		},
		{
			// Any other name is another snapshot: the old one is deleted, a new one taken.
			Config: fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+xzx03Desktop+`"`, `disk_type  = "SYSTEM_DISK"`, `name       = "other"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: fake.CheckBatchBodies("batch-delete", `{"snapshot_ids":["`+xzx03Snapshot+`"]}`),
		},
	})
}

// Import by identity (Terraform 1.12 and later carry identities), with and
// without the region, and the identity a create writes.
func TestAccDesktopSnapshotResource_identity(t *testing.T) {
	fake := acctest.StartFake(t)
	cfg := fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.FreshDesktopID+`"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}, // resource identity needs Terraform 1.12+
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resAddr, map[string]knownvalue.Check{
						"snapshot_id": knownvalue.StringExact("00000001-2000-4000-8000-000000000001"),
						"region":      knownvalue.StringExact(fakeapi.Region),
					}),
					statecheck.ExpectIdentityValueMatchesState(resAddr, tfjsonpath.New("snapshot_id")),
				},
			},
			{
				ResourceName:    resAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resAddr, tfjsonpath.New("snapshot_id"), knownvalue.StringExact("00000001-2000-4000-8000-000000000001")),
					plancheck.ExpectKnownValue(resAddr, tfjsonpath.New("desktop_name"), knownvalue.StringExact(fakeapi.FreshDesktopName)),
				}},
			},
		},
	})
}

// Bad input is refused at plan time, before any request.
func TestAccDesktopSnapshotResource_badInput(t *testing.T) {
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{
		{
			Config:      fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.FreshDesktopID+`"`, `disk_type  = "ALL"`),
			ExpectError: acctest.ExpectError(`Attribute disk_type value must be one of: ["SYSTEM_DISK" "DATA_DISKS"], got: "ALL"`),
		},
		{
			Config:      fake.ProviderConfig() + snapshotResource("test", `desktop_id = ""`),
			ExpectError: acctest.ExpectError(`Attribute desktop_id string length must be at least 1, got: 0`),
		},
	})
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("the fake saw %d requests, want none", n)
	}
}

// API failures name the desktop, with status, error_code and request id, and
// leave nothing in the state.
func TestAccDesktopSnapshotResource_apiErrors(t *testing.T) {
	t.Run("busy desktop: the failed sub-job", func(t *testing.T) {
		fake := acctest.StartFake(t)
		acctest.Run(t, []resource.TestStep{{
			Config: fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.BusyDesktopID+`"`),
			ExpectError: acctest.ExpectError("The desktop snapshot was not created", "ended FAIL", `desktop "busy-01" (`+fakeapi.BusyDesktopID+`): status FAIL,`,
				`error_code "`+fakeapi.BusyErrorCode+`", fail_reason "`+fakeapi.BusyFailReason+`"`, "Nothing was stored in the state"),
		}})
	})
	t.Run("unknown desktop: 404", func(t *testing.T) {
		fake := acctest.StartFake(t)
		acctest.Run(t, []resource.TestStep{{
			Config: fake.ProviderConfig() + snapshotResource("test", `desktop_id = "no-such-desktop"`),
			ExpectError: acctest.ExpectError("Cannot create the desktop snapshot", "desktop no-such-desktop failed:",
				`HTTP 404, error_code "WKS.0106", error_msg "The desktop no-such-desktop does not exist", request id 0000`),
		}})
	})
	t.Run("5xx on the create is not resent", func(t *testing.T) {
		fake := acctest.StartFake(t)
		fake.Fail(fakeapi.Fault{Path: "/v2/" + fakeapi.ProjectID + "/snapshots/batch-create", Status: 502, Processed: true, Body: `{"error_code":"APIG.0202","error_msg":"Backend timeout"}`})
		acctest.Run(t, []resource.TestStep{{
			Config: fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.FreshDesktopID+`"`),
			ExpectError: acctest.ExpectError(`HTTP 502, error_code "APIG.0202", error_msg "Backend timeout"`,
				"was not sent again, because the API may have carried it out"),
		}})
		if n := len(fake.BatchRequests("batch-create")); n != 1 {
			t.Errorf("%d batch-create requests, want 1", n)
		}
	})
}

// A snapshot deleted outside Terraform is removed from the state, and the next
// plan creates it again; a delete of a snapshot already gone succeeds.
func TestAccDesktopSnapshotResource_gone(t *testing.T) {
	fake := acctest.StartFake(t)
	cfg := fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.FreshDesktopID+`"`)
	remove := func() {
		for _, s := range fake.DesktopSnapshots(fakeapi.ProjectID, fakeapi.FreshDesktopID) {
			fake.RemoveSnapshot(fakeapi.ProjectID, *s.SnapshotID)
		}
	}
	acctest.Run(t, []resource.TestStep{
		{Config: cfg},
		{
			PreConfig: remove,
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resAddr, plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resAddr, tfjsonpath.New("snapshot_id"), knownvalue.StringExact("00000002-2000-4000-8000-000000000002")),
			},
		},
		{
			// Gone between the refresh and the delete: the API's 404 is success.
			PreConfig: func() {
				fake.Fail(fakeapi.Fault{Path: "/v2/" + fakeapi.ProjectID + "/snapshots/batch-delete", Status: 404,
					Body: `{"error_code":"WKS.0153","error_msg":"The snapshot does not exist"}`})
			},
			Config:  cfg,
			Destroy: true,
		},
	})
	if got := fake.BatchRequests("batch-delete"); len(got) != 1 || got[0].Status != 404 {
		t.Errorf("batch-delete requests: %+v", got)
	}
}

// A create that outlives its timeout stops waiting, says the job may still
// finish, and leaves nothing in the state.
func TestAccDesktopSnapshotResource_timeout(t *testing.T) {
	opts := fakeapi.DefaultOptions()
	opts.JobDuration = time.Hour
	fake := acctest.StartFake(t, opts)
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + snapshotResource("test", `desktop_id = "`+fakeapi.FreshDesktopID+`"`, `timeouts {`, `  create = "4s"`, `}`),
		ExpectError: acctest.ExpectError("The desktop snapshot was not created", "timed out after", "last status RUNNING",
			"the job may still be running in the API", "The operation timed out after 4s; raise it with a timeouts block.", "Nothing was stored in the state"),
	}})
}

// An import block with an identity naming another region than the provider's
// reads the snapshot there, and plans as a pure import.
func TestAccDesktopSnapshotResource_importByIdentityInRegion(t *testing.T) {
	fake := acctest.StartFake(t)
	want := fake.Snapshots(fakeapi.LargeProjectID)[0] // a data-disk snapshot
	cfg := fake.ProviderConfig() + `import {
  to = huaweicloud_workspace_desktop_snapshot.test
  identity = {
    snapshot_id = "` + *want.SnapshotID + `"
    region      = "` + fakeapi.LargeRegion + `"
  }
}
` + snapshotResource("test", `desktop_id = "`+*want.DesktopID+`"`, `disk_type  = "DATA_DISKS"`, `region     = "`+fakeapi.LargeRegion+`"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}, // import by identity needs Terraform 1.12+
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resAddr, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				fake.ExpectSnapshotState(resAddr, func() (fakeapi.Snapshot, error) { return want, nil }),
				statecheck.ExpectIdentity(resAddr, map[string]knownvalue.Check{
					"snapshot_id": knownvalue.StringExact(*want.SnapshotID), "region": knownvalue.StringExact(fakeapi.LargeRegion),
				}),
			},
			Check: fake.CheckBatchBodies(""),
		}},
	})
}
