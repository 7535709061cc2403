package fakeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

func TestSampleIsWhatTheTestsExpect(t *testing.T) {
	wantIDs(t, "fakeapi.Sample()", idsOf(fakeapi.Sample()), sampleOrder)
}

func TestPagingRejectsBadParameters(t *testing.T) {
	f := start(t)
	cases := []struct{ key, value string }{
		{"limit", "0"},
		{"limit", "1001"},
		{"limit", "abc"},
		{"limit", "-1"},
		{"limit", "1.5"},
		{"limit", ""},
		{"offset", "-1"},
		{"offset", "abc"},
		{"offset", "1e3"},
	}
	for _, c := range cases {
		t.Run(c.key+"="+c.value, func(t *testing.T) {
			f.Reset()
			r := f.get(t, snapshotsPath, q(c.key, c.value))
			r.wantError(t, http.StatusBadRequest, "WKS.0001", c.key, `"`+c.value+`"`)
			if reqs := f.Requests(); len(reqs) != 1 || reqs[0].Status != 400 || reqs[0].ErrorCode != "WKS.0001" {
				t.Errorf("recorded %+v", reqs)
			}
		})
	}
}

func TestPagingWindows(t *testing.T) {
	f := start(t)
	gen := fakeapi.Generate(fakeapi.LargeCount)
	if len(gen) != 2345 || fakeapi.LargeCount != 2345 {
		t.Fatalf("LargeCount = %d, Generate gave %d", fakeapi.LargeCount, len(gen))
	}
	cases := []struct {
		name       string
		query      string
		start, end int
	}{
		{"no offset or limit: the first 1000", "", 0, 1000},
		{"limit only", q("limit", "1"), 0, 1},
		{"offset only: up to 1000 from there", q("offset", "5"), 5, 1005},
		{"second full page", q("offset", "1000", "limit", "1000"), 1000, 2000},
		{"last, short page", q("offset", "2000", "limit", "1000"), 2000, 2345},
		{"small window", q("offset", "7", "limit", "3"), 7, 10},
		{"window crossing the end", q("offset", "2340", "limit", "10"), 2340, 2345},
		{"last item", q("offset", "2344", "limit", "1"), 2344, 2345},
		{"limit 1000 at offset 0", q("limit", "1000", "offset", "0"), 0, 1000},
		{"offset at the end", q("offset", "2345"), 2345, 2345},
		{"offset far beyond the end", q("offset", "999999", "limit", "5"), 2345, 2345},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.get(t, "/v2/"+fakeapi.LargeProjectID+"/snapshots", c.query)
			p := r.page(t)
			if p.TotalCount != 2345 {
				t.Errorf("total_count = %d, want 2345", p.TotalCount)
			}
			want := gen[c.start:c.end]
			if len(p.DesktopSnapshots) != len(want) {
				t.Fatalf("%d items, want %d", len(p.DesktopSnapshots), len(want))
			}
			for i, item := range p.DesktopSnapshots {
				wantRaw, err := json.Marshal(want[i])
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(item, wantRaw) {
					t.Fatalf("item %d (generated #%d)\n got %s\nwant %s", i, c.start+i, item, wantRaw)
				}
			}
			if c.start == c.end && !bytes.Contains(r.Body, []byte(`"desktop_snapshots":[]`)) {
				t.Errorf("empty page body %s, want \"desktop_snapshots\":[]", r.Body)
			}
		})
	}
}

