package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// Helpers for the tests that run the client against the fake Workspace API
// (internal/fakeapi), which verifies signatures with code of its own and
// fails on demand the way a flaky gateway does.

var (
	fakePermanent = sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}
	fakeTemporary = sign.Credentials{AccessKey: fakeapi.TempAccessKey, SecretKey: fakeapi.TempSecretKey, SecurityToken: fakeapi.SecurityToken}
)

// samplePath is the ListDesktopSnapshot path of the fake's curated project, whose
// 7 snapshots fit in one page.
var samplePath = "/v2/" + fakeapi.ProjectID + "/snapshots"

// firstPageQuery is the query of a listing's first page.
const firstPageQuery = "offset=0&limit=1000"

// fakeEnv is a fake API served over real HTTP.
type fakeEnv struct {
	api *fakeapi.Server
	URL string
}

// startFake serves a fake with opts until the test ends. Close ends the hangs
// first, so that closing the HTTP server does not wait for them.
func startFake(t *testing.T, opts fakeapi.Options) *fakeEnv {
	t.Helper()
	api := fakeapi.NewServer(opts)
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		api.Close()
		srv.Close()
	})
	return &fakeEnv{api: api, URL: srv.URL}
}

// startDefaultFake serves fakeapi.DefaultOptions().
func startDefaultFake(t *testing.T) *fakeEnv {
	t.Helper()
	return startFake(t, fakeapi.DefaultOptions())
}

// fakeClient is a Client for the fake: its permanent credentials unless cfg has
// some, and retry waits of a few milliseconds unless cfg sets them, so that the
// tests that are not about the waits stay fast.
func fakeClient(cfg transport.Config) *transport.Client {
	if cfg.Credentials == (sign.Credentials{}) {
		cfg.Credentials = fakePermanent
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = time.Millisecond
	}
	if cfg.RetryMaxDelay == 0 {
		cfg.RetryMaxDelay = 5 * time.Millisecond
	}
	return transport.New(cfg)
}

// wantSnapshots is what the client should return for the fake's project: the
// fake's own snapshots, as the fake writes them in JSON and decoded into the
// client's type (a fake "process": null is a nil Process).
func wantSnapshots(t *testing.T, api *fakeapi.Server, projectID string) []workspace.DesktopSnapshot {
	t.Helper()
	b, err := json.Marshal(map[string]any{"desktop_snapshots": api.Snapshots(projectID)})
	if err != nil {
		t.Fatal(err)
	}
	page, err := workspace.DesktopSnapshots.DecodePage(b) // the same as encoding/json: listing.TestDecodePageMatchesJSON
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// checkSnapshots fails the test unless got is want exactly, in order.
func checkSnapshots(t *testing.T, got, want []workspace.DesktopSnapshot) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d snapshots, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("snapshot %d differs:\n got %s\nwant %s", i, dump(got[i:i+1]), dump(want[i:i+1]))
		}
	}
}

// checkUniqueIDs fails the test if a snapshot_id appears twice or is missing.
func checkUniqueIDs(t *testing.T, got []workspace.DesktopSnapshot) {
	t.Helper()
	seen := map[string]int{}
	for i, s := range got {
		if s.SnapshotID == nil {
			t.Fatalf("snapshot %d has no snapshot_id", i)
		}
		if j, ok := seen[*s.SnapshotID]; ok {
			t.Fatalf("snapshot_id %s at %d and %d", *s.SnapshotID, j, i)
		}
		seen[*s.SnapshotID] = i
	}
}

// faultKinds lists the Fault kind of each recorded request ("" for none).
func faultKinds(reqs []fakeapi.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Fault
	}
	return out
}

// waitForRequests waits until the fake has recorded n requests and returns them.
func waitForRequests(t *testing.T, api *fakeapi.Server, n int) []fakeapi.Request {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		reqs := api.Requests()
		if len(reqs) >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fake recorded %d requests after 10s, want %d", len(reqs), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// goroutineBaseline is the number of goroutines once those of earlier tests have
// wound down (it waits briefly for the count to stop falling).
func goroutineBaseline() int {
	n := runtime.NumGoroutine()
	for range 20 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n {
			return min(m, n)
		}
		n = m
	}
	return n
}

// checkNoGoroutineLeft fails the test unless the goroutine count comes back to
// baseline within a few seconds. The client's idle keep-alive connections are
// closed first: they are the transport's pool, meant to outlive a call; anything
// else the call started (an attempt, a backoff timer, a page worker, the fake's
// goroutine holding a hung request) must be gone without help.
func checkNoGoroutineLeft(t *testing.T, c *transport.Client, baseline int) {
	t.Helper()
	c.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= baseline {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines 5s after the call, %d before it:\n%s", n, baseline, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// apiErrorBody is the API's error shape.
func apiErrorBody(code, msg string) string {
	return fmt.Sprintf(`{"error_code":%q,"error_msg":%q}`, code, msg)
}

// list reads the curated project of the fake.
func list(ctx context.Context, c *transport.Client, env *fakeEnv) (*workspace.ListDesktopSnapshotsOutput, error) {
	return workspace.ListDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, workspace.ListDesktopSnapshotsInput{})
}

// mustContain fails the test unless s contains each of subs.
func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q\ndoes not contain\n%q", s, sub)
		}
	}
}
