package datasources_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

const addr = "data.huaweicloud_workspace_desktop_snapshots.test"

// The curated snapshots of fakeapi.Sample, by the first block of their ID, in the
// API's default order (newest first).
const (
	s1Reserved = "5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
	s2Unicode  = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
	s3Xzx03    = "eed156d9-02a5-46f5-8eb1-54f09ab9fbae"
	s4AA       = "a7e996da-20db-4de8-8aff-4c8e4c6d5ed3"
	s5Weekly   = "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"
	s6Weekly   = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"
	s7Minimal  = "d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f6a"

	desktopXzx03 = "7163a7ba-fc09-4238-ab73-0689ea7f54c3"
	desktopAA    = "a3e8d0d0-79df-413d-a327-d702a4fb2e15"
	desktopFin   = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
)

// sample returns the Sample snapshots with these IDs, in the order given.
func sample(t *testing.T, ids ...string) []fakeapi.Snapshot {
	t.Helper()
	byID := map[string]fakeapi.Snapshot{}
	for _, s := range fakeapi.Sample() {
		byID[*s.SnapshotID] = s
	}
	out := make([]fakeapi.Snapshot, len(ids))
	for i, id := range ids {
		s, ok := byID[id]
		if !ok {
			t.Fatalf("no sample snapshot %s", id)
		}
		out[i] = s
	}
	return out
}

func dataSource(args ...string) string {
	return "data \"huaweicloud_workspace_desktop_snapshots\" \"test\" {\n  " + strings.Join(args, "\n  ") + "\n}\n"
}

func snapshotsChecks(want []fakeapi.Snapshot) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("snapshots"), acctest.ExpectSnapshots(want)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(want)))),
	}
}