func TestPagingTotalCountIsMatchesNotPage(t *testing.T) {
	f := start(t)
	var creating []string
	for _, s := range fakeapi.Generate(fakeapi.LargeCount) {
		if *s.Status == "creating" {
			creating = append(creating, *s.SnapshotID)
		}
	}
	if len(creating) != 293 {
		t.Fatalf("Generate(%d) has %d creating snapshots, want 293 (i%%8 == 3)", fakeapi.LargeCount, len(creating))
	}
	large := fakeapi.LargeProjectID
	for _, c := range []struct {
		query      string
		start, end int
	}{
		{q("status", "creating"), 0, 293},
		{q("status", "creating", "offset", "5", "limit", "2"), 5, 7},
		{q("status", "creating", "offset", "290", "limit", "1000"), 290, 293},
		{q("status", "creating", "offset", "293"), 293, 293},
		{q("status", "creating", "offset", "4000", "limit", "1"), 293, 293},
	} {
		p := f.list(t, large, c.query)
		if p.TotalCount != 293 {
			t.Errorf("%s: total_count = %d, want 293", c.query, p.TotalCount)
		}
		wantIDs(t, c.query, p.ids(t), creating[c.start:c.end])
	}

	// A project without snapshots, and a filter matching nothing.
	for _, c := range []struct{ project, query string }{
		{fakeapi.EmptyProjectID, ""},
		{fakeapi.EmptyProjectID, q("offset", "3", "limit", "2")},
		{fakeapi.ProjectID, q("desktop_id", "no-such-desktop")},
	} {
		r := f.get(t, "/v2/"+c.project+"/snapshots", c.query)
		p := r.page(t)
		if p.TotalCount != 0 || len(p.DesktopSnapshots) != 0 {
			t.Errorf("%s?%s: total_count %d, %d items; want 0, 0", c.project, c.query, p.TotalCount, len(p.DesktopSnapshots))
		}
		if !bytes.Contains(r.Body, []byte(`"desktop_snapshots":[]`)) || !bytes.Contains(r.Body, []byte(`"total_count":0`)) {
			t.Errorf("%s?%s: body %s", c.project, c.query, r.Body)
		}
	}
}

func TestFilters(t *testing.T) {
	f := start(t)
	all := sampleOrder
	cases := []struct {
		name  string
		query string
		want  []string
	}{
		{"none", "", all},
		{"desktop_id", q("desktop_id", desktopXZX03), []string{sSys0420, sWeekly1}},
		{"desktop_id unknown", q("desktop_id", "7163a7ba"), nil},
		{"desktop_ids one", q("desktop_ids", desktopAA), []string{sAutoAA, sWeekly2}},
		{"desktop_ids repeated", q("desktop_ids", desktopXZX03, "desktop_ids", desktopAA), []string{sSys0420, sAutoAA, sWeekly1, sWeekly2}},
		{"desktop_ids repeated, one unknown", q("desktop_ids", "nope", "desktop_ids", desktopFinanz), []string{sUnicode}},
		{"desktop_name", q("desktop_name", "AA"), []string{sAutoAA, sWeekly2}},
		{"desktop_name is exact", q("desktop_name", "xzx0"), nil},
		{"desktop_name with reserved characters", q("desktop_name", "ops & dev = team+1"), []string{sReserved}},
		{"desktop_name unicode", q("desktop_name", "财务桌面-01"), []string{sUnicode}},
		{"desktop_names", q("desktop_names", "xzx03", "desktop_names", "财务桌面-01"), []string{sUnicode, sSys0420, sWeekly1}},
		{"snapshot_name", q("snapshot_name", "weekly"), []string{sWeekly1, sWeekly2}},
		{"snapshot_name with reserved characters", q("snapshot_name", "a&b=c+d%e?f#g/h;i j"), []string{sReserved}},
		{"snapshot_name is case-sensitive", q("snapshot_name", "WEEKLY"), nil},
		{"snapshot_names", q("snapshot_names", "财务部-每日快照 🗂", "snapshot_names", "Zeta-failed"), []string{sUnicode, sZeta}},
		{"disk_type SYSTEM_DISK", q("disk_type", "SYSTEM_DISK"), []string{sUnicode, sSys0420, sWeekly2}},
		{"disk_type DATA_DISKS", q("disk_type", "DATA_DISKS"), []string{sReserved, sAutoAA, sWeekly1}},
		{"disk_type ALL", q("disk_type", "ALL"), all},
		{"create_type AUTO", q("create_type", "AUTO"), []string{sUnicode, sAutoAA, sWeekly1}},
		{"create_type MANUALLY", q("create_type", "MANUALLY"), []string{sReserved, sSys0420, sWeekly2}},
		{"status creating", q("status", "creating"), []string{sUnicode}},
		{"status restoring", q("status", "restoring"), []string{sWeekly1}},
		{"status create_success", q("status", "create_success"), []string{sSys0420, sAutoAA}},
		{"status create_failed", q("status", "create_failed"), []string{sZeta}},
		{"status restore_success", q("status", "restore_success"), []string{sWeekly2}},
		{"status restore_failed", q("status", "restore_failed"), []string{sReserved}},
		{"desktop_name and disk_type", q("desktop_name", "xzx03", "disk_type", "DATA_DISKS"), []string{sWeekly1}},
		{"snapshot_name and create_type", q("snapshot_name", "weekly", "create_type", "MANUALLY"), []string{sWeekly2}},
		{"desktop_id and desktop_ids are ANDed", q("desktop_id", desktopXZX03, "desktop_ids", desktopAA), nil},
		{"desktop_id and desktop_ids overlapping", q("desktop_id", desktopXZX03, "desktop_ids", desktopAA, "desktop_ids", desktopXZX03), []string{sSys0420, sWeekly1}},
		{"desktop_ids, status and disk_type", q("desktop_ids", desktopXZX03, "desktop_ids", desktopAA, "status", "create_success", "disk_type", "SYSTEM_DISK"), []string{sSys0420}},
		{"snapshot_names and desktop_names", q("snapshot_names", "weekly", "snapshot_names", "AUTOCREATED_AA_1713595811910", "desktop_names", "AA"), []string{sAutoAA, sWeekly2}},
		{"status and create_type disjoint", q("status", "creating", "create_type", "MANUALLY"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := f.list(t, "", c.query)
			wantIDs(t, c.query, p.ids(t), c.want)
			if p.TotalCount != len(c.want) {
				t.Errorf("total_count = %d, want %d", p.TotalCount, len(c.want))
			}
		})
	}
}

