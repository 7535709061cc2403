package fakeapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

var largePath = "/v2/" + fakeapi.LargeProjectID + "/snapshots"

// outcome is what a plain http client saw of one request.
type outcome struct {
	resp    *http.Response // nil when Do failed
	err     error          // from Do
	body    []byte
	readErr error // from reading the body
}

// try sends req with c and reads the whole body.
func try(c *http.Client, req *http.Request) outcome {
	resp, err := c.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(resp.Body)
	return outcome{resp: resp, body: body, readErr: readErr}
}

// freshConnections is a client that opens a new connection for every request,
// so that Go's transport never resends a request on its own (it does so only on
// connections it reused).
func freshConnections(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// waitFor polls cond until it holds, failing the test after 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// kinds lists Request.Fault of every recorded request.
func kinds(reqs []fakeapi.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Fault
	}
	return out
}

func statuses(reqs []fakeapi.Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

func TestFaultDrop(t *testing.T) {
	f := start(t)
	c := freshConnections(t)
	f.Fail(fakeapi.Fault{Path: "/v2/", Drop: true})

	// Not before the signature passed: a bad one is still refused with a 401.
	bad := f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: "bad"}, t0)
	if o := try(c, bad); o.err != nil || o.resp.StatusCode != 401 {
		t.Fatalf("bad signature during a drop fault: %+v", o)
	}

	o := try(c, f.signed(t, snapshotsPath, "", permanent, t0))
	if o.err == nil {
		t.Fatalf("dropped request: got %d %s, want an error and no response", o.resp.StatusCode, o.body)
	}
	if o.resp != nil {
		t.Errorf("dropped request: a response alongside %v", o.err)
	}
	if o := try(c, f.signed(t, snapshotsPath, "", permanent, t0)); o.err != nil || o.resp.StatusCode != 200 {
		t.Fatalf("after the drop: %+v", o)
	}
	reqs := f.Requests()
	if got := kinds(reqs); !slices.Equal(got, []string{"", "drop", ""}) {
		t.Errorf("recorded faults %q", got)
	}
	if got := statuses(reqs); !slices.Equal(got, []int{401, 0, 200}) {
		t.Errorf("recorded statuses %v (a drop has no status)", got)
	}
}

// Go's transport resends a GET by itself when a connection it reused is closed
// before the answer: the fake records the drop, the client sees only success.
// Tests that want the caller to see a drop need a new connection for it.
func TestFaultDropOnReusedConnectionIsResentByGoTransport(t *testing.T) {
	f := start(t)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: tr}
	if o := try(c, f.signed(t, snapshotsPath, "", permanent, t0)); o.err != nil || o.resp.StatusCode != 200 {
		t.Fatalf("first request: %+v", o)
	}
	f.Fail(fakeapi.Fault{Drop: true})
	if o := try(c, f.signed(t, snapshotsPath, "", permanent, t0)); o.err != nil || o.resp.StatusCode != 200 {
		t.Fatalf("dropped on a reused connection: %+v", o)
	}
	if got := kinds(f.Requests()); !slices.Equal(got, []string{"", "drop", ""}) {
		t.Errorf("recorded faults %q, want the drop and the transport's resend", got)
	}
}

