package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

const testProject = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

func TestListDesktopSnapshotsInputQuery(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   workspace.ListDesktopSnapshotsInput
		want string
	}{
		{"empty", workspace.ListDesktopSnapshotsInput{}, ""},
		{"empty strings and slices", workspace.ListDesktopSnapshotsInput{DesktopIDs: []string{}, SnapshotNames: []string{}}, ""},
		{"desktop_id", workspace.ListDesktopSnapshotsInput{DesktopID: "d-1"}, "desktop_id=d-1"},
		{"desktop_ids", workspace.ListDesktopSnapshotsInput{DesktopIDs: []string{"c", "a", "b"}}, "desktop_ids=c&desktop_ids=a&desktop_ids=b"},
		{"desktop_name", workspace.ListDesktopSnapshotsInput{DesktopName: "my desk"}, "desktop_name=my%20desk"},
		{"desktop_names", workspace.ListDesktopSnapshotsInput{DesktopNames: []string{"z", "桌面"}}, "desktop_names=z&desktop_names=%E6%A1%8C%E9%9D%A2"},
		{"snapshot_name", workspace.ListDesktopSnapshotsInput{SnapshotName: "a+b;c"}, "snapshot_name=a%2Bb%3Bc"},
		{"snapshot_names", workspace.ListDesktopSnapshotsInput{SnapshotNames: []string{"s2", "s1"}}, "snapshot_names=s2&snapshot_names=s1"},
		{"disk_type", workspace.ListDesktopSnapshotsInput{DiskType: "SYSTEM_DISK"}, "disk_type=SYSTEM_DISK"},
		{"create_type", workspace.ListDesktopSnapshotsInput{CreateType: "MANUALLY"}, "create_type=MANUALLY"},
		{"status", workspace.ListDesktopSnapshotsInput{Status: "restore_failed"}, "status=restore_failed"},
		{"sort_field", workspace.ListDesktopSnapshotsInput{SortField: "snapshot_name"}, "sort_field=snapshot_name"},
		{"sort_type", workspace.ListDesktopSnapshotsInput{SortType: "DESC"}, "sort_type=DESC"},
		{"empty string in a slice is kept", workspace.ListDesktopSnapshotsInput{DesktopIDs: []string{"", "a"}}, "desktop_ids=&desktop_ids=a"},
		{"all, in the API page's order", workspace.ListDesktopSnapshotsInput{
			SortType: "ASC", SortField: "create_time", Status: "creating", CreateType: "AUTO", DiskType: "ALL",
			SnapshotNames: []string{"sn2", "sn1"}, SnapshotName: "sn", DesktopNames: []string{"dn2", "dn1"},
			DesktopName: "dn", DesktopIDs: []string{"id2", "id1"}, DesktopID: "id",
		}, "desktop_id=id&desktop_ids=id2&desktop_ids=id1&desktop_name=dn&desktop_names=dn2&desktop_names=dn1" +
			"&snapshot_name=sn&snapshot_names=sn2&snapshot_names=sn1&disk_type=ALL&create_type=AUTO" +
			"&status=creating&sort_field=create_time&sort_type=ASC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.Query().Encode(); got != tc.want {
				t.Errorf("Query().Encode()\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// pageJSON is a ListDesktopSnapshot answer of the snapshots s-first … s-(first+n-1).
func pageJSON(first, n int, total *int64) []byte {
	items := make([]map[string]any, n)
	for i := range items {
		items[i] = map[string]any{"snapshot_id": "s-" + strconv.Itoa(first+i)}
	}
	body := map[string]any{"desktop_snapshots": items}
	if total != nil {
		body["total_count"] = *total
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	return b
}

// pagingServer serves total snapshots (claiming claimed as total_count when it
// is not nil) by offset and limit.
func pagingServer(t *testing.T, total int, claimed *int64) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, err1 := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, err2 := strconv.Atoi(r.URL.Query().Get("limit"))
		if err1 != nil || err2 != nil {
			http.Error(w, "bad offset or limit", http.StatusBadRequest)
			return
		}
		n := min(limit, max(total-offset, 0))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(pageJSON(offset, n, claimed))
	})
}

type pageReq struct{ offset, limit string }

func pagesRequested(rec *recorder) []pageReq {
	var out []pageReq
	for _, r := range rec.requests() {
		out = append(out, pageReq{r.URL.Query().Get("offset"), r.URL.Query().Get("limit")})
	}
	return out
}

func checkSnapshotIDs(t *testing.T, got []workspace.DesktopSnapshot, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("got %d snapshots, want %d", len(got), n)
	}
	for i, s := range got {
		if s.SnapshotID == nil || *s.SnapshotID != "s-"+strconv.Itoa(i) {
			t.Fatalf("snapshot %d has ID %v, want s-%d", i, s.SnapshotID, i)
		}
	}
}

