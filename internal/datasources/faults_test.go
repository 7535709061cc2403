package datasources_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/provider"
)

// The faults of a flaky gateway, as the fake injects them.
const (
	body503 = `{"error_code":"APIG.0201","error_msg":"Backend unavailable."}`
	body429 = `{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached."}`
	html502 = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
)

// largeRead reads every snapshot of fakeapi.LargeRegion: 2345, over three pages.
func largeRead(fake *acctest.Fake, extra ...string) string {
	return fake.ProviderConfig(extra...) + dataSource(`region = "`+fakeapi.LargeRegion+`"`)
}

// largeNow is the exact check of the large project's snapshots as the fake holds
// them when the state is checked.
func largeNow(fake *acctest.Fake) statecheck.StateCheck {
	return acctest.ExpectSnapshotsAtCheck(addr, func() []fakeapi.Snapshot { return fake.Snapshots(fakeapi.LargeProjectID) })
}

// Each fault alone, on the second page request: the read retries and returns the
// exact listing, with exactly the attempts the fault costs.
func TestAccDesktopSnapshots_retriedFaults(t *testing.T) {
	cases := []struct {
		name  string
		fault fakeapi.Fault
		// attempts is the number of ListDesktopSnapshot requests: 3 pages plus
		// one per fault.
		attempts int
		opts     provider.Options
		check    func(*acctest.Fake) error
	}{
		{name: "503 twice", fault: fakeapi.Fault{Status: 503, Body: body503, Times: 2}, attempts: 5},
		{name: "502 HTML page", fault: fakeapi.Fault{Status: 502, ContentType: "text/html", Body: html502}, attempts: 4},
		{name: "500", fault: fakeapi.Fault{Status: 500, Body: `{"error_code":"WKS.0500","error_msg":"internal error"}`}, attempts: 4},
		{name: "504 empty body", fault: fakeapi.Fault{Status: 504}, attempts: 4},
		{name: "429 with Retry-After", fault: fakeapi.Fault{Status: 429, Body: body429, RetryAfter: "1"}, attempts: 4, check: retriedAfter(time.Second)},
		{name: "truncated body twice", fault: fakeapi.Fault{Truncate: 200, Times: 2}, attempts: 5},
		{name: "200 HTML maintenance page", fault: fakeapi.Fault{Status: 200, ContentType: "text/html", Body: "<html>maintenance</html>"}, attempts: 4},
		// Go's transport resends a GET itself when a reused connection closes
		// before an answer; either way the fake sees the drop and one resend.
		{name: "dropped connection", fault: fakeapi.Fault{Drop: true}, attempts: 4},
		{name: "hang, cut by the per-request timeout", fault: fakeapi.Fault{Hang: true}, attempts: 4,
			opts: withRequestTimeout(time.Second)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			tc.fault.Path, tc.fault.Skip = "/v2/", 1
			fake.Fail(tc.fault)
			opts := acctest.TestOptions
			if tc.opts != (provider.Options{}) {
				opts = tc.opts
			}
			acctest.RunWith(t, opts, []resource.TestStep{{
				Config:            largeRead(fake),
				ConfigStateChecks: []statecheck.StateCheck{largeNow(fake)},
				Check: resource.ComposeAggregateTestCheckFunc(
					fake.CheckSnapshotAttempts(tc.attempts),
					func(*terraform.State) error {
						if tc.check != nil {
							return tc.check(fake)
						}
						return nil
					},
				),
			}})
		})
	}
}

func withRequestTimeout(d time.Duration) provider.Options {
	o := acctest.TestOptions
	o.RequestTimeout = d
	return o
}

// retriedAfter checks that the request after the 429 for the same page started
// at least wait after the 429 was answered.
func retriedAfter(wait time.Duration) func(*acctest.Fake) error {
	return func(fake *acctest.Fake) error {
		reqs := fake.SnapshotRequests()
		for i, r := range reqs {
			if r.Status != 429 {
				continue
			}
			for _, next := range reqs[i+1:] {
				if next.RawQuery == r.RawQuery {
					if gap := next.Start.Sub(r.End); gap < wait-50*time.Millisecond {
						return fmt.Errorf("the retry of %s came %s after the 429, want Retry-After's %s", r.RawQuery, gap, wait)
					}
					return nil
				}
			}
			return fmt.Errorf("no retry of %s after its 429", r.RawQuery)
		}
		return fmt.Errorf("no 429 was answered")
	}
}