func TestFaultTruncate(t *testing.T) {
	f := start(t)
	full := f.get(t, largePath, q("limit", "50"))
	if full.Status != 200 || len(full.Body) < 1000 {
		t.Fatalf("unfaulted answer: %d, %d bytes", full.Status, len(full.Body))
	}
	f.Reset()

	f.Fail(fakeapi.Fault{Path: "/v2/", Truncate: 100})
	o := try(freshConnections(t), f.signed(t, largePath, q("limit", "50"), permanent, t0))
	if o.err != nil {
		t.Fatalf("truncated answer: %v", o.err)
	}
	if o.resp.StatusCode != 200 {
		t.Errorf("status %d, want 200", o.resp.StatusCode)
	}
	if o.resp.ContentLength != int64(len(full.Body)) || o.resp.Header.Get("Content-Length") != strconv.Itoa(len(full.Body)) {
		t.Errorf("Content-Length %d (%q), want the full %d", o.resp.ContentLength, o.resp.Header.Get("Content-Length"), len(full.Body))
	}
	if !errors.Is(o.readErr, io.ErrUnexpectedEOF) {
		t.Errorf("reading the body: %v, want io.ErrUnexpectedEOF", o.readErr)
	}
	if string(o.body) != string(full.Body[:100]) {
		t.Errorf("read %d bytes %q, want the first 100 of the real answer", len(o.body), o.body)
	}
	if o.resp.Header.Get("X-Request-Id") == "" || o.resp.Header.Get("Content-Type") != "application/json;charset=UTF-8" {
		t.Errorf("headers %v", o.resp.Header)
	}
	var v any
	if json.Unmarshal(o.body, &v) == nil {
		t.Errorf("the truncated body decodes")
	}

	// On a reused connection too: the headers were sent, nothing is resent.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	reused := &http.Client{Transport: tr}
	if o := try(reused, f.signed(t, snapshotsPath, "", permanent, t0)); o.err != nil || o.readErr != nil {
		t.Fatalf("warming the connection: %+v", o)
	}
	f.Fail(fakeapi.Fault{Truncate: 10})
	o = try(reused, f.signed(t, snapshotsPath, "", permanent, t0))
	if o.err != nil || !errors.Is(o.readErr, io.ErrUnexpectedEOF) || len(o.body) != 10 {
		t.Errorf("truncated on a reused connection: %v, %v, %q", o.err, o.readErr, o.body)
	}

	reqs := f.Requests()
	if got := kinds(reqs); !slices.Equal(got, []string{"truncate", "", "truncate"}) {
		t.Errorf("recorded faults %q", got)
	}
	if got := statuses(reqs); !slices.Equal(got, []int{200, 200, 200}) {
		t.Errorf("recorded statuses %v", got)
	}
}

// hangingRequest starts a signed request of snapshotsPath that f answers with a
// Hang and waits until the fake holds it. The outcome arrives on the channel.
func hangingRequest(ctx context.Context, t *testing.T, srv *fakeapi.Server, url string) <-chan outcome {
	t.Helper()
	srv.Fail(fakeapi.Fault{Hang: true})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+snapshotsPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	signHMAC(req, permanent, t0)
	out := make(chan outcome, 1)
	c := freshConnections(t)
	go func() { out <- try(c, req) }()
	waitFor(t, "the hang to be recorded", func() bool {
		return slices.Contains(kinds(srv.Requests()), "hang")
	})
	return out
}