func TestSorting(t *testing.T) {
	f := start(t)
	byTimeDesc := sampleOrder
	byTimeAsc := slices.Clone(sampleOrder)
	slices.Reverse(byTimeAsc)
	// Byte order of snapshot_name: "AUTOCREATED_AA…" < "Zeta-failed" < "a&b=…" <
	// "sys0420…" < "weekly" = "weekly" < "财务部…"; equal names keep the default order.
	byNameAsc := []string{sAutoAA, sZeta, sReserved, sSys0420, sWeekly1, sWeekly2, sUnicode}
	byNameDesc := []string{sUnicode, sWeekly1, sWeekly2, sSys0420, sReserved, sZeta, sAutoAA}
	cases := []struct {
		query string
		want  []string
		total int
	}{
		{q("sort_field", "create_time"), byTimeAsc, 7},
		{q("sort_field", "create_time", "sort_type", "ASC"), byTimeAsc, 7},
		{q("sort_field", "create_time", "sort_type", "DESC"), byTimeDesc, 7},
		{q("sort_field", "snapshot_name"), byNameAsc, 7},
		{q("sort_field", "snapshot_name", "sort_type", "ASC"), byNameAsc, 7},
		{q("sort_field", "snapshot_name", "sort_type", "DESC"), byNameDesc, 7},
		{q("sort_type", "ASC"), sampleOrder, 7},
		{q("sort_type", "DESC"), sampleOrder, 7},
		{q("sort_type", "DESC", "sort_field", "snapshot_name"), byNameDesc, 7},
		{q("sort_field", "snapshot_name", "snapshot_name", "weekly", "sort_type", "DESC"), []string{sWeekly1, sWeekly2}, 2},
		{q("sort_field", "create_time", "desktop_ids", desktopAA, "desktop_ids", desktopXZX03), []string{sWeekly2, sWeekly1, sAutoAA, sSys0420}, 4},
		// Sorting happens before paging.
		{q("sort_field", "snapshot_name", "offset", "2", "limit", "3"), byNameAsc[2:5], 7},
		{q("sort_field", "create_time", "sort_type", "ASC", "offset", "5"), byTimeAsc[5:], 7},
	}
	for _, c := range cases {
		p := f.list(t, "", c.query)
		wantIDs(t, c.query, p.ids(t), c.want)
		if p.TotalCount != c.total {
			t.Errorf("%s: total_count = %d, want %d", c.query, p.TotalCount, c.total)
		}
	}

	// Sorting does not change the fake's default order for later requests.
	wantIDs(t, "after sorting", f.list(t, "", "").ids(t), sampleOrder)
}

