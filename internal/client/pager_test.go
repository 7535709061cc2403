package client

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// pagerProject is the project of the pager tests, generated to the size each
// test needs.
const pagerProject = "9a8b7c6d5e4f40312a1b0c9d8e7f6a5b"

var pagerPath = "/v2/" + pagerProject + "/snapshots"

// startPagerFake serves n generated snapshots in pagerProject, each answer
// taking latency, as a distant gateway's would.
func startPagerFake(t *testing.T, n int, latency time.Duration) *fakeEnv {
	t.Helper()
	opts := fakeapi.DefaultOptions()
	opts.Projects = []fakeapi.Project{{ID: pagerProject, Name: "pager-region", Snapshots: fakeapi.Generate(n)}}
	opts.Latency = latency
	return startFake(t, opts)
}

// offsetsRequested is the sorted offsets of reqs, failing the test on a request
// of another path or limit.
func offsetsRequested(t *testing.T, reqs []fakeapi.Request, path string) []int {
	t.Helper()
	var out []int
	for _, r := range reqs {
		if r.Path != path || r.Query.Get("limit") != "1000" {
			t.Fatalf("request %s?%s, want %s with limit=1000", r.Path, r.RawQuery, path)
		}
		o, err := strconv.Atoi(r.Query.Get("offset"))
		if err != nil {
			t.Fatalf("request %s?%s: offset: %v", r.Path, r.RawQuery, err)
		}
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

func pageOffsets(pages int) []int {
	out := make([]int, pages)
	for i := range out {
		out[i] = i * listing.PageLimit
	}
	return out
}

// TestPagerConcurrent checks a 20-page listing: the exact snapshots in order,
// every offset asked for exactly once, and as many pages at once as allowed,
// never more.
func TestPagerConcurrent(t *testing.T) {
	for _, tc := range []struct {
		concurrency int
		check       func(t *testing.T, maxInFlight int)
	}{
		{4, func(t *testing.T, m int) {
			if m > 4 || m < 2 {
				t.Errorf("the fake served at most %d requests at once, want 2 to 4", m)
			}
		}},
		{1, func(t *testing.T, m int) {
			if m != 1 {
				t.Errorf("the fake served at most %d requests at once, want 1", m)
			}
		}},
	} {
		t.Run(strconv.Itoa(tc.concurrency), func(t *testing.T) {
			env := startPagerFake(t, 20000, 20*time.Millisecond)
			out, err := workspace.ListDesktopSnapshots(context.Background(), fakeClient(transport.Config{MaxConcurrency: tc.concurrency}), env.URL, pagerProject, workspace.ListDesktopSnapshotsInput{})
			if err != nil {
				t.Fatal(err)
			}
			checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, pagerProject))
			if got, want := offsetsRequested(t, env.api.Requests(), pagerPath), pageOffsets(20); !slices.Equal(got, want) {
				t.Errorf("offsets requested %v, want %v once each", got, want)
			}
			if out.Requests != 20 || out.Passes != 1 || len(out.Warnings) != 0 {
				t.Errorf("Requests %d, Passes %d, Warnings %q; want 20, 1, none", out.Requests, out.Passes, out.Warnings)
			}
			tc.check(t, env.api.MaxInFlight())
		})
	}
}