// Every argument the API has, alone and combined, against the curated data set:
// the exact snapshots, in the exact order, from the exact request.
func TestAccDesktopSnapshots_filters(t *testing.T) {
	const page = "offset=0&limit=1000"
	cases := []struct {
		name  string
		args  []string
		query string
		want  []string
	}{
		{"none", nil, page,
			[]string{s1Reserved, s2Unicode, s3Xzx03, s4AA, s5Weekly, s6Weekly, s7Minimal}},
		{"desktop_id", []string{`desktop_id = "` + desktopXzx03 + `"`},
			"desktop_id=" + desktopXzx03 + "&" + page, []string{s3Xzx03, s5Weekly}},
		{"desktop_ids", []string{`desktop_ids = ["` + desktopAA + `", "` + desktopFin + `"]`},
			"desktop_ids=" + desktopAA + "&desktop_ids=" + desktopFin + "&" + page, []string{s2Unicode, s4AA, s6Weekly}},
		{"desktop_name reserved characters", []string{`desktop_name = "ops & dev = team+1"`},
			"desktop_name=ops%20%26%20dev%20%3D%20team%2B1&" + page, []string{s1Reserved}},
		{"desktop_names unicode", []string{`desktop_names = ["财务桌面-01", "AA"]`},
			"desktop_names=%E8%B4%A2%E5%8A%A1%E6%A1%8C%E9%9D%A2-01&desktop_names=AA&" + page, []string{s2Unicode, s4AA, s6Weekly}},
		{"snapshot_name reserved characters", []string{`snapshot_name = "a&b=c+d%e?f#g/h;i j"`},
			"snapshot_name=a%26b%3Dc%2Bd%25e%3Ff%23g%2Fh%3Bi%20j&" + page, []string{s1Reserved}},
		{"snapshot_names", []string{`snapshot_names = ["weekly", "财务部-每日快照 🗂"]`},
			"snapshot_names=weekly&snapshot_names=%E8%B4%A2%E5%8A%A1%E9%83%A8-%E6%AF%8F%E6%97%A5%E5%BF%AB%E7%85%A7%20%F0%9F%97%82&" + page,
			[]string{s2Unicode, s5Weekly, s6Weekly}},
		{"disk_type SYSTEM_DISK", []string{`disk_type = "SYSTEM_DISK"`}, "disk_type=SYSTEM_DISK&" + page, []string{s2Unicode, s3Xzx03, s6Weekly}},
		{"disk_type DATA_DISKS", []string{`disk_type = "DATA_DISKS"`}, "disk_type=DATA_DISKS&" + page, []string{s1Reserved, s4AA, s5Weekly}},
		{"disk_type ALL", []string{`disk_type = "ALL"`}, "disk_type=ALL&" + page,
			[]string{s1Reserved, s2Unicode, s3Xzx03, s4AA, s5Weekly, s6Weekly, s7Minimal}},
		{"create_type AUTO", []string{`create_type = "AUTO"`}, "create_type=AUTO&" + page, []string{s2Unicode, s4AA, s5Weekly}},
		{"create_type MANUALLY", []string{`create_type = "MANUALLY"`}, "create_type=MANUALLY&" + page, []string{s1Reserved, s3Xzx03, s6Weekly}},
		{"status creating", []string{`status = "creating"`}, "status=creating&" + page, []string{s2Unicode}},
		{"status restoring", []string{`status = "restoring"`}, "status=restoring&" + page, []string{s5Weekly}},
		{"status create_success", []string{`status = "create_success"`}, "status=create_success&" + page, []string{s3Xzx03, s4AA}},
		{"status create_failed", []string{`status = "create_failed"`}, "status=create_failed&" + page, []string{s7Minimal}},
		{"status restore_success", []string{`status = "restore_success"`}, "status=restore_success&" + page, []string{s6Weekly}},
		{"status restore_failed", []string{`status = "restore_failed"`}, "status=restore_failed&" + page, []string{s1Reserved}},
		{"sort create_time default order", []string{`sort_field = "create_time"`}, "sort_field=create_time&" + page,
			[]string{s7Minimal, s6Weekly, s5Weekly, s4AA, s3Xzx03, s2Unicode, s1Reserved}},
		{"sort create_time ASC", []string{`sort_field = "create_time"`, `sort_type = "ASC"`}, "sort_field=create_time&sort_type=ASC&" + page,
			[]string{s7Minimal, s6Weekly, s5Weekly, s4AA, s3Xzx03, s2Unicode, s1Reserved}},
		{"sort create_time DESC", []string{`sort_field = "create_time"`, `sort_type = "DESC"`}, "sort_field=create_time&sort_type=DESC&" + page,
			[]string{s1Reserved, s2Unicode, s3Xzx03, s4AA, s5Weekly, s6Weekly, s7Minimal}},
		{"sort snapshot_name ASC", []string{`sort_field = "snapshot_name"`, `sort_type = "ASC"`}, "sort_field=snapshot_name&sort_type=ASC&" + page,
			[]string{s4AA, s7Minimal, s1Reserved, s3Xzx03, s5Weekly, s6Weekly, s2Unicode}},
		{"sort snapshot_name DESC", []string{`sort_field = "snapshot_name"`, `sort_type = "DESC"`}, "sort_field=snapshot_name&sort_type=DESC&" + page,
			[]string{s2Unicode, s5Weekly, s6Weekly, s3Xzx03, s1Reserved, s7Minimal, s4AA}},
		{"desktop_ids, create_type and sort", []string{
			`desktop_ids = ["` + desktopXzx03 + `", "` + desktopAA + `"]`, `create_type = "AUTO"`,
			`sort_field = "snapshot_name"`, `sort_type = "DESC"`},
			"desktop_ids=" + desktopXzx03 + "&desktop_ids=" + desktopAA + "&create_type=AUTO&sort_field=snapshot_name&sort_type=DESC&" + page,
			[]string{s5Weekly, s4AA}},
		{"desktop_name, disk_type and status", []string{`desktop_name = "xzx03"`, `disk_type = "DATA_DISKS"`, `status = "restoring"`},
			"desktop_name=xzx03&disk_type=DATA_DISKS&status=restoring&" + page, []string{s5Weekly}},
		{"every argument at once", []string{
			`desktop_id = "` + desktopAA + `"`, `desktop_ids = ["` + desktopAA + `"]`,
			`desktop_name = "AA"`, `desktop_names = ["AA"]`,
			`snapshot_name = "weekly"`, `snapshot_names = ["weekly"]`,
			`disk_type = "SYSTEM_DISK"`, `create_type = "MANUALLY"`, `status = "restore_success"`,
			`sort_field = "create_time"`, `sort_type = "DESC"`},
			"desktop_id=" + desktopAA + "&desktop_ids=" + desktopAA + "&desktop_name=AA&desktop_names=AA&snapshot_name=weekly&snapshot_names=weekly" +
				"&disk_type=SYSTEM_DISK&create_type=MANUALLY&status=restore_success&sort_field=create_time&sort_type=DESC&" + page,
			[]string{s6Weekly}},
		{"no match", []string{`desktop_name = "AA"`, `status = "creating"`}, "desktop_name=AA&status=creating&" + page, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config:            fake.ProviderConfig() + dataSource(tc.args...),
				ConfigStateChecks: snapshotsChecks(sample(t, tc.want...)),
				Check:             fake.CheckSnapshotQueries(fakeapi.ProjectID, tc.query),
			}})
		})
	}
}