func TestInvalidEnumValues(t *testing.T) {
	f := start(t)
	allowed := map[string][]string{
		"disk_type":   {"SYSTEM_DISK", "DATA_DISKS", "ALL"},
		"create_type": {"AUTO", "MANUALLY"},
		"status":      {"creating", "restoring", "create_success", "create_failed", "restore_success", "restore_failed"},
		"sort_field":  {"create_time", "snapshot_name"},
		"sort_type":   {"ASC", "DESC"},
	}
	cases := []struct{ key, value string }{
		{"disk_type", "SYSTEM"},
		{"disk_type", "system_disk"},
		{"disk_type", ""},
		{"create_type", "auto"},
		{"create_type", "SCHEDULED"},
		{"status", "CREATING"},
		{"status", "deleted"},
		{"sort_field", "name"},
		{"sort_field", "create_time "},
		{"sort_type", "asc"},
		{"sort_type", "DOWN"},
	}
	for _, c := range cases {
		t.Run(c.key+"="+c.value, func(t *testing.T) {
			r := f.get(t, snapshotsPath, q(c.key, c.value))
			r.wantError(t, http.StatusBadRequest, "WKS.0001", append([]string{c.key, `"` + c.value + `"`}, allowed[c.key]...)...)
		})
	}
	// A valid enum next to an invalid one still fails, naming the bad one.
	f.get(t, snapshotsPath, q("disk_type", "ALL", "status", "gone")).wantError(t, http.StatusBadRequest, "WKS.0001", "status", `"gone"`)
}