// TestPagerThrottled checks that a 429 eases the pressure of the whole listing:
// 8 pages at once until the gateway throttles the 4th request with Retry-After
// 1; then no request at all for that second, and after it the pool's halved
// limit, 4. The listing is exact all the same.
//
// The times are the fake's (Start, End) and the client's own: when it logged
// that it slowed down, which it does once the pause is in force. A request whose
// slot was taken before that may still arrive a little later; none may after.
func TestPagerThrottled(t *testing.T) {
	const pages = 30
	env := startPagerFake(t, pages*listing.PageLimit-500, 20*time.Millisecond)
	env.api.Fail(fakeapi.Fault{Path: pagerPath, Skip: 3, Status: 429, RetryAfter: "1", Body: apiErrorBody("APIG.0308", "The request is throttled")})
	logs := &timedLines{}
	ctx := tflogtest.RootLogger(context.Background(), logs)
	out, err := workspace.ListDesktopSnapshots(ctx, fakeClient(transport.Config{MaxConcurrency: 8, MaxRetries: 2}), env.URL, pagerProject, workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, pagerProject))
	if out.Requests != pages {
		t.Errorf("Requests %d, want %d", out.Requests, pages)
	}
	// The fake records a request when it answers; put them in order of arrival.
	reqs := env.api.Requests()
	slices.SortFunc(reqs, func(a, b fakeapi.Request) int { return a.Start.Compare(b.Start) })
	if len(reqs) != pages+1 {
		t.Fatalf("the fake saw %d requests, want %d pages and 1 retry", len(reqs), pages)
	}
	// The fault takes the 4th request to pass the signature check, which, under
	// load, need not be the 4th to arrive.
	i := slices.IndexFunc(reqs, func(r fakeapi.Request) bool { return r.Status == 429 })
	if i < 0 || i > 8 || reqs[i].Fault != fakeapi.FaultStatus {
		t.Fatalf("the 429 is request %d by arrival, want one of the first 9", i+1)
	}
	throttled := reqs[i]
	offsets := offsetsRequested(t, reqs, pagerPath)
	if want := append(pageOffsets(pages), atoi(t, throttled.Query.Get("offset"))); !slices.Equal(offsets, sorted(want)) {
		t.Errorf("offsets requested %v, want each once and the throttled one twice", offsets)
	}
	slowed := logs.times(`"@message":"Huawei Cloud API throttled the listing: fewer pages at once"`)
	if len(slowed) != 1 {
		t.Fatalf("the client slowed down %d times, want once", len(slowed))
	}
	if !slowed[0].After(throttled.End) {
		t.Fatalf("the client slowed down before the fake answered 429")
	}

	// The pause: 1s from the client's reading of the 429, which is after the
	// fake's answer, so no request from the first moments after the client
	// slowed down (the slack) to a second after the 429's answer.
	const slack = 200 * time.Millisecond
	pauseEnd := throttled.End.Add(time.Second)
	var before, after []fakeapi.Request
	for _, r := range reqs {
		switch {
		case r.Start.After(slowed[0].Add(slack)) && r.Start.Before(pauseEnd):
			t.Errorf("a request (offset %s) started %s after the 429 was read, within its 1s Retry-After",
				r.Query.Get("offset"), r.Start.Sub(slowed[0]))
		case r.Start.Before(pauseEnd):
			before = append(before, r)
		default:
			after = append(after, r)
		}
	}
	if len(after) < 5 {
		t.Fatalf("%d requests after the pause, want the retry and the rest of the pages", len(after))
	}
	// After the pause, the pool admits 4 at once (the throttled request's retry
	// among them, in its old slot), and 5 only once 4 requests admitted at 4
	// have succeeded: the first 5 to start find at most 4 in flight. On a
	// loaded machine a request sent before the pause may still be at the fake
	// when one after it arrives, and the fake's InFlight counts it: such
	// stragglers are taken off.
	for n, r := range after[:5] {
		stragglers := 0
		for _, q := range before {
			if q.Start.Before(r.Start) && (q.End.IsZero() || q.End.After(r.Start)) {
				stragglers++
			}
		}
		if r.InFlight-stragglers > 4 {
			t.Errorf("request %d after the pause (offset %s) arrived with %d in flight (%d from before the pause), want at most 4",
				n+1, r.Query.Get("offset"), r.InFlight, stragglers)
		}
	}
}

// timedLines is an io.Writer that keeps each write (a log line) and its time.
type timedLines struct {
	mu    sync.Mutex
	lines []string
	at    []time.Time
}

func (w *timedLines) Write(p []byte) (int, error) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, string(p))
	w.at = append(w.at, now)
	return len(p), nil
}

// times is when each line holding s was written.
func (w *timedLines) times(s string) []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []time.Time
	for i, l := range w.lines {
		if strings.Contains(l, s) {
			out = append(out, w.at[i])
		}
	}
	return out
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func sorted(s []int) []int {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// The throttle itself.
