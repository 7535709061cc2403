package client

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

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
		out[i] = i * PageLimit
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
			out, err := fakeClient(Config{MaxConcurrency: tc.concurrency}).ListDesktopSnapshots(context.Background(), env.URL, pagerProject, ListDesktopSnapshotsInput{})
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
	env := startPagerFake(t, pages*PageLimit-500, 20*time.Millisecond)
	env.api.Fail(fakeapi.Fault{Path: pagerPath, Skip: 3, Status: 429, RetryAfter: "1", Body: apiErrorBody("APIG.0308", "The request is throttled")})
	logs := &timedLines{}
	ctx := tflogtest.RootLogger(context.Background(), logs)
	out, err := fakeClient(Config{MaxConcurrency: 8, MaxRetries: 2}).ListDesktopSnapshots(ctx, env.URL, pagerProject, ListDesktopSnapshotsInput{})
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

func TestThrottleHalvesDownToOne(t *testing.T) {
	th := newThrottle(8)
	ctx := context.Background()
	for _, want := range []int{4, 2, 1, 1, 1} {
		th.slowDown(ctx, 0)
		if got := th.current(); got != want {
			t.Fatalf("limit %d after a 429, want %d", got, want)
		}
	}
	one := newThrottle(1)
	one.slowDown(ctx, 0)
	if got := one.current(); got != 1 {
		t.Errorf("a pool of 1: limit %d after a 429, want 1", got)
	}
	odd := newThrottle(7)
	odd.slowDown(ctx, 0)
	if got := odd.current(); got != 3 {
		t.Errorf("a pool of 7: limit %d after a 429, want 3", got)
	}
}

// TestThrottleAdditiveIncrease checks that the limit grows back by one slot
// each time limit successes have come in a row, up to the maximum and no
// further, and that a failure does not count.
func TestThrottleAdditiveIncrease(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(8)
	for range 3 {
		th.slowDown(ctx, 0) // 8 → 4 → 2 → 1
	}
	success := func() {
		t.Helper()
		epoch, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		th.release(epoch, true)
	}
	// From 1: 1 success → 2, 2 more → 3, 3 → 4, ..., 7 → 8.
	for limit := 1; limit < 8; limit++ {
		for i := range limit {
			if got := th.current(); got != limit {
				t.Fatalf("limit %d after %d successes at limit %d, want %d", got, i, limit, limit)
			}
			success()
		}
		if got := th.current(); got != limit+1 {
			t.Fatalf("limit %d after %d successes at limit %d, want %d", got, limit, limit, limit+1)
		}
	}
	for range 100 {
		success()
	}
	if got := th.current(); got != 8 {
		t.Errorf("limit %d after many successes, want the maximum 8", got)
	}

	// A failure does not count as a success.
	th.slowDown(ctx, 0) // 4
	for range 3 {
		success()
	}
	epoch, err := th.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	th.release(epoch, false)
	if got := th.current(); got != 4 {
		t.Errorf("limit %d after 3 successes and a failure at 4, want 4", got)
	}
	success()
	if got := th.current(); got != 5 {
		t.Errorf("limit %d after the 4th success at 4, want 5", got)
	}
}

// TestThrottleOldSlotsEarnNothing checks that the successes of requests
// admitted before a 429 do not earn slots back: they were sent at the old rate.
// Only requests admitted after it count.
func TestThrottleOldSlotsEarnNothing(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(8)
	var old []uint64
	for range 8 {
		epoch, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		old = append(old, epoch)
	}
	th.slowDown(ctx, 0) // the 1st of the 8 got a 429: 4
	for _, epoch := range old[1:] {
		th.release(epoch, true)
	}
	if got := th.current(); got != 4 {
		t.Fatalf("limit %d after 7 requests admitted before the 429 succeeded, want 4", got)
	}
	// Its retry holds the old slot, and succeeds: no credit either.
	th.release(old[0], true)
	if got := th.current(); got != 4 {
		t.Fatalf("limit %d after the retry of the throttled request succeeded, want 4", got)
	}
	for range 4 {
		epoch, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		th.release(epoch, true)
	}
	if got := th.current(); got != 5 {
		t.Errorf("limit %d after 4 requests admitted at 4 succeeded, want 5", got)
	}
}