func TestFaultHangEndsWhenTheClientGoesAway(t *testing.T) {
	f := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := hangingRequest(ctx, t, f.Server, f.URL)

	select {
	case o := <-out:
		t.Fatalf("a hanging request ended on its own: %+v", o)
	case <-time.After(200 * time.Millisecond):
	}
	hung := f.Requests()[0]
	if hung.Fault != "hang" || hung.Status != 0 || !hung.End.IsZero() || hung.InFlight != 1 {
		t.Errorf("hanging request recorded as %+v", hung)
	}
	// It counts as in flight while it hangs.
	if r := f.get(t, snapshotsPath, ""); r.Status != 200 {
		t.Fatalf("request beside the hang: %d", r.Status)
	}
	if beside := f.Requests()[1]; beside.InFlight != 2 || beside.Fault != "" {
		t.Errorf("request beside the hang: InFlight %d, fault %q; want 2, none", beside.InFlight, beside.Fault)
	}
	if m := f.MaxInFlight(); m != 2 {
		t.Errorf("MaxInFlight = %d, want 2", m)
	}

	cancel()
	select {
	case o := <-out:
		if !errors.Is(o.err, context.Canceled) {
			t.Errorf("after cancelling: %+v, want context.Canceled", o)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the client did not end its request")
	}
	waitFor(t, "the hang to end", func() bool { return !f.Requests()[0].End.IsZero() })
	if r := f.Requests()[0]; !r.End.After(r.Start) || r.End.Sub(r.Start) < 200*time.Millisecond {
		t.Errorf("hang lasted from %v to %v", r.Start, r.End)
	}
	// Once it ended, only the next request counts.
	f.get(t, snapshotsPath, "")
	if got := f.Requests()[2].InFlight; got != 1 {
		t.Errorf("InFlight after the hang ended = %d, want 1", got)
	}
}

func TestFaultHangDoesNotBlockClose(t *testing.T) {
	opts := fakeapi.DefaultOptions()
	opts.Now = func() time.Time { return t0 }
	srv := fakeapi.NewServer(opts)
	ts := httptest.NewServer(srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := hangingRequest(ctx, t, srv, ts.URL)

	closed := make(chan struct{})
	go func() { ts.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("httptest.Server.Close blocked on a hanging request")
	}

	// Server.Close ends the hang: the client sees its connection closed.
	srv.Close()
	select {
	case o := <-out:
		if o.err == nil || errors.Is(o.err, context.Canceled) {
			t.Errorf("after Server.Close: %+v, want a connection error", o)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Server.Close did not end the hang")
	}
	waitFor(t, "the hang to end", func() bool { return !srv.Requests()[0].End.IsZero() })
}

func TestFaultHangAfterCloseEndsAtOnce(t *testing.T) {
	f := start(t)
	f.Close()
	f.Fail(fakeapi.Fault{Hang: true})
	o := try(freshConnections(t), f.signed(t, snapshotsPath, "", permanent, t0))
	if o.err == nil {
		t.Fatalf("hang after Close: %d %s, want a connection error", o.resp.StatusCode, o.body)
	}
	if r := f.get(t, snapshotsPath, ""); r.Status != 200 {
		t.Errorf("after Close the fake still answers: %d", r.Status)
	}
}

func TestFaultStatusWithRetryAfter(t *testing.T) {
	f := start(t)
	const throttled = `{"error_code":"APIG.0308","error_msg":"The request is throttled."}`
	date := "Sat, 28 Nov 2026 04:00:05 GMT"
	f.Fail(fakeapi.Fault{Status: 429, Body: throttled, ContentType: "application/json", RetryAfter: "1"})
	f.Fail(fakeapi.Fault{Status: 503, Body: "", RetryAfter: date})
	f.Fail(fakeapi.Fault{Status: 200, Body: "<html>maintenance</html>", ContentType: "text/html"})

	r := f.get(t, snapshotsPath, "")
	r.wantError(t, 429, "APIG.0308")
	if got := r.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	r = f.get(t, snapshotsPath, "")
	if r.Status != 503 || r.Header.Get("Retry-After") != date || len(r.Body) != 0 {
		t.Errorf("503: %d, Retry-After %q, body %q", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	// A 200 whose body does not decode.
	r = f.get(t, snapshotsPath, "")
	if r.Status != 200 || string(r.Body) != "<html>maintenance</html>" || r.Header.Get("Retry-After") != "" {
		t.Errorf("200 HTML: %d, Retry-After %q, body %q", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	// No Retry-After on normal answers.
	if r := f.get(t, snapshotsPath, ""); r.Status != 200 || r.Header.Get("Retry-After") != "" {
		t.Errorf("normal answer: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	reqs := f.Requests()
	if got := kinds(reqs); !slices.Equal(got, []string{"status", "status", "status", ""}) {
		t.Errorf("recorded faults %q", got)
	}
	if reqs[0].ErrorCode != "APIG.0308" {
		t.Errorf("recorded error code %q", reqs[0].ErrorCode)
	}
}

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkInserted checks that snaps look like new scheduled snapshots, newest
// first and newer than after, with IDs not in seen (then added to it).
func checkInserted(t *testing.T, snaps []fakeapi.Snapshot, after string, seen map[string]bool) {
	t.Helper()
	prev := ""
	for i, s := range snaps {
		id := *s.SnapshotID
		if !uuidShape.MatchString(id) || seen[id] {
			t.Errorf("inserted #%d: id %q not UUID-shaped or not unique", i, id)
		}
		seen[id] = true
		if *s.CreateType != "AUTO" || *s.Status != "create_success" || s.SnapshotName == nil || s.DesktopID == nil ||
			s.DesktopName == nil || s.IsSystemDisk == nil || s.Description == nil {
			t.Errorf("inserted #%d: %s", i, mustJSON(t, s))
		}
		if !regexp.MustCompile(`^AUTOCREATED_` + regexp.QuoteMeta(*s.DesktopName) + `_\d{13}$`).MatchString(*s.SnapshotName) {
			t.Errorf("inserted #%d: name %q", i, *s.SnapshotName)
		}
		ct := *s.CreateTime
		if _, err := time.Parse(time.RFC3339, ct); err != nil || ct <= after || (prev != "" && ct >= prev) {
			t.Errorf("inserted #%d: create_time %q, want after %q and before %q", i, ct, after, prev)
		}
		prev = ct
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFaultInsert(t *testing.T) {
	f := start(t)
	gen := fakeapi.Generate(fakeapi.LargeCount)
	first := f.list(t, fakeapi.LargeProjectID, q("offset", "0", "limit", "10"))
	wantIDs(t, "page 1", first.ids(t), idsOf(gen[:10]))

	// Between page 1 and page 2, three snapshots appear at the front: page 2
	// repeats the last three items of page 1.
	f.Fail(fakeapi.Fault{Path: "/v2/", Insert: 3})
	second := f.list(t, fakeapi.LargeProjectID, q("offset", "10", "limit", "10"))
	wantIDs(t, "page 2 after inserting 3", second.ids(t), idsOf(gen[7:17]))
	if second.TotalCount != fakeapi.LargeCount+3 {
		t.Errorf("total_count = %d, want %d", second.TotalCount, fakeapi.LargeCount+3)
	}
	now := f.Snapshots(fakeapi.LargeProjectID)
	seen := map[string]bool{}
	for _, id := range idsOf(gen) {
		seen[id] = true
	}
	checkInserted(t, now[:3], *gen[0].CreateTime, seen)
	wantIDs(t, "after the inserted ones", idsOf(now[3:]), idsOf(gen))

	// The faulted answer itself includes the insert.
	f.Fail(fakeapi.Fault{Insert: 2})
	p := f.list(t, fakeapi.LargeProjectID, q("limit", "2"))
	now2 := f.Snapshots(fakeapi.LargeProjectID)
	wantIDs(t, "page with the insert", p.ids(t), idsOf(now2[:2]))
	checkInserted(t, now2[:2], *now[0].CreateTime, seen)
	if p.TotalCount != fakeapi.LargeCount+5 {
		t.Errorf("total_count = %d, want %d", p.TotalCount, fakeapi.LargeCount+5)
	}
	// Newest first, also by create_time.
	byTime := f.list(t, fakeapi.LargeProjectID, q("sort_field", "create_time", "sort_type", "DESC", "limit", "5"))
	wantIDs(t, "by create_time DESC", byTime.ids(t), idsOf(now2[:5]))

	// Server.Insert, in another project: unique across the server.
	direct := f.Insert(fakeapi.ProjectID, 2)
	if len(direct) != 2 {
		t.Fatalf("Insert returned %d snapshots", len(direct))
	}
	checkInserted(t, direct, "2024-04-22T10:15:00Z", seen)
	wantIDs(t, "Sample after Insert", f.list(t, "", "").ids(t), append(idsOf(direct), sampleOrder...))
	if got := f.Insert("no-such-project", 1); got != nil {
		t.Errorf("Insert into an unknown project: %v", got)
	}
	if got := f.Insert(fakeapi.ProjectID, 0); got != nil {
		t.Errorf("Insert of 0: %v", got)
	}

	// An insert into another project does not disturb this one; it outlives Reset.
	f.Reset()
	if got := f.list(t, fakeapi.EmptyProjectID, ""); got.TotalCount != 0 {
		t.Errorf("empty project: total_count %d", got.TotalCount)
	}
	if got := f.list(t, "", ""); got.TotalCount != 9 {
		t.Errorf("Sample after Reset: total_count %d, want 9", got.TotalCount)
	}

	reqsKinds := func() []string { return kinds(f.Requests()) }
	f.Fail(fakeapi.Fault{Insert: 1})
	f.list(t, fakeapi.EmptyProjectID, "")
	if got := reqsKinds(); !slices.Equal(got, []string{"", "", "insert"}) {
		t.Errorf("recorded faults %q", got)
	}
	if got := f.Snapshots(fakeapi.EmptyProjectID); len(got) != 1 {
		t.Errorf("empty project after an insert fault: %d snapshots", len(got))
	}
}

// Inserts are the same for the same calls on new servers.
func TestInsertIsDeterministic(t *testing.T) {
	a, b := start(t), start(t)
	for _, f := range []*fake{a, b} {
		f.Insert(fakeapi.LargeProjectID, 4)
		f.Insert(fakeapi.ProjectID, 3)
	}
	for _, pid := range []string{fakeapi.LargeProjectID, fakeapi.ProjectID} {
		if x, y := mustJSON(t, a.Snapshots(pid)), mustJSON(t, b.Snapshots(pid)); x != y {
			t.Errorf("project %s differs between two servers", pid)
		}
	}
}

func TestFaultInflateTotal(t *testing.T) {
	f := start(t)
	f.Fail(fakeapi.Fault{Path: "/v2/", InflateTotal: 5})
	// Not an answer with a total_count: IAM does not match the Path, and the
	// fault is not used up.
	if r := f.get(t, "/v3/projects", ""); r.Status != 200 {
		t.Fatalf("IAM: %d", r.Status)
	}
	p := f.list(t, "", "")
	if p.TotalCount != 12 {
		t.Errorf("inflated total_count = %d, want 7+5", p.TotalCount)
	}
	wantIDs(t, "inflated page", p.ids(t), sampleOrder)
	if p := f.list(t, "", ""); p.TotalCount != 7 {
		t.Errorf("after the fault: total_count %d", p.TotalCount)
	}
	// An error answer stays as it was.
	f.Fail(fakeapi.Fault{InflateTotal: 5})
	f.get(t, snapshotsPath, q("limit", "0")).wantError(t, 400, "WKS.0001")
	if got := kinds(f.Requests()); !slices.Equal(got, []string{"", "inflate", "", "inflate"}) {
		t.Errorf("recorded faults %q", got)
	}
}

func TestFaultSkipAndTimes(t *testing.T) {
	f := start(t)
	sequence := func(n int) []int {
		var out []int
		for range n {
			out = append(out, f.get(t, snapshotsPath, "").Status)
		}
		return out
	}

	// Skip 2, then twice; an IAM request does not match and does not count.
	f.Fail(fakeapi.Fault{Path: "/v2/", Skip: 2, Times: 2, Status: 503})
	f.get(t, "/v3/projects", "")
	if got := sequence(5); !slices.Equal(got, []int{200, 200, 503, 503, 200}) {
		t.Errorf("Skip 2, Times 2: %v", got)
	}

	// Negative Times: forever, until Reset.
	f.Reset()
	f.Fail(fakeapi.Fault{Path: "/v2/", Skip: 1, Times: -1, Status: 500})
	if got := sequence(6); !slices.Equal(got, []int{200, 500, 500, 500, 500, 500}) {
		t.Errorf("Skip 1, Times -1: %v", got)
	}
	f.Reset()
	if got := sequence(1); got[0] != 200 {
		t.Errorf("after Reset: %v", got)
	}

	// Queue order: a request passes each matching fault, using up its Skip,
	// until one applies; a request an earlier fault took does not reach later ones.
	f.Fail(fakeapi.Fault{Status: 500})
	f.Fail(fakeapi.Fault{Status: 502, Skip: 1})
	if got := sequence(4); !slices.Equal(got, []int{500, 200, 502, 200}) {
		t.Errorf("queue order: %v", got)
	}
	// A skipping fault ahead in the queue counts the request a later one takes.
	f.Fail(fakeapi.Fault{Status: 502, Skip: 1})
	f.Fail(fakeapi.Fault{Status: 500})
	if got := sequence(3); !slices.Equal(got, []int{500, 502, 200}) {
		t.Errorf("skipping fault first: %v", got)
	}
}

// chaosFaults is every kind of fault, for chaos.
var chaosFaults = []fakeapi.Fault{
	{Status: 503, Body: `{"error_code":"APIG.0201","error_msg":"Backend unavailable."}`, ContentType: "application/json"},
	{Status: 502, Body: "<html><body>502 Bad Gateway</body></html>", ContentType: "text/html"},
	{Status: 429, Body: `{"error_code":"APIG.0308","error_msg":"The request is throttled."}`, ContentType: "application/json", RetryAfter: "1"},
	{Drop: true},
	{Truncate: 40},
	{Insert: 1},
	{InflateTotal: 3},
}

// chaosRun sends n sequential list requests, each on a new connection, under
// chaos with seed, checks that what the client saw matches the recorded fault,
// and returns the recorded faults.
func chaosRun(t *testing.T, seed int64, n int) []string {
	t.Helper()
	f := start(t)
	f.SetChaos(fakeapi.Chaos{Seed: seed, Rate: 0.5, Path: "/v2/", Faults: chaosFaults})
	c := freshConnections(t)
	var outcomes []outcome
	for i := range n {
		outcomes = append(outcomes, try(c, f.signed(t, snapshotsPath, q("limit", "3", "offset", strconv.Itoa(i%5)), permanent, t0)))
	}
	reqs := f.Requests()
	if len(reqs) != n {
		t.Fatalf("recorded %d requests, want %d", len(reqs), n)
	}
	for i, r := range reqs {
		o := outcomes[i]
		var ok bool
		switch r.Fault {
		case "drop":
			ok = o.err != nil && o.resp == nil
		case "truncate":
			ok = o.err == nil && o.resp.StatusCode == 200 && errors.Is(o.readErr, io.ErrUnexpectedEOF) && len(o.body) == 40
		case "status":
			ok = o.err == nil && o.readErr == nil && o.resp.StatusCode == r.Status && slices.Contains([]int{429, 502, 503}, r.Status) &&
				(o.resp.Header.Get("Retry-After") == "1") == (r.Status == 429)
		case "insert", "inflate", "":
			var p page
			ok = o.err == nil && o.readErr == nil && o.resp.StatusCode == 200 && json.Unmarshal(o.body, &p) == nil
			total := 7 + len(slices.DeleteFunc(kinds(reqs[:i+1]), func(k string) bool { return k != "insert" }))
			if r.Fault == "inflate" {
				total += 3
			}
			ok = ok && p.TotalCount == total
		}
		if !ok {
			t.Errorf("request %d got %q (status %d); the client saw %+v", i, r.Fault, r.Status, o)
		}
	}
	return kinds(reqs)
}

func TestChaosIsDeterministic(t *testing.T) {
	a := chaosRun(t, 42, 80)
	b := chaosRun(t, 42, 80)
	if !slices.Equal(a, b) {
		t.Errorf("seed 42 twice:\n%q\n%q", a, b)
	}
	counts := map[string]int{}
	for _, k := range a {
		counts[k]++
	}
	for _, k := range []string{"", "status", "drop", "truncate", "insert", "inflate"} {
		if counts[k] == 0 {
			t.Errorf("seed 42 over 80 requests never gave %q: %v", k, counts)
		}
	}
	if c := chaosRun(t, 43, 80); slices.Equal(a, c) {
		t.Errorf("seeds 42 and 43 gave the same faults")
	}
}

func TestChaosRate(t *testing.T) {
	f := start(t)
	f.SetChaos(fakeapi.Chaos{Seed: 7, Rate: 0.3, Path: "/v2/", Faults: []fakeapi.Fault{{Status: 503}, {Status: 500}}})
	const n = 1000
	for i := range n {
		f.get(t, snapshotsPath, q("limit", "1"))
		if i%100 == 0 {
			// Outside Path: never faulted.
			if r := f.get(t, "/v3/projects", ""); r.Status != 200 {
				t.Errorf("IAM under /v2/ chaos: %d", r.Status)
			}
		}
	}
	faulted, byStatus := 0, map[int]int{}
	for _, r := range f.Requests() {
		if r.Fault != "" {
			faulted++
			byStatus[r.Status]++
		}
	}
	if faulted < 250 || faulted > 350 {
		t.Errorf("%d of %d requests faulted at rate 0.3", faulted, n)
	}
	if byStatus[503] < faulted/3 || byStatus[500] < faulted/3 {
		t.Errorf("faults not drawn uniformly: %v", byStatus)
	}

	// Queued faults come first; Reset ends chaos.
	f.Reset()
	f.SetChaos(fakeapi.Chaos{Rate: 1, Faults: []fakeapi.Fault{{Status: 503}}})
	f.Fail(fakeapi.Fault{Status: 500})
	got := []int{f.get(t, snapshotsPath, "").Status, f.get(t, snapshotsPath, "").Status}
	f.Reset()
	got = append(got, f.get(t, snapshotsPath, "").Status)
	if !slices.Equal(got, []int{500, 503, 200}) {
		t.Errorf("queued, chaos, after Reset: %v", got)
	}

	// A chaos fault with a Path of its own is drawn only for its paths.
	f.SetChaos(fakeapi.Chaos{Rate: 1, Faults: []fakeapi.Fault{{Path: "/v3/", Status: 500}}})
	if s := f.get(t, snapshotsPath, "").Status; s != 200 {
		t.Errorf("/v2/ with a /v3/ chaos fault: %d", s)
	}
	if s := f.get(t, "/v3/projects", "").Status; s != 500 {
		t.Errorf("/v3/ with a /v3/ chaos fault: %d", s)
	}
	// Rate 0 turns chaos off.
	f.SetChaos(fakeapi.Chaos{Rate: 0, Faults: []fakeapi.Fault{{Status: 500}}})
	if s := f.get(t, "/v3/projects", "").Status; s != 200 {
		t.Errorf("rate 0: %d", s)
	}
}

func TestRequestTiming(t *testing.T) {
	f := start(t)
	before := time.Now()
	for i := range 3 {
		f.get(t, snapshotsPath, q("limit", fmt.Sprint(i+1)))
	}
	after := time.Now()
	prevEnd := before
	for i, r := range f.Requests() {
		if r.InFlight != 1 {
			t.Errorf("sequential request %d: InFlight %d, want 1", i, r.InFlight)
		}
		if r.Start.Before(prevEnd) || r.End.Before(r.Start) || r.End.After(after) {
			t.Errorf("request %d: Start %v End %v (previous end %v)", i, r.Start, r.End, prevEnd)
		}
		prevEnd = r.End
	}
}

func TestTotalCountSkew(t *testing.T) {
	f := start(t)
	f.SetTotalCountSkew(1500)
	for range 2 {
		p := f.list(t, "", "")
		if p.TotalCount != 7+1500 {
			t.Errorf("skewed total_count = %d, want 7+1500", p.TotalCount)
		}
		wantIDs(t, "skewed page", p.ids(t), sampleOrder)
	}
	// It combines with chaos: a chaos fault is still drawn.
	f.SetChaos(fakeapi.Chaos{Seed: 1, Rate: 1, Faults: []fakeapi.Fault{{Status: 503, ContentType: "application/json", Body: `{"error_code":"APIG.0201","error_msg":"Backend unavailable."}`}}})
	f.get(t, snapshotsPath, "").wantError(t, 503, "APIG.0201", "Backend unavailable.")
	f.Reset()
	if p := f.list(t, "", ""); p.TotalCount != 7+1500 {
		t.Errorf("after Reset: total_count %d, want the skew kept", p.TotalCount)
	}
	f.SetTotalCountSkew(0)
	if p := f.list(t, "", ""); p.TotalCount != 7 {
		t.Errorf("without skew: total_count %d", p.TotalCount)
	}
}

// TestCachedPagesFollowTheData checks that a page answered again is the same
// bytes, and that an Insert or a skew is never answered from an older page.
func TestCachedPagesFollowTheData(t *testing.T) {
	f := start(t)
	first := f.get(t, snapshotsPath, "")
	again := f.get(t, snapshotsPath, "")
	if string(first.Body) != string(again.Body) {
		t.Fatalf("the same page twice differs:\n%s\n%s", first.Body, again.Body)
	}
	added := f.Insert(fakeapi.ProjectID, 1)
	p := f.list(t, "", "")
	if p.TotalCount != 8 || p.ids(t)[0] != *added[0].SnapshotID {
		t.Errorf("after an insert: total_count %d, first %s; want 8 and the inserted %s", p.TotalCount, p.ids(t)[0], *added[0].SnapshotID)
	}
	f.SetTotalCountSkew(3)
	if p := f.list(t, "", ""); p.TotalCount != 11 {
		t.Errorf("after a skew: total_count %d, want 8+3", p.TotalCount)
	}
}