func TestJSONFidelity(t *testing.T) {
	f := start(t)
	p := f.list(t, "", "")
	if len(p.DesktopSnapshots) != 7 || p.TotalCount != 7 {
		t.Fatalf("%d items, total_count %d; want 7, 7", len(p.DesktopSnapshots), p.TotalCount)
	}
	items := map[string]map[string]json.RawMessage{}
	raws := map[string]json.RawMessage{}
	for _, raw := range p.DesktopSnapshots {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		var id string
		if err := json.Unmarshal(m["snapshot_id"], &id); err != nil {
			t.Fatal(err)
		}
		items[id], raws[id] = m, raw
	}

	apiOrder := []string{"snapshot_id", "snapshot_name", "desktop_id", "desktop_name", "desktop_sid", "desktop_pool_id",
		"is_system_disk", "status", "process", "description", "create_time", "create_type", "last_restore_time", "restore_fail_reason"}
	wantKeys := map[string][]string{
		// Every field, in the API page's order.
		sReserved: apiOrder,
		sUnicode:  {"snapshot_id", "snapshot_name", "desktop_id", "desktop_name", "desktop_sid", "is_system_disk", "status", "process", "description", "create_time", "create_type"},
		// Exactly the API page's own example item.
		sSys0420: {"snapshot_id", "snapshot_name", "desktop_id", "desktop_name", "desktop_sid", "is_system_disk", "status", "description", "create_time", "create_type"},
		sAutoAA:  {"snapshot_id", "snapshot_name", "desktop_id", "desktop_name", "desktop_sid", "is_system_disk", "status", "description", "create_time", "create_type"},
		sWeekly1: {"snapshot_id", "snapshot_name", "desktop_id", "desktop_name", "desktop_sid", "desktop_pool_id", "is_system_disk", "status", "process", "description", "create_time", "create_type", "last_restore_time"},
		sWeekly2: {"snapshot_id", "snapshot_name", "desktop_id", "desktop_name", "desktop_sid", "is_system_disk", "status", "process", "description", "create_time", "create_type", "last_restore_time", "restore_fail_reason"},
		sZeta:    {"snapshot_id", "snapshot_name", "status", "create_time"},
	}
	for id, want := range wantKeys {
		if got := keys(t, raws[id]); !slices.Equal(got, want) {
			t.Errorf("%s: fields in the raw bytes\n got %q\nwant %q", id, got, want)
		}
	}

	// Exact raw values (compared after decoding strings, so that the encoder's
	// choice of escapes does not matter).
	wantValues := map[string]map[string]string{
		sReserved: {
			"snapshot_name": `"a&b=c+d%e?f#g/h;i j"`, "desktop_id": `"` + desktopOps + `"`, "desktop_name": `"ops & dev = team+1"`,
			"desktop_sid": `"44556677-8899-4aab-bccd-deeff0011223"`, "desktop_pool_id": `"pool-7a7a7a7a"`,
			"is_system_disk": `false`, "status": `"restore_failed"`, "process": `null`,
			"description": `"reserved: & = + % ? # / ;"`, "create_time": `"2024-04-22T10:15:00Z"`, "create_type": `"MANUALLY"`,
			"last_restore_time": `"2024-04-23T01:02:03Z"`, "restore_fail_reason": `"disk busy; retry later"`,
		},
		sUnicode: {
			"snapshot_name": `"财务部-每日快照 🗂"`, "desktop_name": `"财务桌面-01"`, "is_system_disk": `true`,
			"status": `"creating"`, "process": `42`, "description": `""`, "create_time": `"2024-04-21T23:59:59Z"`, "create_type": `"AUTO"`,
		},
		sSys0420: {
			"snapshot_name": `"sys0420_xzx03_1713602176593"`, "desktop_id": `"7163a7ba-fc09-4238-ab73-0689ea7f54c3"`,
			"desktop_name": `"xzx03"`, "desktop_sid": `"22ad6780-3236-4838-b509-8068d254e9de"`, "is_system_disk": `true`,
			"status": `"create_success"`, "description": `"description。"`, "create_time": `"2024-04-20T08:36:16Z"`, "create_type": `"MANUALLY"`,
		},
		sWeekly1: {"process": `0`, "is_system_disk": `false`, "status": `"restoring"`, "last_restore_time": `"2024-04-22T09:00:00Z"`},
		sWeekly2: {"process": `100`, "restore_fail_reason": `""`, "status": `"restore_success"`},
		sZeta:    {"snapshot_name": `"Zeta-failed"`, "status": `"create_failed"`, "create_time": `"2024-04-17T00:00:01Z"`},
	}
	for id, fields := range wantValues {
		for k, want := range fields {
			got, ok := items[id][k]
			if !ok {
				t.Errorf("%s: %s absent, want %s", id, k, want)
				continue
			}
			if !jsonEqual(t, got, []byte(want)) {
				t.Errorf("%s: %s = %s, want %s", id, k, got, want)
			}
		}
	}
	if string(items[sReserved]["process"]) != "null" {
		t.Errorf(`process of the ProcessNull item = %s, want the literal null`, items[sReserved]["process"])
	}
	if string(items[sUnicode]["description"]) != `""` {
		t.Errorf(`empty description = %s, want ""`, items[sUnicode]["description"])
	}

	// The top level has exactly the two documented fields.
	r := f.get(t, snapshotsPath, q("limit", "1"))
	if got := keys(t, r.Body); !slices.Equal(sortedCopy(got), []string{"desktop_snapshots", "total_count"}) {
		t.Errorf("top-level fields %q", got)
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func TestIAMProjects(t *testing.T) {
	f := start(t)
	type project struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		DomainID string `json:"domain_id"`
		Enabled  *bool  `json:"enabled"`
	}
	type list struct {
		Projects []project `json:"projects"`
		Links    *struct{} `json:"links"`
	}
	get := func(query string) (list, response) {
		t.Helper()
		r := f.get(t, "/v3/projects", query)
		if r.Status != http.StatusOK {
			t.Fatalf("?%s: status %d, body %s", query, r.Status, r.Body)
		}
		var l list
		if err := json.Unmarshal(r.Body, &l); err != nil {
			t.Fatal(err)
		}
		if l.Links == nil {
			t.Errorf("?%s: no links in %s", query, r.Body)
		}
		return l, r
	}

	l, _ := get(q("name", fakeapi.Region))
	if len(l.Projects) != 1 {
		t.Fatalf("name=%s: %d projects, want 1", fakeapi.Region, len(l.Projects))
	}
	if p := l.Projects[0]; p.ID != fakeapi.ProjectID || p.Name != fakeapi.Region || p.DomainID != fakeapi.DomainID || p.Enabled == nil || !*p.Enabled {
		t.Errorf("project %+v", p)
	}

	l, _ = get(q("name", fakeapi.LargeRegion))
	if len(l.Projects) != 1 || l.Projects[0].ID != fakeapi.LargeProjectID {
		t.Errorf("name=%s: %+v", fakeapi.LargeRegion, l.Projects)
	}

	// The name filter is exact: unknown names, prefixes and near misses match nothing.
	for _, name := range []string{"xx-nowhere-1", "cn", "cn-north-", "cn-north-4 "} {
		l, r := get(q("name", name))
		if len(l.Projects) != 0 || !bytes.Contains(r.Body, []byte(`"projects":[]`)) {
			t.Errorf("name=%q: body %s, want an empty projects array", name, r.Body)
		}
	}

	l, _ = get("")
	var got []string
	for _, p := range l.Projects {
		got = append(got, p.ID+" "+p.Name)
	}
	want := []string{fakeapi.ProjectID + " " + fakeapi.Region, fakeapi.LargeProjectID + " " + fakeapi.LargeRegion, fakeapi.EmptyProjectID + " " + fakeapi.EmptyRegion}
	if !slices.Equal(got, want) {
		t.Errorf("all projects %q, want %q", got, want)
	}

	// Unsigned: 401.
	send(t, f.newRequest(t, "/v3/projects", q("name", fakeapi.Region))).wantError(t, http.StatusUnauthorized, "APIG.0301")
}

// The provider's own client against the fake, end to end.
func TestProviderClientAgainstFake(t *testing.T) {
	f := start(t)
	c := transport.New(transport.Config{Credentials: temporary, Now: func() time.Time { return t0 }})
	ctx := context.Background()

	id, err := iam.ProjectID(ctx, c, f.URL, fakeapi.Region)
	if err != nil || id != fakeapi.ProjectID {
		t.Fatalf("ProjectID = %q, %v", id, err)
	}
	out, err := workspace.ListDesktopSnapshots(ctx, c, f.URL, fakeapi.LargeProjectID, workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Snapshots) != fakeapi.LargeCount || out.Requests != 3 {
		t.Errorf("%d snapshots in %d requests, want %d in 3", len(out.Snapshots), out.Requests, fakeapi.LargeCount)
	}
	out, err = workspace.ListDesktopSnapshots(ctx, c, f.URL, fakeapi.ProjectID, workspace.ListDesktopSnapshotsInput{
		SnapshotNames: []string{"a&b=c+d%e?f#g/h;i j", "财务部-每日快照 🗂"}, SortField: "snapshot_name", SortType: "DESC",
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range out.Snapshots {
		got = append(got, *s.SnapshotID)
	}
	wantIDs(t, "client listing", got, []string{sUnicode, sReserved})
	if s := out.Snapshots[1]; s.Process != nil || s.Description == nil || *s.Description != "reserved: & = + % ? # / ;" {
		t.Errorf("decoded %+v", s)
	}
}

func TestUnknownRoutesAndProjects(t *testing.T) {
	f := start(t)
	f.get(t, "/v2/"+fakeapi.ProjectID+"/desktops", "").wantError(t, http.StatusNotFound, "APIG.0101")
	f.get(t, "/v2/no-such-project/snapshots", "").wantError(t, http.StatusNotFound, "WKS.0004", "no-such-project")
	r := f.newRequest(t, snapshotsPath, "")
	r.Header.Set("X-Project-Id", fakeapi.LargeProjectID)
	signHMAC(r, permanent, t0)
	send(t, r).wantError(t, http.StatusForbidden, "WKS.0003")
}

func TestFaults(t *testing.T) {
	f := start(t)
	const html = "<html><body>502 Bad Gateway</body></html>"
	f.Fail(fakeapi.Fault{Path: "/v2/", Status: 503, Body: html, ContentType: "text/html", Times: 2})

	// Another path does not match and does not use the fault up.
	if r := f.get(t, "/v3/projects", ""); r.Status != http.StatusOK {
		t.Fatalf("IAM during a /v2/ fault: %d %s", r.Status, r.Body)
	}
	// A bad signature is refused before any fault.
	send(t, f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: "bad"}, t0)).
		wantError(t, http.StatusUnauthorized, "APIG.0301")

	for i := range 2 {
		r := f.get(t, snapshotsPath, q("limit", "3"))
		if r.Status != 503 || string(r.Body) != html || r.Header.Get("Content-Type") != "text/html" || r.Header.Get("X-Request-Id") == "" {
			t.Fatalf("faulted request %d: %d %q %q %q", i, r.Status, r.Header.Get("Content-Type"), r.Header.Get("X-Request-Id"), r.Body)
		}
	}
	p := f.list(t, "", q("limit", "3"))
	wantIDs(t, "after the fault", p.ids(t), sampleOrder[:3])

	reqs := f.Requests()
	type rec struct {
		Method, Path, RawQuery string
		Status                 int
		ErrorCode, AccessKey   string
	}
	var got []rec
	ids := map[string]bool{}
	for _, r := range reqs {
		got = append(got, rec{r.Method, r.Path, r.RawQuery, r.Status, r.ErrorCode, r.AccessKey})
		if r.RequestID == "" || ids[r.RequestID] {
			t.Errorf("request id %q empty or repeated", r.RequestID)
		}
		ids[r.RequestID] = true
	}
	want := []rec{
		{"GET", "/v3/projects", "", 200, "", fakeapi.AccessKey},
		{"GET", snapshotsPath, "", 401, "APIG.0301", fakeapi.AccessKey},
		{"GET", snapshotsPath, "limit=3", 503, "", fakeapi.AccessKey},
		{"GET", snapshotsPath, "limit=3", 503, "", fakeapi.AccessKey},
		{"GET", snapshotsPath, "limit=3", 200, "", fakeapi.AccessKey},
	}
	if !slices.Equal(got, want) {
		t.Errorf("recorded\n%+v\nwant\n%+v", got, want)
	}

	// A JSON fault: its error_code is recorded; Times 0 means once; no Path
	// matches every path.
	f.Reset()
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("%d requests after Reset", n)
	}
	f.Fail(fakeapi.Fault{Status: 429, Body: `{"error_code":"APIG.0308","error_msg":"throttled"}`, ContentType: "application/json"})
	r := f.get(t, "/v3/projects", "")
	r.wantError(t, 429, "APIG.0308")
	if r := f.get(t, "/v3/projects", ""); r.Status != 200 {
		t.Errorf("second request after a Times:0 fault: %d", r.Status)
	}
	reqs = f.Requests()
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[0].ErrorCode != "APIG.0308" || reqs[0].RequestID != r.Header.Get("X-Request-Id") {
		t.Errorf("recorded %+v", reqs)
	}

	// Faults queue in order; Reset drops pending ones.
	f.Fail(fakeapi.Fault{Path: "/v2/", Status: 500, Body: "", Times: 1})
	f.Fail(fakeapi.Fault{Path: "/v2/", Status: 502, Body: "", Times: 1})
	if r := f.get(t, snapshotsPath, ""); r.Status != 500 || len(r.Body) != 0 {
		t.Errorf("first queued fault: %d %q", r.Status, r.Body)
	}
	f.Reset()
	if r := f.get(t, snapshotsPath, ""); r.Status != 200 {
		t.Errorf("after Reset: %d %s", r.Status, r.Body)
	}
}