// TestThrottleAcquireBlocksAtLimit checks that a pool at its limit admits no
// one until a slot is released.
func TestThrottleAcquireBlocksAtLimit(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(2)
	var epoch uint64
	for range 2 {
		var err error
		if epoch, err = th.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := make(chan error, 1)
	go func() {
		_, err := th.acquire(ctx)
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("acquire returned %v with both slots taken", err)
	case <-time.After(100 * time.Millisecond):
	}
	th.release(epoch, true)
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("acquire still blocked 5s after a slot was released")
	}
}

// TestThrottleAcquireBlocksDuringPause checks that no slot is given during a
// 429's pause, even with slots free, and that it is given when the pause ends.
func TestThrottleAcquireBlocksDuringPause(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(4)
	start := time.Now()
	th.slowDown(ctx, 300*time.Millisecond)
	if _, err := th.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 290*time.Millisecond || waited > 5*time.Second {
		t.Errorf("acquire returned %s into a 300ms pause", waited)
	}
	// waitPause, which a retry goes through, waits for the pause as well.
	start = time.Now()
	th.slowDown(ctx, 200*time.Millisecond)
	if err := th.waitPause(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 190*time.Millisecond || waited > 5*time.Second {
		t.Errorf("waitPause returned %s into a 200ms pause", waited)
	}
	// A shorter pause does not cut a longer one short.
	start = time.Now()
	th.slowDown(ctx, 300*time.Millisecond)
	th.slowDown(ctx, time.Millisecond)
	if err := th.waitPause(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 290*time.Millisecond {
		t.Errorf("waitPause returned %s into a 300ms pause followed by a 1ms one", waited)
	}
}

// TestThrottleAcquireCancelled checks that a waiter leaves when its context
// ends, at the limit and during a pause, and that it took no slot.
func TestThrottleAcquireCancelled(t *testing.T) {
	t.Run("at the limit", func(t *testing.T) {
		th := newThrottle(1)
		epoch, err := th.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan error, 1)
		go func() {
			_, err := th.acquire(ctx)
			got <- err
		}()
		time.Sleep(50 * time.Millisecond)
		cancel()
		select {
		case err := <-got:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("acquire returned %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("acquire still blocked 5s after cancel()")
		}
		th.release(epoch, true)
		// The cancelled waiter took nothing: the one slot is free.
		short, cancelShort := context.WithTimeout(context.Background(), time.Second)
		defer cancelShort()
		if _, err := th.acquire(short); err != nil {
			t.Errorf("acquire after the release: %v", err)
		}
	})
	t.Run("during a pause", func(t *testing.T) {
		th := newThrottle(4)
		th.slowDown(context.Background(), time.Hour)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := th.acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("acquire returned %v, want context.DeadlineExceeded", err)
		}
		if err := th.waitPause(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("waitPause returned %v, want context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited > 5*time.Second {
			t.Errorf("returned after %s", waited)
		}
	})
}

// TestThrottleBurstIsOneSignal checks that 429s to requests that were all sent
// before the pool slowed down halve it once, not once each, while a 429 to a
// request sent after the decrease halves it again; every 429 extends the pause.
func TestThrottleBurstIsOneSignal(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(8)
	var epochs []uint64
	for range 8 {
		e, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		epochs = append(epochs, e)
	}
	for i, e := range epochs[:5] {
		th.slowDownFrom(ctx, e, time.Duration(i+1)*10*time.Millisecond)
	}
	if got := th.current(); got != 4 {
		t.Fatalf("limit %d after a burst of five 429s from one epoch, want 4", got)
	}
	th.mu.Lock()
	pause := time.Until(th.pauseUntil)
	th.mu.Unlock()
	if pause < 30*time.Millisecond {
		t.Errorf("pause %s left, want the longest wait of the burst (50ms)", pause)
	}
	th.slowDownFrom(ctx, th.currentEpoch(), 0)
	if got := th.current(); got != 2 {
		t.Errorf("limit %d after a 429 to a request sent at the new rate, want 2", got)
	}
}
