package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// The tests of this file change the listing while it is read, or make the API
// misreport it, and check the listing is exact or the read fails: never a list
// with a snapshot twice or one missing.

var largePath = "/v2/" + fakeapi.LargeProjectID + "/snapshots"

func listLarge(c *transport.Client, env *fakeEnv) (*workspace.ListDesktopSnapshotsOutput, error) {
	return workspace.ListDesktopSnapshots(context.Background(), c, env.URL, fakeapi.LargeProjectID, workspace.ListDesktopSnapshotsInput{})
}

// TestInsertWhileReading checks 5 snapshots created at the front while the
// 2345-snapshot listing is read (at the 2nd page request): every later page
// shifts by 5, the pass is seen to be unsettled (total_count changed), and the
// second pass reads the 2350 exactly.
func TestInsertWhileReading(t *testing.T) {
	for _, concurrency := range []int{1, 4} {
		t.Run(strconv.Itoa(concurrency), func(t *testing.T) {
			env := startDefaultFake(t)
			env.api.Fail(fakeapi.Fault{Path: largePath, Skip: 1, Insert: 5})
			out, err := listLarge(fakeClient(transport.Config{MaxConcurrency: concurrency}), env)
			if err != nil {
				t.Fatal(err)
			}
			want := wantSnapshots(t, env.api, fakeapi.LargeProjectID)
			if len(want) != fakeapi.LargeCount+5 {
				t.Fatalf("the fake holds %d snapshots, want %d", len(want), fakeapi.LargeCount+5)
			}
			checkSnapshots(t, out.Snapshots, want)
			checkUniqueIDs(t, out.Snapshots)
			if out.Passes != 2 || out.Requests != 6 || len(out.Warnings) != 0 {
				t.Errorf("Passes %d, Requests %d, Warnings %q; want 2, 6 (3+3), none", out.Passes, out.Requests, out.Warnings)
			}
			reqs := env.api.Requests()
			if len(reqs) != 6 {
				t.Errorf("the fake saw %d requests, want 6", len(reqs))
			}
			if got, want := offsetsRequested(t, reqs, largePath), []int{0, 0, 1000, 1000, 2000, 2000}; !slices.Equal(got, want) {
				t.Errorf("offsets %v, want %v", got, want)
			}
		})
	}
}

// TestInsertOnEveryRequest checks a listing that changes under every page: the
// read gives up after 3 passes with an *UnsettledError that says what changed in
// each, after exactly 3 pages per pass.
func TestInsertOnEveryRequest(t *testing.T) {
	for _, concurrency := range []int{1, 4} {
		t.Run(strconv.Itoa(concurrency), func(t *testing.T) {
			env := startDefaultFake(t)
			env.api.Fail(fakeapi.Fault{Path: largePath, Skip: 1, Times: -1, Insert: 1})
			out, err := listLarge(fakeClient(transport.Config{MaxConcurrency: concurrency}), env)
			if err == nil {
				t.Fatalf("no error, %d snapshots", len(out.Snapshots))
			}
			if out != nil {
				t.Errorf("output %+v with the error", out)
			}
			var ue *listing.UnsettledError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v, want an *UnsettledError", err)
			}
			if ue.Passes != 3 || len(ue.Reasons) != 3 {
				t.Errorf("Passes %d, %d reasons, want 3 and 3", ue.Passes, len(ue.Reasons))
			}
			if n := len(env.api.Requests()); n != 9 {
				t.Errorf("the fake saw %d requests, want 9 (3 passes of 3 pages)", n)
			}
			mustContain(t, err.Error(), "listing desktop snapshots: the listing changed while it was being read, 3 times in a row (pass 1: total_count went from 2345 at offset 0 to ")
			if concurrency == 1 {
				// One page at a time, each page inserts one more: 2345 at
				// offset 0, 2346 at 1000, 2347 at 2000; then 2348, 2349, 2350;
				// then 2351, 2352, 2353.
				mustContain(t, err.Error(), "(pass 1: total_count went from 2345 at offset 0 to 2346 at offset 1000; "+
					"pass 2: total_count went from 2348 at offset 0 to 2349 at offset 1000; "+
					"pass 3: total_count went from 2351 at offset 0 to 2352 at offset 1000). ")
			}
			for _, r := range ue.Reasons {
				mustContain(t, r, "total_count went from ")
			}
		})
	}
}