// One snapshot spelled out field by field, and the corners of null and "": a
// field the API leaves out is null, process null and absent are null, process 0
// stays 0, and an empty string stays "".
func TestAccDesktopSnapshots_fieldFidelity(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	at := func(i int, key string) tfjsonpath.Path {
		return tfjsonpath.New("snapshots").AtSliceIndex(i).AtMapKey(key)
	}
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + dataSource(),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("snapshots").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"snapshot_id":         knownvalue.StringExact("eed156d9-02a5-46f5-8eb1-54f09ab9fbae"),
				"snapshot_name":       knownvalue.StringExact("sys0420_xzx03_1713602176593"),
				"desktop_id":          knownvalue.StringExact("7163a7ba-fc09-4238-ab73-0689ea7f54c3"),
				"desktop_name":        knownvalue.StringExact("xzx03"),
				"desktop_sid":         knownvalue.StringExact("22ad6780-3236-4838-b509-8068d254e9de"),
				"desktop_pool_id":     knownvalue.Null(),
				"is_system_disk":      knownvalue.Bool(true),
				"status":              knownvalue.StringExact("create_success"),
				"process":             knownvalue.Null(),
				"description":         knownvalue.StringExact("description。"),
				"create_time":         knownvalue.StringExact("2024-04-20T08:36:16Z"),
				"create_type":         knownvalue.StringExact("MANUALLY"),
				"last_restore_time":   knownvalue.Null(),
				"restore_fail_reason": knownvalue.Null(),
			})),
			// process: null in the JSON
			statecheck.ExpectKnownValue(addr, at(0, "process"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, at(0, "restore_fail_reason"), knownvalue.StringExact("disk busy; retry later")),
			// description: "" in the JSON
			statecheck.ExpectKnownValue(addr, at(1, "description"), knownvalue.StringExact("")),
			statecheck.ExpectKnownValue(addr, at(1, "process"), knownvalue.Int64Exact(42)),
			// process: 0
			statecheck.ExpectKnownValue(addr, at(4, "process"), knownvalue.Int64Exact(0)),
			statecheck.ExpectKnownValue(addr, at(5, "restore_fail_reason"), knownvalue.StringExact("")),
			// the snapshot with nothing but ID, name, status and time
			statecheck.ExpectKnownValue(addr, at(6, "desktop_id"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, at(6, "is_system_disk"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, at(6, "create_type"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(fakeapi.Region)),
		},
		// operators find our traffic by it; the CLI reports its version at configure
		// time (OpenTofu too, under the same name; OpenTofu 1.12 as Terraform 1.13.0)
		Check: fake.CheckUserAgent("terraform-provider-huaweicloud/test Terraform/" + acctest.ReportedVersion(t)),
	}})
}