func TestRequestsRecordEverything(t *testing.T) {
	f := start(t)
	raw := q("desktop_ids", desktopAA, "desktop_ids", desktopXZX03, "snapshot_name", "a b&c")
	r := send(t, f.signed(t, snapshotsPath, raw, temporary, t0))
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	reqs := f.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	got := reqs[0]
	if got.Method != "GET" || got.Path != snapshotsPath || got.RawQuery != raw || got.Status != 200 || got.ErrorCode != "" ||
		got.AccessKey != fakeapi.TempAccessKey || got.RequestID != r.Header.Get("X-Request-Id") {
		t.Errorf("recorded %+v", got)
	}
	if !slices.Equal(got.Query["desktop_ids"], []string{desktopAA, desktopXZX03}) || got.Query.Get("snapshot_name") != "a b&c" {
		t.Errorf("recorded query %v", got.Query)
	}
	if got.Header.Get("X-Security-Token") != fakeapi.SecurityToken {
		t.Errorf("recorded headers %v", got.Header)
	}
	// Requests returns a copy.
	reqs[0].Status = 999
	if f.Requests()[0].Status != 200 {
		t.Error("Requests() shares its backing array with the server")
	}
}

func TestMaxInFlight(t *testing.T) {
	f := start(t)
	if n := f.MaxInFlight(); n != 0 {
		t.Errorf("MaxInFlight before any request = %d", n)
	}
	const n = 8
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		req := f.signed(t, "/v2/"+fakeapi.LargeProjectID+"/snapshots", "", permanent, t0)
		wg.Go(func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 200 {
			t.Errorf("request %d: %d", i, s)
		}
	}
	if m := f.MaxInFlight(); m < 1 || m > n {
		t.Errorf("MaxInFlight = %d, want 1..%d", m, n)
	}
	if got := len(f.Requests()); got != n {
		t.Errorf("recorded %d requests, want %d", got, n)
	}
	f.Reset()
	if m := f.MaxInFlight(); m != 0 {
		t.Errorf("MaxInFlight after Reset = %d", m)
	}
	f.get(t, snapshotsPath, "")
	if m := f.MaxInFlight(); m != 1 {
		t.Errorf("MaxInFlight after one sequential request = %d, want 1", m)
	}
}