func TestListDesktopSnapshotsPaging(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   int
		claimed *int64
		want    []pageReq
		items   int
	}{
		{"2345 with total_count", 2345, int64p(2345), []pageReq{{"0", "1000"}, {"1000", "1000"}, {"2000", "1000"}}, 2345},
		{"2345 without total_count", 2345, nil, []pageReq{{"0", "1000"}, {"1000", "1000"}, {"2000", "1000"}}, 2345},
		{"2000 with total_count stops on the full page", 2000, int64p(2000), []pageReq{{"0", "1000"}, {"1000", "1000"}}, 2000},
		{"2000 without total_count needs an empty page", 2000, nil, []pageReq{{"0", "1000"}, {"1000", "1000"}, {"2000", "1000"}}, 2000},
		{"total_count overstates, short second page ends it", 1010, int64p(5000), []pageReq{{"0", "1000"}, {"1000", "1000"}}, 1010},
		{"none", 0, int64p(0), []pageReq{{"0", "1000"}}, 0},
		{"none, total_count absent", 0, nil, []pageReq{{"0", "1000"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := pagingServer(t, tc.total, tc.claimed)
			// One page at a time, so that the order of requests is known; the
			// concurrent pager has tests of its own.
			c := transport.New(transport.Config{Credentials: testCreds, MaxConcurrency: 1})
			out, err := workspace.ListDesktopSnapshots(context.Background(), c, rec.URL, testProject, workspace.ListDesktopSnapshotsInput{})
			if err != nil {
				t.Fatal(err)
			}
			if got := pagesRequested(rec); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("pages requested %v, want %v", got, tc.want)
			}
			if out.Requests != len(tc.want) || rec.count() != len(tc.want) {
				t.Errorf("Requests = %d, server saw %d, want %d", out.Requests, rec.count(), len(tc.want))
			}
			checkSnapshotIDs(t, out.Snapshots, tc.items)
		})
	}
}

// TestListDesktopSnapshotsRequestShape checks the exact path and query of every
// page: the filters in order, then offset and limit.
func TestListDesktopSnapshotsRequestShape(t *testing.T) {
	rec := pagingServer(t, 1500, int64p(1500))
	in := workspace.ListDesktopSnapshotsInput{DesktopIDs: []string{"b", "a"}, Status: "create_success", SnapshotName: "x y"}
	if _, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL+"/", testProject, in); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.Method != http.MethodGet {
			t.Errorf("request %d: method %s", i, r.Method)
		}
		if got, want := r.URL.Path, "/v2/"+testProject+"/snapshots"; got != want {
			t.Errorf("request %d: path %q, want %q", i, got, want)
		}
		want := "desktop_ids=b&desktop_ids=a&snapshot_name=x%20y&status=create_success&offset=" + strconv.Itoa(1000*i) + "&limit=1000"
		if r.URL.RawQuery != want {
			t.Errorf("request %d: query\n got %q\nwant %q", i, r.URL.RawQuery, want)
		}
		if got := r.Header.Get("X-Project-Id"); got != testProject {
			t.Errorf("request %d: X-Project-Id %q", i, got)
		}
	}
}

// TestListDesktopSnapshotsProjectIDInPath checks a project ID that needs escaping
// is escaped once on the wire, and arrives as given.
func TestListDesktopSnapshotsProjectIDInPath(t *testing.T) {
	rec := pagingServer(t, 0, nil)
	const project = "a b+c"
	if _, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL, project, workspace.ListDesktopSnapshotsInput{}); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if got, want := r.URL.Path, "/v2/a b+c/snapshots"; got != want {
		t.Errorf("decoded path %q, want %q", got, want)
	}
	if got, want := r.URL.EscapedPath(), "/v2/a%20b+c/snapshots"; got != want {
		t.Errorf("wire path %q, want %q", got, want)
	}
}

// TestListDesktopSnapshotsMaxPages checks a server that never ends (full pages,
// no total_count) is abandoned after listing.MaxPages requests, with an error.
func TestListDesktopSnapshotsMaxPages(t *testing.T) {
	if testing.Short() {
		t.Skip("1000 requests")
	}
	full := pageJSON(0, listing.PageLimit, nil)
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(full)
	})
	out, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL, testProject, workspace.ListDesktopSnapshotsInput{})
	if err == nil {
		t.Fatalf("no error after %d requests", out.Requests)
	}
	if out != nil {
		t.Errorf("output %+v with the error", out)
	}
	if !strings.Contains(err.Error(), "full pages") {
		t.Errorf("error %q does not mention full pages", err)
	}
	if got := rec.count(); got != listing.MaxPages {
		t.Errorf("server saw %d requests, want %d", got, listing.MaxPages)
	}
	reqs := rec.requests()
	if got, want := reqs[len(reqs)-1].URL.Query().Get("offset"), strconv.Itoa((listing.MaxPages-1)*listing.PageLimit); got != want {
		t.Errorf("last offset %s, want %s", got, want)
	}
}