// More than two full pages: every snapshot, in order, read with offset/limit
// 1000 and no request more than needed; the region argument overrides the
// provider's, and its project is looked up through IAM.
func TestAccDesktopSnapshots_pages(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	all := fake.Snapshots(fakeapi.LargeProjectID)
	if len(all) != fakeapi.LargeCount {
		t.Fatalf("fake holds %d snapshots, want %d", len(all), fakeapi.LargeCount)
	}
	acctest.Run(t, []resource.TestStep{{
		Config:            fake.ProviderConfig() + dataSource(`region = "`+fakeapi.LargeRegion+`"`),
		ConfigStateChecks: snapshotsChecks(all),
		Check: resource.ComposeAggregateTestCheckFunc(
			fake.CheckSnapshotQueries(fakeapi.LargeProjectID, "offset=0&limit=1000", "offset=1000&limit=1000", "offset=2000&limit=1000"),
			fake.CheckIAMQueries("name="+fakeapi.LargeRegion),
		),
	}})
}

// Filtering and sorting across pages: the API's order after sorting, complete.
func TestAccDesktopSnapshots_pagesFilteredSorted(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	q := url.Values{"create_type": {"AUTO"}, "sort_field": {"snapshot_name"}, "sort_type": {"ASC"}}
	want := fakeapi.Filter(fake.Snapshots(fakeapi.LargeProjectID), q)
	if len(want) <= 1000 || len(want) >= 2000 {
		t.Fatalf("want two pages, the filter matches %d", len(want))
	}
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + dataSource(`region = "`+fakeapi.LargeRegion+`"`,
			`create_type = "AUTO"`, `sort_field = "snapshot_name"`, `sort_type = "ASC"`),
		ConfigStateChecks: snapshotsChecks(want),
		Check: fake.CheckSnapshotQueries(fakeapi.LargeProjectID,
			"create_type=AUTO&sort_field=snapshot_name&sort_type=ASC&offset=0&limit=1000",
			"create_type=AUTO&sort_field=snapshot_name&sort_type=ASC&offset=1000&limit=1000"),
	}})
}

// A project without snapshots: an empty list, not null, from one request.
func TestAccDesktopSnapshots_empty(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + dataSource(`region = "`+fakeapi.EmptyRegion+`"`),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("snapshots"), knownvalue.ListExact([]knownvalue.Check{})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(0)),
		},
		Check: fake.CheckSnapshotQueries(fakeapi.EmptyProjectID, "offset=0&limit=1000"),
	}})
}

// The ID is a hash of region, project and filters: equal arguments give equal
// IDs in one run and across runs; other arguments give another.
func TestAccDesktopSnapshots_deterministicID(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	config := fake.ProviderConfig() + `
data "huaweicloud_workspace_desktop_snapshots" "a" {
  status      = "create_success"
  create_type = "AUTO"
}
data "huaweicloud_workspace_desktop_snapshots" "b" {
  create_type = "AUTO"
  status      = "create_success"
}
data "huaweicloud_workspace_desktop_snapshots" "c" {
  status = "create_success"
}
`
	same := statecheck.CompareValue(compare.ValuesSame())
	acctest.Run(t, []resource.TestStep{
		{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				same.AddStateValue("data.huaweicloud_workspace_desktop_snapshots.a", tfjsonpath.New("id")),
				statecheck.ExpectKnownValue("data.huaweicloud_workspace_desktop_snapshots.a", tfjsonpath.New("id"),
					knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				statecheck.CompareValuePairs("data.huaweicloud_workspace_desktop_snapshots.a", tfjsonpath.New("id"),
					"data.huaweicloud_workspace_desktop_snapshots.b", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.CompareValuePairs("data.huaweicloud_workspace_desktop_snapshots.a", tfjsonpath.New("id"),
					"data.huaweicloud_workspace_desktop_snapshots.c", tfjsonpath.New("id"), compare.ValuesDiffer()),
			},
		},
		{
			// A second run, a new provider process: the same ID.
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				same.AddStateValue("data.huaweicloud_workspace_desktop_snapshots.a", tfjsonpath.New("id")),
			},
		},
	})
}