// max_retries bounds the attempts exactly, and the error carries the last
// answer and how many attempts were made.
func TestAccDesktopSnapshots_maxRetries(t *testing.T) {
	cases := []struct {
		name     string
		setting  []string
		attempts int
		err      []string
	}{
		{"max_retries = 2", []string{"max_retries = 2"}, 3, []string{
			"request id 00000000000000000000000000000004 (gave up after 3 attempts: max_retries is 2)"}},
		{"max_retries = 0", []string{"max_retries = 0"}, 1, []string{
			"request id 00000000000000000000000000000002 (gave up after 1 attempt: max_retries is 0)"}},
		{"default 5", nil, 6, []string{
			"request id 00000000000000000000000000000007 (gave up after 6 attempts: max_retries is 5)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			fake.Fail(fakeapi.Fault{Path: "/v2/", Status: 503, Body: body503, Times: -1})
			acctest.Run(t, []resource.TestStep{{
				Config: largeRead(fake, tc.setting...),
				ExpectError: acctest.ExpectError(append([]string{"Cannot list desktop snapshots",
					"listing desktop snapshots: offset 0: GET /v2/" + fakeapi.LargeProjectID + "/snapshots: HTTP 503",
					`error_code "APIG.0201", error_msg "Backend unavailable."`}, tc.err...)...),
			}})
			if got := len(fake.SnapshotRequests()); got != tc.attempts {
				t.Errorf("the fake saw %d attempts, want %d", got, tc.attempts)
			}
		})
	}
}

// An API that never answers: the read fails at its timeout, saying what it was
// waiting for, and lets go of the connection then.
func TestAccDesktopSnapshots_hangUntilTimeout(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	fake.Fail(fakeapi.Fault{Path: "/v2/", Hang: true, Times: -1})
	acctest.Run(t, []resource.TestStep{{
		Config: fake.ProviderConfig() + dataSource(`region = "`+fakeapi.LargeRegion+`"`, `timeouts {`, `  read = "3s"`, `}`),
		ExpectError: acctest.ExpectError("Cannot list desktop snapshots",
			"the read reached its deadline while waiting for the answer to attempt 1 of GET /v2/"+fakeapi.LargeProjectID+"/snapshots?offset=0&limit=1000",
			`The read timed out after 3s; raise it with a timeouts { read = "..." } block.`),
	}})
	reqs := fake.SnapshotRequests()
	if len(reqs) != 1 || reqs[0].Fault != fakeapi.FaultHang {
		t.Fatalf("requests %+v, want the one that hung", reqs)
	}
	// The fake records when the client let go of the hanging request.
	if held := reqs[0].End.Sub(reqs[0].Start); reqs[0].End.IsZero() || held > 5*time.Second {
		t.Errorf("the hanging request was held %s (ended %v), want about the 3s read timeout", held, reqs[0].End)
	}
}

// Every attempt hangs: the per-request timeout ends each, and the error says so.
func TestAccDesktopSnapshots_requestTimeout(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	fake.Fail(fakeapi.Fault{Path: "/v2/", Hang: true, Times: -1})
	acctest.RunWith(t, withRequestTimeout(500*time.Millisecond), []resource.TestStep{{
		Config: largeRead(fake, "max_retries = 1"),
		ExpectError: acctest.ExpectError("Cannot list desktop snapshots",
			"no answer within the per-request timeout of 500ms",
			"(gave up after 2 attempts: max_retries is 1)"),
	}})
	if got := len(fake.SnapshotRequests()); got != 2 {
		t.Errorf("the fake saw %d attempts, want 2", got)
	}
}

