package datasources_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

const oneAddr = "data.huaweicloud_workspace_desktop_snapshot.test"

func oneSnapshot(args ...string) string {
	return "data \"huaweicloud_workspace_desktop_snapshot\" \"test\" {\n  " + strings.Join(args, "\n  ") + "\n}\n"
}

// oneChecks are the exact checks of every attribute the read computes: the 14
// fields at top level, id and region.
func oneChecks(s fakeapi.Snapshot, region string) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for name, c := range acctest.ExpectSnapshotFields(s) {
		checks = append(checks, statecheck.ExpectKnownValue(oneAddr, tfjsonpath.New(name), c))
	}
	return append(checks,
		statecheck.ExpectKnownValue(oneAddr, tfjsonpath.New("id"), knownvalue.StringExact(*s.SnapshotID)),
		statecheck.ExpectKnownValue(oneAddr, tfjsonpath.New("region"), knownvalue.StringExact(region)))
}

// By ID: the API has no ID filter, so the listing is read until the ID turns
// up; every field exact, null and "" kept.
func TestAccDesktopSnapshot_byID(t *testing.T) {
	const page = "offset=0&limit=1000"
	t.Run("third page", func(t *testing.T) {
		t.Parallel()
		fake := acctest.StartFake(t)
		want := fake.Snapshots(fakeapi.LargeProjectID)[2100]
		acctest.Run(t, []resource.TestStep{{
			Config:            fake.ProviderConfig() + oneSnapshot(`region = "`+fakeapi.LargeRegion+`"`, `snapshot_id = "`+*want.SnapshotID+`"`),
			ConfigStateChecks: oneChecks(want, fakeapi.LargeRegion),
			Check:             fake.CheckSnapshotQueries(fakeapi.LargeProjectID, page, "offset=1000&limit=1000", "offset=2000&limit=1000"),
		}})
	})
	t.Run("second page, one page at a time: no page after it", func(t *testing.T) {
		t.Parallel()
		fake := acctest.StartFake(t)
		want := fake.Snapshots(fakeapi.LargeProjectID)[1500]
		acctest.Run(t, []resource.TestStep{{
			Config:            fake.ProviderConfig("max_concurrency = 1") + oneSnapshot(`region = "`+fakeapi.LargeRegion+`"`, `snapshot_id = "`+*want.SnapshotID+`"`),
			ConfigStateChecks: oneChecks(want, fakeapi.LargeRegion),
			Check:             fake.CheckSnapshotQueries(fakeapi.LargeProjectID, page, "offset=1000&limit=1000"),
		}})
	})
	t.Run("with filters, fields null and empty", func(t *testing.T) {
		t.Parallel()
		fake := acctest.StartFake(t)
		acctest.Run(t, []resource.TestStep{{
			Config:            fake.ProviderConfig() + oneSnapshot(`snapshot_id = "`+s6Weekly+`"`, `snapshot_name = "weekly"`),
			ConfigStateChecks: oneChecks(sample(t, s6Weekly)[0], fakeapi.Region),
			Check:             fake.CheckSnapshotQueries(fakeapi.ProjectID, "snapshot_name=weekly&"+page),
		}})
	})
}

// most_recent: one request, sorted by create_time descending, limit 1.
func TestAccDesktopSnapshot_mostRecent(t *testing.T) {
	cases := []struct {
		name, arg, query, want string
	}{
		{"per desktop", `desktop_id = "` + desktopAA + `"`, "desktop_id=" + desktopAA, s4AA},
		{"per desktop, other", `desktop_id = "` + desktopXzx03 + `"`, "desktop_id=" + desktopXzx03, s3Xzx03},
		{"per status", `status = "create_success"`, "status=create_success", s3Xzx03},
		{"per status, other", `status = "restore_success"`, "status=restore_success", s6Weekly},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config:            fake.ProviderConfig() + oneSnapshot(tc.arg, "most_recent = true"),
				ConfigStateChecks: oneChecks(sample(t, tc.want)[0], fakeapi.Region),
				Check:             fake.CheckSnapshotQueries(fakeapi.ProjectID, tc.query+"&sort_field=create_time&sort_type=DESC&offset=0&limit=1"),
			}})
			// Each read (plan and refresh) is exactly that one request.
			for _, r := range fake.SnapshotRequests() {
				if r.RawQuery != tc.query+"&sort_field=create_time&sort_type=DESC&offset=0&limit=1" {
					t.Errorf("request %s, want only the one page", r.Query)
				}
			}
		})
	}
}

// One match without most_recent: limit 2 tells it from several.
func TestAccDesktopSnapshot_oneMatch(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config:            fake.ProviderConfig() + oneSnapshot(`status = "restore_failed"`),
		ConfigStateChecks: oneChecks(sample(t, s1Reserved)[0], fakeapi.Region),
		Check:             fake.CheckSnapshotQueries(fakeapi.ProjectID, "status=restore_failed&offset=0&limit=2"),
	}})
}