// Arguments only known after apply: the read waits for them and then filters.
func TestAccDesktopSnapshots_unknownArgument(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + `
resource "terraform_data" "desktop" {
  input = "` + desktopXzx03 + `"
}
` + dataSource("desktop_id = terraform_data.desktop.output"),
		ConfigStateChecks: snapshotsChecks(sample(t, s3Xzx03, s5Weekly)),
		Check:             fake.CheckSnapshotQueries(fakeapi.ProjectID, "desktop_id="+desktopXzx03+"&offset=0&limit=1000"),
	}})
}

// The timeouts block bounds the read.
func TestAccDesktopSnapshots_timeouts(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{
		{
			Config:            fake.ProviderConfig() + dataSource(`timeouts {`, `  read = "2m"`, `}`),
			ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
		},
		{
			Config: fake.ProviderConfig() + dataSource(`timeouts {`, `  read = "1ns"`, `}`),
			ExpectError: acctest.ExpectError("Cannot find the project ID",
				"the read reached its deadline while waiting for the answer to attempt 1 of GET /v3/projects?name=cn-north-4",
				`The read timed out after 1ns; raise it with a timeouts { read = "..." } block.`),
		},
	})
}

// Each invalid argument is refused at plan time, naming the argument and the
// allowed values, and nothing is sent to the API.
func TestAccDesktopSnapshots_invalidArguments(t *testing.T) {
	cases := []struct {
		name string
		arg  string
		err  []string
	}{
		{"disk_type", `disk_type = "SYSTEM"`, []string{"Invalid Attribute Value Match", `Attribute disk_type value must be one of: ["SYSTEM_DISK" "DATA_DISKS" "ALL"], got: "SYSTEM"`}},
		{"create_type lower case", `create_type = "auto"`, []string{`Attribute create_type value must be one of: ["AUTO" "MANUALLY"], got: "auto"`}},
		{"status", `status = "available"`, []string{`Attribute status value must be one of: ["creating" "restoring" "create_success" "create_failed" "restore_success" "restore_failed"], got: "available"`}},
		{"sort_field", `sort_field = "name"`, []string{`Attribute sort_field value must be one of: ["create_time" "snapshot_name"], got: "name"`}},
		{"sort_type", "sort_field = \"create_time\"\n  sort_type = \"UP\"", []string{`Attribute sort_type value must be one of: ["ASC" "DESC"], got: "UP"`}},
		{"sort_type without sort_field", `sort_type = "DESC"`, []string{`Attribute "sort_field" must be specified when "sort_type" is specified`}},
		{"empty desktop_ids", `desktop_ids = []`, []string{`Attribute desktop_ids list must contain at least 1 elements, got: 0`}},
		{"empty element", `snapshot_names = ["weekly", ""]`, []string{`Attribute snapshot_names[1] string length must be at least 1, got: 0`}},
		{"empty desktop_id", `desktop_id = ""`, []string{`Attribute desktop_id string length must be at least 1, got: 0`}},
		{"timeouts read", "timeouts {\n    read = \"soon\"\n  }", []string{"Invalid Attribute Value Time Duration", `"soon" must be a string containing a sequence of decimal numbers`}},
		{"unknown argument", `snapshot_status = "creating"`, []string{`An argument named "snapshot_status" is not expected here`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config:      fake.ProviderConfig() + dataSource(tc.arg),
				ExpectError: acctest.ExpectError(tc.err...),
			}})
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("the fake API saw %d requests, want none before the argument is fixed", n)
			}
		})
	}
}