// Equal sort keys keep the default order, in both directions, also for data sets
// large enough that an unstable sort would reorder them.
func TestSortingIsStable(t *testing.T) {
	var snaps []fakeapi.Snapshot
	var want []string
	for i := range 60 {
		id := fmt.Sprintf("stable-%02d", i)
		snaps = append(snaps, fakeapi.Snapshot{
			SnapshotID:   fakeapi.S(id),
			SnapshotName: fakeapi.S([]string{"b", "a", "c"}[i%3]),
			CreateTime:   fakeapi.S([]string{"2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"}[i%2]),
		})
		want = append(want, id)
	}
	const pid = "5ab1e5ab1e5ab1e5ab1e5ab1e5ab1e00"
	f := start(t, func(o *fakeapi.Options) {
		o.Projects = append(o.Projects, fakeapi.Project{ID: pid, Name: "stable-1", Snapshots: snaps})
	})
	// byKey lists want grouped by key value in the given key order, keeping the
	// default order inside a group.
	byKey := func(key func(i int) string, order ...string) []string {
		var out []string
		for _, k := range order {
			for i, id := range want {
				if key(i) == k {
					out = append(out, id)
				}
			}
		}
		return out
	}
	name := func(i int) string { return []string{"b", "a", "c"}[i%3] }
	day := func(i int) string { return []string{"1", "2"}[i%2] }
	for _, c := range []struct {
		query string
		want  []string
	}{
		{q("sort_field", "snapshot_name"), byKey(name, "a", "b", "c")},
		{q("sort_field", "snapshot_name", "sort_type", "DESC"), byKey(name, "c", "b", "a")},
		{q("sort_field", "create_time"), byKey(day, "1", "2")},
		{q("sort_field", "create_time", "sort_type", "DESC"), byKey(day, "2", "1")},
		{"", want},
	} {
		wantIDs(t, c.query, f.list(t, pid, c.query).ids(t), c.want)
	}
}

// The fake writes JSON as the API does: & < > in names are not escaped as
// \u0026 and the like.
func TestJSONIsNotHTMLEscaped(t *testing.T) {
	f := start(t)
	r := f.get(t, "/v2/"+fakeapi.ProjectID+"/snapshots", "")
	if r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	for _, want := range []string{`"snapshot_name":"a&b=c+d%e?f#g/h;i j"`, `"desktop_name":"ops & dev = team+1"`} {
		if !bytes.Contains(r.Body, []byte(want)) {
			t.Errorf("body lacks %s", want)
		}
	}
	if bytes.Contains(r.Body, []byte(`\u0026`)) {
		t.Errorf("body escapes & as \\u0026")
	}
}