// TestInflatedTotal checks an API whose total_count says 1500 more than there
// are: the listing ends at the short page, exact, with one warning.
func TestInflatedTotal(t *testing.T) {
	const warning = "The API's total_count said 3845 snapshots, but the listing ended at 2345, with a short page at offset 2000; " +
		"the 2345 snapshots returned are the whole listing."
	for _, tc := range []struct {
		concurrency int
		requests    int // with 4 at once, the empty page at 3000 is asked for with the others
	}{{1, 3}, {4, 4}} {
		t.Run(strconv.Itoa(tc.concurrency), func(t *testing.T) {
			env := startDefaultFake(t)
			env.api.Fail(fakeapi.Fault{Path: largePath, Times: -1, InflateTotal: 1500})
			out, err := listLarge(fakeClient(transport.Config{MaxConcurrency: tc.concurrency}), env)
			if err != nil {
				t.Fatal(err)
			}
			checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.LargeProjectID))
			if !slices.Equal(out.Warnings, []string{warning}) {
				t.Errorf("warnings %q, want exactly\n%q", out.Warnings, warning)
			}
			if out.Requests != tc.requests || out.Passes != 1 {
				t.Errorf("Requests %d, Passes %d; want %d, 1", out.Requests, out.Passes, tc.requests)
			}
			if got, want := offsetsRequested(t, env.api.Requests(), largePath), pageOffsets(tc.requests); !slices.Equal(got, want) {
				t.Errorf("offsets %v, want %v", got, want)
			}
		})
	}
}

// TestHugelyInflatedTotal checks a total_count of a billion more than there
// are: the listing is still exact, and costs no more than the first page, a
// pool's worth of pages and the one that a full page's return may start before
// a short page has come back.
func TestHugelyInflatedTotal(t *testing.T) {
	for _, concurrency := range []int{1, 4, 8} {
		t.Run(strconv.Itoa(concurrency), func(t *testing.T) {
			env := startDefaultFake(t)
			env.api.Fail(fakeapi.Fault{Path: largePath, Times: -1, InflateTotal: 1_000_000_000})
			out, err := listLarge(fakeClient(transport.Config{MaxConcurrency: concurrency}), env)
			if err != nil {
				t.Fatal(err)
			}
			checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.LargeProjectID))
			n := len(env.api.Requests())
			if n > 1+concurrency+1 || n < 3 || out.Requests != n {
				t.Errorf("the fake saw %d requests, Requests %d; want 3 to %d", n, out.Requests, 1+concurrency+1)
			}
			want := "The API's total_count said 1000002345 snapshots, but the listing ended at 2345, with a short page at offset 2000; " +
				"the 2345 snapshots returned are the whole listing."
			if !slices.Equal(out.Warnings, []string{want}) {
				t.Errorf("warnings %q, want exactly\n%q", out.Warnings, want)
			}
		})
	}
}

// TestRepeatedPage checks a server that answers every offset with the same
// full page: the listing would hold each snapshot twice, so the read fails and
// names the duplicate, after 3 passes of 2 pages.
func TestRepeatedPage(t *testing.T) {
	page := pageJSON(0, listing.PageLimit, int64p(2000))
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	})
	out, err := workspace.ListDesktopSnapshots(context.Background(), transport.New(transport.Config{Credentials: testCreds}), rec.URL, testProject, workspace.ListDesktopSnapshotsInput{})
	if err == nil {
		t.Fatalf("no error, %d snapshots", len(out.Snapshots))
	}
	var ue *listing.UnsettledError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v, want an *UnsettledError", err)
	}
	const reason = "snapshot_id s-0 appeared at positions 0 and 1000"
	if !slices.Equal(ue.Reasons, []string{reason, reason, reason}) {
		t.Errorf("reasons %q, want %q three times", ue.Reasons, reason)
	}
	mustContain(t, err.Error(), "(pass 1: "+reason+"; pass 2: "+reason+"; pass 3: "+reason+")")
	if rec.count() != 6 {
		t.Errorf("%d requests, want 6", rec.count())
	}
}