// API errors reach the user with status, error_code, error_msg and request id,
// and a gateway's HTML page is reported as such.
func TestAccDesktopSnapshots_apiErrors(t *testing.T) {
	cases := []struct {
		name  string
		fault fakeapi.Fault
		err   []string
	}{
		{"403 with encoded authorization message", fakeapi.Fault{
			Path: "/v2/", Status: 403,
			Body: `{"error_code":"WKS.0403","error_msg":"Policy doesn't allow workspace:snapshots:list to be performed.","encoded_authorization_message":"ENC-abc123"}`,
		}, []string{"Cannot list desktop snapshots", "listing desktop snapshots: offset 0: GET /v2/" + fakeapi.ProjectID + "/snapshots: HTTP 403",
			`error_code "WKS.0403"`, `error_msg "Policy doesn't allow workspace:snapshots:list to be performed."`,
			`encoded_authorization_message "ENC-abc123" (decode it with the STS decode-authorization-message API)`,
			"request id 00000000000000000000000000000002", "lack permission"}},
		{"502 HTML from a proxy", fakeapi.Fault{
			Path: "/v2/", Status: 502, ContentType: "text/html", Body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
		}, []string{"HTTP 502", `non-JSON body (Content-Type "text/html"): "<html><body><h1>502 Bad Gateway</h1></body></html>"`,
			// The last of 6 attempts (1 + max_retries 5), after the IAM lookup.
			"request id 00000000000000000000000000000007 (gave up after 6 attempts: max_retries is 5)"}},
		{"500 error shape", fakeapi.Fault{
			Path: "/v2/", Status: 500, Body: `{"error_code":"WKS.0500","error_msg":"internal error","error_detail":"db timeout"}`,
		}, []string{"HTTP 500", `error_code "WKS.0500", error_msg "internal error", error_detail "db timeout"`, "(gave up after 6 attempts: max_retries is 5)"}},
		{"200 HTML", fakeapi.Fault{
			Path: "/v2/", Status: 200, ContentType: "text/html", Body: "<html>maintenance</html>",
		}, []string{"HTTP 200 with a body that is not the expected JSON", `Content-Type "text/html"`, `"<html>maintenance</html>"`, "(gave up after 6 attempts: max_retries is 5)"}},
		{"IAM 401", fakeapi.Fault{
			Path: "/v3/", Status: 401, Body: `{"error_code":"APIG.0303","error_msg":"Incorrect app authentication information"}`,
		}, []string{"Cannot find the project ID", "GET /v3/projects: HTTP 401", `error_code "APIG.0303"`, "Set project_id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			tc.fault.Times = 1000
			fake.Fail(tc.fault)
			acctest.Run(t, []resource.TestStep{{
				Config:      fake.ProviderConfig() + dataSource(),
				ExpectError: acctest.ExpectError(tc.err...),
			}})
		})
	}
}

// A wrong secret key: the gateway's 401 with APIG.0301, the request id, and
// advice on what to check.
func TestAccDesktopSnapshots_wrongSecretKey(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config: fmt.Sprintf(`provider "huaweicloud" {
  region     = %q
  access_key = %q
  secret_key = "not-the-secret-key"
  project_id = %q
  endpoints  = { workspace = %q }
}
`, fakeapi.Region, fakeapi.AccessKey, fakeapi.ProjectID, fake.URL) + dataSource(),
		ExpectError: acctest.ExpectError("Cannot list desktop snapshots", "HTTP 401", `error_code "APIG.0301"`,
			`error_msg "Incorrect IAM authentication information: verify aksk signature fail"`,
			"request id 00000000000000000000000000000001", "check access_key and secret_key"),
	}})
	if reqs := fake.Requests(); len(reqs) == 0 || reqs[0].Status != 401 || reqs[0].ErrorCode != "APIG.0301" {
		t.Errorf("want the first request refused with 401 APIG.0301, got %+v", reqs)
	}
}