// Snapshots created at the front while the pages are read: the shift is
// detected (total_count moved) and the listing read again, exactly.
func TestAccDesktopSnapshots_insertsWhileListing(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	fake.Fail(fakeapi.Fault{Path: "/v2/", Skip: 1, Insert: 3})
	acctest.Run(t, []resource.TestStep{{
		Config:            largeRead(fake),
		ConfigStateChecks: []statecheck.StateCheck{largeNow(fake)},
		Check: resource.ComposeAggregateTestCheckFunc(
			func(*terraform.State) error {
				if n := len(fake.Snapshots(fakeapi.LargeProjectID)); n != fakeapi.LargeCount+3 {
					return fmt.Errorf("the fake holds %d snapshots, want %d", n, fakeapi.LargeCount+3)
				}
				return nil
			},
			// Two passes of three pages.
			fake.CheckSnapshotAttempts(6),
		),
	}})
}

// Snapshots created on every request: the listing never holds still, and the
// read fails saying so, after a bounded number of requests.
func TestAccDesktopSnapshots_neverSettles(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	fake.Fail(fakeapi.Fault{Path: "/v2/", Skip: 1, Insert: 1, Times: -1})
	acctest.Run(t, []resource.TestStep{{
		Config: largeRead(fake),
		ExpectError: acctest.ExpectError("Cannot list desktop snapshots",
			"the listing changed while it was being read, 3 times in a row (pass 1: total_count went from 2345 at offset 0 to 234",
			"; pass 3: total_count went from 23", "narrow the listing with filters"),
	}})
	if got := len(fake.SnapshotRequests()); got != 9 {
		t.Errorf("the fake saw %d requests, want 9 (3 passes of 3 pages)", got)
	}
}

// A total_count that overstates the snapshots: the listing ends at the short
// page, exact, after at most a pool's worth of extra requests.
func TestAccDesktopSnapshots_overstatedTotalCount(t *testing.T) {
	cases := []struct {
		name        string
		skew        int
		maxAttempts int
	}{
		// 3845 claimed: offsets 0 to 3000, all four asked for at once.
		{"by 1500", 1500, 4},
		// A billion claimed: the short page at offset 2000 stops the dispatch;
		// each of the default's workers may have one more page in flight.
		{"by a billion", 1_000_000_000, 1 + 2*transport.DefaultMaxConcurrency},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			fake.SetTotalCountSkew(tc.skew)
			acctest.Run(t, []resource.TestStep{{
				Config:            largeRead(fake),
				ConfigStateChecks: []statecheck.StateCheck{largeNow(fake)},
				Check: func(*terraform.State) error {
					if got := len(fake.SnapshotRequests()); got < 3 || got > tc.maxAttempts {
						return fmt.Errorf("the fake saw %d requests, want 3 to %d", got, tc.maxAttempts)
					}
					return nil
				},
			}})
		})
	}
}

// Every fault at once: a seeded chaos of 5xx (some HTML), 429s, dropped
// connections, cut-off bodies, HTML 200s and hangs on IAM and Workspace alike
// (four requests in ten), plus snapshots inserted mid-listing and an overstated
// total_count. The read still returns the exact listing. max_retries = 20 makes
// a page that fails every attempt (0.4^21) practically impossible.
func TestAccDesktopSnapshots_allFaultsAtOnce(t *testing.T) {
	// Seeds whose first draws fault several requests, so that each run shows
	// chaos however its requests interleave.
	seeds := map[int]int64{1: 2, 4: 8, 16: 12}
	for _, concurrency := range []int{1, 4, 16} {
		t.Run(fmt.Sprintf("max_concurrency = %d", concurrency), func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			fake.SetChaos(fakeapi.Chaos{Seed: seeds[concurrency], Rate: 0.4, Faults: []fakeapi.Fault{
				{Status: 503, Body: body503},
				{Status: 502, ContentType: "text/html", Body: html502},
				{Status: 500, Body: `{"error_code":"WKS.0500","error_msg":"internal error"}`},
				{Status: 504},
				{Status: 429, Body: body429, RetryAfter: "0"},
				{Drop: true},
				{Truncate: 100},
				{Status: 200, ContentType: "text/html", Body: "<html>maintenance</html>"},
				{Hang: true},
			}})
			fake.Fail(fakeapi.Fault{Path: "/v2/", Skip: 2, Insert: 2})
			fake.SetTotalCountSkew(700)
			acctest.RunWith(t, withRequestTimeout(time.Second), []resource.TestStep{{
				Config:            largeRead(fake, "max_retries = 20", fmt.Sprintf("max_concurrency = %d", concurrency)),
				ConfigStateChecks: []statecheck.StateCheck{largeNow(fake)},
				Check: func(*terraform.State) error {
					faults := map[string]int{}
					for _, r := range fake.Requests() {
						faults[r.Fault]++
					}
					if n := len(fake.Snapshots(fakeapi.LargeProjectID)); n != fakeapi.LargeCount+2 {
						return fmt.Errorf("the fake holds %d snapshots, want %d", n, fakeapi.LargeCount+2)
					}
					if faults[fakeapi.FaultInsert] != 1 || len(faults) < 3 {
						return fmt.Errorf("faults injected: %v, want the insert and some chaos", faults)
					}
					t.Logf("faults injected: %v", faults)
					return nil
				},
			}})
		})
	}
}