// TestListDesktopSnapshotsErrorOnLaterPage checks an error on the second page
// fails the listing and names the offset.
func TestListDesktopSnapshotsErrorOnLaterPage(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" {
			w.Header().Set("X-Request-Id", "rid-2")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error_code":"APIG.0308","error_msg":"throttled"}`))
			return
		}
		_, _ = w.Write(pageJSON(0, listing.PageLimit, nil))
	})
	out, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL, testProject, workspace.ListDesktopSnapshotsInput{})
	if err == nil || out != nil {
		t.Fatalf("got %v, %v; want an error", out, err)
	}
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.ErrorCode != "APIG.0308" || apiErr.RequestID != "rid-2" {
		t.Fatalf("error %v (%#v), want the 429 APIError", err, apiErr)
	}
	if !strings.Contains(err.Error(), "offset 1000: ") {
		t.Errorf("error %q does not name offset 1000", err)
	}
	if rec.count() != 2 {
		t.Errorf("%d requests, want 2", rec.count())
	}
}

func TestDesktopSnapshotDecoding(t *testing.T) {
	const body = `{"total_count": 4, "desktop_snapshots": [
	{"snapshot_id":"sid","snapshot_name":"sname","desktop_id":"did","desktop_name":"dname",
	 "desktop_sid":"dsid","desktop_pool_id":"pool","is_system_disk":true,"status":"create_success",
	 "process":42,"description":"desc","create_time":"2024-04-20T08:36:16Z","create_type":"MANUALLY",
	 "last_restore_time":"2024-04-21T09:00:00Z","restore_fail_reason":"reason","unknown_field":{"x":1}},
	{},
	{"snapshot_id":"","snapshot_name":"","desktop_id":"","desktop_name":"","desktop_sid":"","desktop_pool_id":"",
	 "is_system_disk":false,"status":"","process":null,"description":"","create_time":"","create_type":"",
	 "last_restore_time":"","restore_fail_reason":""},
	{"snapshot_id":null,"is_system_disk":null,"process":0}
	]}`
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write([]byte(body))
	})
	out, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL, testProject, workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		t.Fatal(err)
	}
	e := strp("")
	want := []workspace.DesktopSnapshot{
		{
			SnapshotID: strp("sid"), SnapshotName: strp("sname"), DesktopID: strp("did"), DesktopName: strp("dname"),
			DesktopSID: strp("dsid"), DesktopPoolID: strp("pool"), IsSystemDisk: boolp(true), Status: strp("create_success"),
			Process: int64p(42), Description: strp("desc"), CreateTime: strp("2024-04-20T08:36:16Z"), CreateType: strp("MANUALLY"),
			LastRestoreTime: strp("2024-04-21T09:00:00Z"), RestoreFailReason: strp("reason"),
		},
		{},
		{
			SnapshotID: e, SnapshotName: e, DesktopID: e, DesktopName: e, DesktopSID: e, DesktopPoolID: e,
			IsSystemDisk: boolp(false), Status: e, Process: nil, Description: e, CreateTime: e, CreateType: e,
			LastRestoreTime: e, RestoreFailReason: e,
		},
		{Process: int64p(0)},
	}
	if !reflect.DeepEqual(out.Snapshots, want) {
		t.Fatalf("decoded\n%s\nwant\n%s", dump(out.Snapshots), dump(want))
	}
	// DeepEqual follows pointers; check nil-ness explicitly too, field by field.
	for i, s := range out.Snapshots {
		v, w := reflect.ValueOf(s), reflect.ValueOf(want[i])
		for f := 0; f < v.NumField(); f++ {
			if v.Field(f).IsNil() != w.Field(f).IsNil() {
				t.Errorf("item %d field %s: nil %v, want nil %v", i, v.Type().Field(f).Name, v.Field(f).IsNil(), w.Field(f).IsNil())
			}
		}
	}
	if n := reflect.TypeOf(workspace.DesktopSnapshot{}).NumField(); n != 14 {
		t.Errorf("DesktopSnapshot has %d fields, the API documents 14", n)
	}
}

func dump(v []workspace.DesktopSnapshot) string {
	var b strings.Builder
	for i, s := range v {
		fmt.Fprintf(&b, "%d:", i)
		rv := reflect.ValueOf(s)
		for f := 0; f < rv.NumField(); f++ {
			if rv.Field(f).IsNil() {
				fmt.Fprintf(&b, " %s=nil", rv.Type().Field(f).Name)
			} else {
				fmt.Fprintf(&b, " %s=%#v", rv.Type().Field(f).Name, rv.Field(f).Elem().Interface())
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