// Configuration from the environment, as huaweicloud users keep it. Each case
// sets its variables (IsolateEnv has cleared the rest), so these do not run in
// parallel.
func TestAccDesktopSnapshots_environment(t *testing.T) {
	permanent := map[string]string{
		"HW_REGION_NAME": fakeapi.Region, "HW_ACCESS_KEY": fakeapi.AccessKey, "HW_SECRET_KEY": fakeapi.SecretKey,
	}
	temporary := map[string]string{
		"HW_REGION_NAME": fakeapi.Region, "HW_ACCESS_KEY": fakeapi.TempAccessKey, "HW_SECRET_KEY": fakeapi.TempSecretKey,
		"HW_SECURITY_TOKEN": fakeapi.SecurityToken,
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(out, kv[i])
			} else {
				out[kv[i]] = kv[i+1]
			}
		}
		return out
	}
	cases := []struct {
		name string
		env  map[string]string
		// fullBlock: the provider block sets region, keys and project_id itself;
		// otherwise it sets only the endpoints.
		fullBlock bool
		check     func(*acctest.Fake) resource.TestCheckFunc
		err       []string
	}{
		{name: "temporary credentials", env: temporary,
			check: func(f *acctest.Fake) resource.TestCheckFunc {
				return f.CheckAllSignedBy(fakeapi.TempAccessKey, fakeapi.SecurityToken)
			}},
		{name: "temporary credentials without their token", env: with(temporary, "HW_SECURITY_TOKEN", ""),
			err: []string{"HTTP 401", `error_code "APIG.0301"`, "temporary credentials need their X-Security-Token, signed"}},
		{name: "project id from HW_PROJECT_ID, no IAM lookup", env: with(permanent, "HW_PROJECT_ID", fakeapi.ProjectID),
			check: func(f *acctest.Fake) resource.TestCheckFunc {
				return resource.ComposeAggregateTestCheckFunc(
					f.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"), f.CheckIAMQueries())
			}},
		{name: "attributes win over variables", fullBlock: true,
			env: map[string]string{"HW_REGION_NAME": "eu-west-101", "HW_ACCESS_KEY": "WRONGAK", "HW_SECRET_KEY": "wrong-secret", "HW_PROJECT_ID": "wrong-project"},
			check: func(f *acctest.Fake) resource.TestCheckFunc {
				return resource.ComposeAggregateTestCheckFunc(
					f.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"), f.CheckAllSignedBy(fakeapi.AccessKey, ""))
			}},
		{name: "missing credentials and region", env: nil,
			err: []string{"Missing Huawei Cloud credentials", "No access key was found",
				"Missing Huawei Cloud region", `The provider needs "region" (or HW_REGION_NAME, then OS_REGION_NAME).`}},
		{name: "missing secret key only", env: with(permanent, "HW_SECRET_KEY", ""),
			err: []string{"Incomplete Huawei Cloud credentials", `The environment sets HW_ACCESS_KEY but not HW_SECRET_KEY.`}},
		{name: "HW_MAX_RETRIES not a number", env: with(permanent, "HW_MAX_RETRIES", "many"),
			err: []string{`HW_MAX_RETRIES="many" is not a whole number from 0 to 100`}},
		{name: "HW_MAX_CONCURRENCY too large", env: with(permanent, "HW_MAX_CONCURRENCY", "64"),
			err: []string{`HW_MAX_CONCURRENCY="64" is not a whole number from 1 to 16: fix it, or unset it for the default 6`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := acctest.StartFake(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			config := fake.EndpointsOnly()
			if tc.fullBlock {
				config = fake.ProviderConfig(`project_id = "` + fakeapi.ProjectID + `"`)
			}
			step := resource.TestStep{Config: config + dataSource()}
			if tc.err != nil {
				step.ExpectError = acctest.ExpectError(tc.err...)
			} else {
				step.ConfigStateChecks = snapshotsChecks(fakeapi.Sample())
				step.Check = tc.check(fake)
			}
			acctest.Run(t, []resource.TestStep{step})
			if tc.env["HW_ACCESS_KEY"] == "" || tc.env["HW_SECRET_KEY"] == "" {
				if n := len(fake.Requests()); n != 0 {
					t.Errorf("the fake API saw %d requests, want none without credentials", n)
				}
			}
		})
	}
}

// The project lookup through IAM: exactly one project named after the region,
// else a diagnostic that says what IAM listed and that project_id can be set.
func TestAccDesktopSnapshots_projectLookup(t *testing.T) {
	t.Parallel()
	opts := fakeapi.DefaultOptions()
	opts.Projects = append(opts.Projects,
		fakeapi.Project{ID: "11111111111111111111111111111111", Name: "la-south-2"},
		fakeapi.Project{ID: "22222222222222222222222222222222", Name: "la-south-2"},
	)
	fake := acctest.StartFake(t, opts)
	acctest.Run(t, []resource.TestStep{
		{
			Config:            fake.ProviderConfig() + dataSource(),
			ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
			Check:             fake.CheckIAMQueries("name=" + fakeapi.Region),
		},
		{
			Config:      fake.ProviderConfig() + dataSource(`region = "eu-west-101"`),
			ExpectError: acctest.ExpectError("Cannot find the project ID", `IAM lists no project named "eu-west-101"`, "Set project_id in the provider block (or HW_PROJECT_ID)"),
		},
		{
			Config:      fake.ProviderConfig() + dataSource(`region = "la-south-2"`),
			ExpectError: acctest.ExpectError(`IAM lists 2 projects named "la-south-2", expected exactly one: 11111111111111111111111111111111 (la-south-2), 22222222222222222222222222222222 (la-south-2)`, "Set project_id"),
		},
	})
}

// Provider arguments are checked at plan time too.
func TestAccProvider_invalidSettings(t *testing.T) {
	cases := []struct {
		name, line string
		err        []string
	}{
		{"endpoint key typo", `endpoints = { worksapce = "https://workspace.example.com" }`, []string{"Unknown endpoints key",
			`endpoints has the key "worksapce", which this provider does not use. Did you mean "workspace"? The keys it uses are "workspace", "iam" and "sts".`}},
		{"endpoint key in another case", `endpoints = { IAM = "https://iam.example.com" }`, []string{`endpoints has the key "IAM", which this provider does not use. Did you mean "iam"?`}},
		{"endpoint url", `endpoints = { workspace = "workspace.example.com" }`, []string{"Invalid endpoint URL", `"workspace.example.com" is not an absolute http:// or https:// URL`}},
		{"max_retries", `max_retries = -1`, []string{`Attribute max_retries value must be between 0 and 100, got: -1`}},
		{"max_concurrency", `max_concurrency = 0`, []string{`Attribute max_concurrency value must be between 1 and 16, got: 0`}},
		{"auth_url", `auth_url = "iam"`, []string{"Invalid endpoint URL", `"iam" is not an absolute http:// or https:// URL`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config: fmt.Sprintf(`provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "AK"
  secret_key = "SK"
  %s
}
`, tc.line) + dataSource(),
				ExpectError: acctest.ExpectError(tc.err...),
			}})
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("the fake API saw %d requests, want none", n)
			}
		})
	}
}