// sequentialServer serves s-0 … s-(n-1) by offset and limit without a
// total_count, each answer taking 10ms; it counts how many requests it served
// at once. After the request numbered insertAfter (from 1; 0 for never) it
// inserts one snapshot, "new-1", at the front.
type sequentialServer struct {
	*recorder
	mu          sync.Mutex
	items       []string
	served      int
	inFlight    int
	maxInFlight int
}

func newSequentialServer(t *testing.T, n, insertAfter int) *sequentialServer {
	s := &sequentialServer{}
	for i := range n {
		s.items = append(s.items, "s-"+strconv.Itoa(i))
	}
	s.recorder = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.inFlight++
		s.maxInFlight = max(s.maxInFlight, s.inFlight)
		s.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		s.mu.Lock()
		end := min(offset+limit, len(s.items))
		page := s.items[min(offset, end):end]
		body := `{"desktop_snapshots":[`
		for i, id := range page {
			if i > 0 {
				body += ","
			}
			body += fmt.Sprintf(`{"snapshot_id":%q}`, id)
		}
		body += `]}`
		s.served++
		if s.served == insertAfter {
			s.items = append([]string{"new-1"}, s.items...)
		}
		s.inFlight--
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	})
	return s
}

func ids(snapshots []workspace.DesktopSnapshot) []string {
	out := make([]string, len(snapshots))
	for i, s := range snapshots {
		out[i] = *s.SnapshotID
	}
	return out
}

// TestNoTotalCount checks an API that leaves total_count out: the pages are
// read one after another, whatever the concurrency, until a short one.
func TestNoTotalCount(t *testing.T) {
	s := newSequentialServer(t, 2345, 0)
	out, err := workspace.ListDesktopSnapshots(context.Background(), transport.New(transport.Config{Credentials: testCreds, MaxConcurrency: 4}), s.URL, testProject, workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshotIDs(t, out.Snapshots, 2345)
	if got, want := pagesRequested(s.recorder), []pageReq{{"0", "1000"}, {"1000", "1000"}, {"2000", "1000"}}; !slices.Equal(got, want) {
		t.Errorf("pages %v, want %v in that order", got, want)
	}
	s.mu.Lock()
	maxInFlight := s.maxInFlight
	s.mu.Unlock()
	if maxInFlight != 1 {
		t.Errorf("%d requests at once, want 1", maxInFlight)
	}
	if out.Requests != 3 || out.Passes != 1 || len(out.Warnings) != 0 {
		t.Errorf("Requests %d, Passes %d, Warnings %q; want 3, 1, none", out.Requests, out.Passes, out.Warnings)
	}
}

// TestNoTotalCountInsertWhileReading checks that, without a total_count, an
// insert between pages is still caught, by the snapshot it pushes onto the next
// page twice, and the listing read again.
func TestNoTotalCountInsertWhileReading(t *testing.T) {
	s := newSequentialServer(t, 2345, 1)
	out, err := workspace.ListDesktopSnapshots(context.Background(), transport.New(transport.Config{Credentials: testCreds}), s.URL, testProject, workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"new-1"}
	for i := range 2345 {
		want = append(want, "s-"+strconv.Itoa(i))
	}
	if got := ids(out.Snapshots); !slices.Equal(got, want) {
		t.Errorf("got %d snapshots, want new-1, s-0 … s-2344", len(got))
	}
	if out.Passes != 2 || out.Requests != 6 {
		t.Errorf("Passes %d, Requests %d; want 2, 6", out.Passes, out.Requests)
	}
}