// With TF_LOG=TRACE, the provider logs every request and attempt, and neither
// the secret key nor the security token appears in any line Terraform or the
// provider writes.
func TestAccDesktopSnapshots_traceLogsKeepSecrets(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	// The credentials come from the environment, as in a pipeline: a
	// configuration holding them would be logged by the test harness itself.
	t.Setenv(provider.EnvRegion, fakeapi.Region)
	t.Setenv(provider.EnvAccessKey, fakeapi.TempAccessKey)
	t.Setenv(provider.EnvSecretKey, fakeapi.TempSecretKey)
	t.Setenv(provider.EnvSecurityToken, fakeapi.SecurityToken)
	fake := acctest.StartFake(t)
	fake.Fail(fakeapi.Fault{Path: "/v2/", Status: 503, Body: body503})
	acctest.Run(t, []resource.TestStep{{
		Config:            fake.EndpointsOnly() + dataSource(),
		ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
	}})
	raw, err := os.ReadFile(filepath.Join(dir, t.Name()+".log"))
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	for _, secret := range []string{fakeapi.TempSecretKey, fakeapi.SecurityToken} {
		if i := strings.Index(log, secret); i >= 0 {
			t.Errorf("the log holds a secret: …%s…", log[max(i-200, 0):min(i+100, len(log))])
		}
	}
	for _, want := range []string{
		"Huawei Cloud API request sent",
		`Authorization:***`,
		"Huawei Cloud API request: ",
		"path=/v2/" + fakeapi.ProjectID + "/snapshots",
		"query=\"offset=0&limit=1000\"",
		"status=503", "status=200", "attempt=1", "attempt=2",
		"request_id=00000000000000000000000000000002",
		"Huawei Cloud API request will be retried",
		"Listed desktop snapshots",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the TRACE log (%d bytes) has no %q", len(log), want)
		}
	}
}

// max_concurrency bounds the pages in flight, as the fake counts them: with 50 ms
// of latency, the two pages after the first overlap unless the bound is 1.
func TestAccDesktopSnapshots_maxConcurrency(t *testing.T) {
	cases := []struct {
		setting     []string
		maxInFlight int
	}{
		{[]string{"max_concurrency = 1"}, 1},
		{nil, 2}, // the default 6, but only two pages are left after the first
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.setting), func(t *testing.T) {
			t.Parallel()
			opts := fakeapi.DefaultOptions()
			opts.Latency = 50 * time.Millisecond
			fake := acctest.StartFake(t, opts)
			acctest.Run(t, []resource.TestStep{{
				Config:            largeRead(fake, tc.setting...),
				ConfigStateChecks: []statecheck.StateCheck{largeNow(fake)},
				Check: func(*terraform.State) error {
					if got := fake.MaxInFlight(); got != tc.maxInFlight {
						return fmt.Errorf("the fake had at most %d requests in flight, want %d", got, tc.maxInFlight)
					}
					return nil
				},
			}})
		})
	}
}