// A provider setting that is unknown at plan time gets a diagnostic naming it,
// not a crash (Terraform 1.5 cannot defer the read).
func TestAccProvider_unknownSetting(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config: fmt.Sprintf(`
resource "terraform_data" "region" {
  input = %q
}
provider "huaweicloud" {
  region     = terraform_data.region.output
  access_key = %q
  secret_key = %q
  endpoints  = { workspace = %q, iam = %q }
}
`, fakeapi.Region, fakeapi.AccessKey, fakeapi.SecretKey, fake.URL, fake.URL) + dataSource(),
		ExpectError: acctest.ExpectError("Unknown provider setting", `The provider block's "region" depends on a value that is only known after apply`, "HW_REGION_NAME"),
	}})
}

// Against a real account, when HW_ACCESS_KEY, HW_SECRET_KEY and HW_REGION_NAME
// are set; skipped, saying so, otherwise.
func TestAccDesktopSnapshots_realCloud(t *testing.T) {
	acctest.PreCheckRealCloud(t)
	acctest.Run(t, []resource.TestStep{{
		Config: acctest.RealCloudProviderConfig() + dataSource(`sort_field = "create_time"`, `sort_type = "DESC"`),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_count"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("snapshots"), knownvalue.NotNull()),
		},
	}})
}