// region = "" reads the provider's region (HW_REGION_NAME here, with the
// provider block's region also "") and stays "" in state, as for the list data
// source (TestAccProvider_emptyRegion).
func TestAccDesktopSnapshot_emptyRegion(t *testing.T) {
	fake := acctest.StartFake(t)
	t.Setenv("HW_REGION_NAME", fakeapi.Region)
	acctest.Run(t, []resource.TestStep{{
		Config:            emptyRegionProvider(fake) + oneSnapshot(`region = var.region`, `status = "restore_failed"`),
		ConfigStateChecks: oneChecks(sample(t, s1Reserved)[0], ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			fake.CheckIAMQueries("name="+fakeapi.Region),
			fake.CheckSnapshotQueries(fakeapi.ProjectID, "status=restore_failed&offset=0&limit=2"),
		),
	}})
}

// Several matches without most_recent: an error with how many, and the way out.
func TestAccDesktopSnapshot_severalMatch(t *testing.T) {
	t.Run("two", func(t *testing.T) {
		t.Parallel()
		fake := acctest.StartFake(t)
		acctest.Run(t, []resource.TestStep{{
			Config: fake.ProviderConfig() + oneSnapshot(`desktop_id = "`+desktopXzx03+`"`),
			ExpectError: acctest.ExpectError("Several desktop snapshots match",
				`2 desktop snapshots of region "cn-north-4" match desktop_id = "`+desktopXzx03+`", and this data source reads one.`,
				"Set most_recent = true to take the newest of them, or narrow the match with snapshot_id or more filters"),
		}})
		if got := fake.SnapshotRequests(); len(got) != 1 || got[0].RawQuery != "desktop_id="+desktopXzx03+"&offset=0&limit=2" {
			t.Errorf("requests %v, want the one page of 2", got)
		}
	})
	t.Run("thousands", func(t *testing.T) {
		t.Parallel()
		fake := acctest.StartFake(t)
		acctest.Run(t, []resource.TestStep{{
			Config: fake.ProviderConfig() + oneSnapshot(`region = "`+fakeapi.LargeRegion+`"`, `create_type = "AUTO"`),
			ExpectError: acctest.ExpectError(`1758 desktop snapshots of region "ap-southeast-1" match create_type = "AUTO"`,
				"Set most_recent = true"),
		}})
	})
}

// No match: an error naming the arguments that matched nothing.
func TestAccDesktopSnapshot_noMatch(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		err   string
		query []string
	}{
		{"filters", []string{`desktop_name = "AA"`, `status = "creating"`},
			`No desktop snapshot of region "cn-north-4" matches desktop_name = "AA", status = "creating".`,
			[]string{"desktop_name=AA&status=creating&offset=0&limit=2"}},
		{"most_recent", []string{`desktop_name = "AA"`, `disk_type = "DATA_DISKS"`, `create_type = "MANUALLY"`, "most_recent = true"},
			`No desktop snapshot of region "cn-north-4" matches desktop_name = "AA", disk_type = "DATA_DISKS", create_type = "MANUALLY".`,
			[]string{"desktop_name=AA&disk_type=DATA_DISKS&create_type=MANUALLY&sort_field=create_time&sort_type=DESC&offset=0&limit=1"}},
		{"snapshot_id", []string{`snapshot_id = "no-such-snapshot"`, `status = "create_success"`},
			`No desktop snapshot of region "cn-north-4" matches snapshot_id = "no-such-snapshot", status = "create_success".`,
			[]string{"status=create_success&offset=0&limit=1000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config:      fake.ProviderConfig() + oneSnapshot(tc.args...),
				ExpectError: acctest.ExpectError("No desktop snapshot matches", tc.err),
			}})
			got := fake.SnapshotRequests()
			if len(got) != len(tc.query) || got[0].RawQuery != tc.query[0] {
				t.Errorf("requests %v, want %v", got, tc.query)
			}
		})
	}
}

// Invalid arguments are refused at plan time, and nothing is sent.
func TestAccDesktopSnapshot_invalidArguments(t *testing.T) {
	cases := []struct {
		name string
		arg  string
		err  []string
	}{
		{"disk_type", `disk_type = "SYSTEM"`, []string{`Attribute disk_type value must be one of: ["SYSTEM_DISK" "DATA_DISKS" "ALL"], got: "SYSTEM"`}},
		{"create_type", `create_type = "auto"`, []string{`Attribute create_type value must be one of: ["AUTO" "MANUALLY"], got: "auto"`}},
		{"status", `status = "available"`, []string{`Attribute status value must be one of: ["creating" "restoring" "create_success" "create_failed" "restore_success" "restore_failed"], got: "available"`}},
		{"empty snapshot_id", `snapshot_id = ""`, []string{`Attribute snapshot_id string length must be at least 1, got: 0`}},
		{"empty desktop_name", `desktop_name = ""`, []string{`Attribute desktop_name string length must be at least 1, got: 0`}},
		{"most_recent not a bool", `most_recent = "newest"`, []string{"Incorrect attribute value type", "a bool is required"}},
		{"computed only", `is_system_disk = true`, []string{"Invalid Configuration for Read-Only Attribute"}},
		{"list filter of the list data source", `desktop_ids = ["a"]`, []string{`An argument named "desktop_ids" is not expected here`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config:      fake.ProviderConfig() + oneSnapshot(tc.arg),
				ExpectError: acctest.ExpectError(tc.err...),
			}})
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("the fake API saw %d requests, want none before the argument is fixed", n)
			}
		})
	}
}
