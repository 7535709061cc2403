package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds/credstest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// sleeper is a waiter's Sleep on the tests' fakeClock: a sleep moves the
// clock on, and is recorded.
type sleeper struct {
	*credstest.FakeClock
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
	s.Advance(d)
	return nil
}

func jobFake(t *testing.T, d time.Duration, now func() time.Time) *fakeEnv {
	t.Helper()
	o := fakeapi.DefaultOptions()
	o.JobDuration = d
	o.Now = now
	return startFake(t, o)
}

func posts(api *fakeapi.Server) []fakeapi.Request {
	var out []fakeapi.Request
	for _, r := range api.Requests() {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

// A batch-create is a signed POST whose body the fake verified; the waiter
// polls after 1 s, doubling to 10 s, until the job ends, and the snapshot it
// made settles then.
func TestCreateAndWaitJob(t *testing.T) {
	clock := &sleeper{FakeClock: credstest.NewFakeClock(time.Now())}
	env := jobFake(t, 30*time.Second, clock.Now)
	c := fakeClient(transport.Config{})
	ctx := context.Background()
	in := workspace.NewCreateDesktopSnapshotsInput([]string{fakeapi.FreshDesktopID}, workspace.DiskTypeSystem, "before-upgrade", "pre-change")
	jobID, err := workspace.CreateDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, in)
	if err != nil {
		t.Fatal(err)
	}
	p := posts(env.api)
	if len(p) != 1 || p[0].Status != 200 || p[0].Path != "/v2/"+fakeapi.ProjectID+"/snapshots/batch-create" {
		t.Fatalf("POSTs: %+v", p)
	}
	const wantBody = `{"desktop_ids":["` + fakeapi.FreshDesktopID + `"],"disk_type":"SYSTEM_DISK","system_disk_snapshot":{"name":"before-upgrade","description":"pre-change"}}`
	if string(p[0].Body) != wantBody {
		t.Errorf("body %s\nwant %s", p[0].Body, wantBody)
	}
	if !strings.Contains(p[0].Header.Get("Authorization"), "SDK-HMAC-SHA256") || p[0].Header.Get("Content-Type") != "application/json;charset=UTF-8" {
		t.Errorf("headers %v", p[0].Header)
	}
	// The effect shows at once.
	snaps := env.api.Snapshots(fakeapi.ProjectID)
	if *snaps[0].Status != "creating" || *snaps[0].DesktopID != fakeapi.FreshDesktopID {
		t.Fatalf("first snapshot after the POST: %+v", snaps[0])
	}
	var seen []string
	job, err := workspace.WaitJob(ctx, c, env.URL, fakeapi.ProjectID, jobID, workspace.WaitOptions{Sleep: clock.Sleep, Progress: func(j *workspace.Job) { seen = append(seen, j.Status) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	if !slices.Equal(clock.sleeps, want) {
		t.Errorf("waits %v, want %v", clock.sleeps, want)
	}
	if !slices.Equal(seen, []string{"RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "SUCCESS"}) {
		t.Errorf("statuses %v", seen)
	}
	if job.Err() != nil || len(job.SubJobs) != 1 || job.SubJobs[0].Entities.DesktopName != fakeapi.FreshDesktopName {
		t.Errorf("job %+v err %v", job, job.Err())
	}
	begin, err := workspace.ParseAPITime(job.BeginTime)
	if err != nil {
		t.Fatal(err)
	}
	out, err := workspace.ListDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, workspace.ListDesktopSnapshotsInput{DesktopID: fakeapi.FreshDesktopID})
	if err != nil {
		t.Fatal(err)
	}
	got := workspace.FindCreatedSnapshot(out.Snapshots, fakeapi.FreshDesktopID, workspace.DiskTypeSystem, "before-upgrade", begin)
	if got == nil || *got.Status != "create_success" || !strings.HasPrefix(*got.SnapshotName, "before-upgrade_fresh-01_") || *got.Description != "pre-change" {
		t.Fatalf("found %+v in %+v", got, out.Snapshots)
	}
	// Not another name, not the other disk, not before the job.
	for _, miss := range []struct{ disk, name string }{{workspace.DiskTypeData, "before-upgrade"}, {workspace.DiskTypeSystem, "other"}} {
		if s := workspace.FindCreatedSnapshot(out.Snapshots, fakeapi.FreshDesktopID, miss.disk, miss.name, begin); s != nil {
			t.Errorf("%v matched %s", miss, *s.SnapshotID)
		}
	}
	if s := workspace.FindCreatedSnapshot(out.Snapshots, fakeapi.FreshDesktopID, workspace.DiskTypeSystem, "", begin.Add(2*time.Minute)); s != nil {
		t.Errorf("a snapshot from before the job matched: %s", *s.SnapshotID)
	}
}

// A failed sub-job fails the job, naming the desktop, its error_code and
// fail_reason.
func TestJobFailureNamesDesktop(t *testing.T) {
	env := jobFake(t, 0, nil)
	c := fakeClient(transport.Config{})
	ctx := context.Background()
	in := workspace.NewCreateDesktopSnapshotsInput([]string{fakeapi.FreshDesktopID, fakeapi.BusyDesktopID}, workspace.DiskTypeAll, "", "")
	jobID, err := workspace.CreateDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, in)
	if err != nil {
		t.Fatal(err)
	}
	job, err := workspace.WaitJob(ctx, c, env.URL, fakeapi.ProjectID, jobID, workspace.WaitOptions{FirstPoll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var fe *workspace.JobFailedError
	if err := job.Err(); !errors.As(err, &fe) || job.Status != workspace.JobComplete || len(fe.Failed) != 1 {
		t.Fatalf("job %s: %v", job.Status, err)
	}
	want := `ended COMPLETE; 1 of 2 failed:
  - desktop "busy-01" (` + fakeapi.BusyDesktopID + `): status FAIL, error_code "` + fakeapi.BusyErrorCode + `", fail_reason "` + fakeapi.BusyFailReason + `"`
	if !strings.Contains(job.Err().Error(), want) {
		t.Errorf("error %q\nwant %q", job.Err(), want)
	}
}

// A batch POST is not retried when the API may have processed it (a 5xx), and
// is retried when it surely was not (a 429).
func TestPostRetries(t *testing.T) {
	ctx := context.Background()
	path := "/v2/" + fakeapi.ProjectID + "/snapshots/batch-delete"
	t.Run("500 after processing: sent once, reported as maybe processed", func(t *testing.T) {
		env := jobFake(t, 0, nil)
		env.api.Fail(fakeapi.Fault{Path: path, Status: 500, Processed: true, Body: `{"error_code":"WKS.0500","error_msg":"internal"}`})
		c := fakeClient(transport.Config{MaxRetries: 3})
		_, err := workspace.DeleteDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, []string{"d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f6a"})
		var apiErr *transport.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || !transport.MaybeProcessed(err) {
			t.Fatalf("err %v", err)
		}
		var re *transport.RequestError
		if errors.As(err, &re) {
			t.Errorf("reported as retried: %v", err)
		}
		if n := len(posts(env.api)); n != 1 {
			t.Errorf("%d POSTs, want 1", n)
		}
	})
	t.Run("429: retried, one job", func(t *testing.T) {
		env := jobFake(t, 0, nil)
		env.api.Fail(fakeapi.Fault{Path: path, Status: 429, Body: `{"error_code":"APIG.0308","error_msg":"throttled"}`})
		c := fakeClient(transport.Config{MaxRetries: 3})
		jobID, err := workspace.DeleteDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, []string{"d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f6a"})
		if err != nil || jobID == "" {
			t.Fatal(err)
		}
		p := posts(env.api)
		if len(p) != 2 || p[0].Status != 429 || p[1].Status != 200 || string(p[1].Body) != `{"snapshot_ids":["d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f6a"]}` {
			t.Errorf("POSTs %+v", p)
		}
		if p[0].Header.Get("X-Sdk-Date") == "" || p[1].Header.Get("Authorization") == "" {
			t.Error("retry not signed")
		}
	})
	t.Run("400 past 100 IDs, 404 naming the snapshot", func(t *testing.T) {
		env := jobFake(t, 0, nil)
		c := fakeClient(transport.Config{})
		ids := make([]string, 101)
		for i := range ids {
			ids[i] = "x"
		}
		_, err := workspace.RestoreDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, ids)
		if err == nil || !strings.Contains(err.Error(), `HTTP 400, error_code "WKS.0001", error_msg "Invalid parameter: snapshot_ids must hold 1 to 100 items, got 101", request id`) {
			t.Errorf("err %v", err)
		}
		_, err = workspace.RestoreDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, []string{"no-such-snapshot"})
		if err == nil || !strings.Contains(err.Error(), `HTTP 404, error_code "WKS.0153", error_msg "The snapshot no-such-snapshot does not exist", request id`) {
			t.Errorf("err %v", err)
		}
	})
}

// workspace.ShowJob's transient failures are retried as reads are; a cancelled wait says
// the job may still run.
func TestWaitJobRetriesAndCancels(t *testing.T) {
	env := jobFake(t, time.Hour, nil)
	c := fakeClient(transport.Config{MaxRetries: 2})
	ctx := context.Background()
	jobID, err := workspace.RestoreDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, []string{"eed156d9-02a5-46f5-8eb1-54f09ab9fbae"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range env.api.Snapshots(fakeapi.ProjectID) {
		if *s.SnapshotID == "eed156d9-02a5-46f5-8eb1-54f09ab9fbae" && (*s.Status != "restoring" || *s.Process != 0) {
			t.Errorf("a restore shows at once: %s, process %v", *s.Status, s.Process)
		}
	}
	env.api.Fail(fakeapi.Fault{Path: "/v2/" + fakeapi.ProjectID + "/workspace-jobs/", Status: 503})
	ctx, cancel := context.WithCancel(ctx)
	polls := 0
	_, err = workspace.WaitJob(ctx, c, env.URL, fakeapi.ProjectID, jobID, workspace.WaitOptions{FirstPoll: time.Millisecond, Progress: func(*workspace.Job) {
		polls++
		if polls == 2 {
			cancel()
		}
	}})
	var we *workspace.JobWaitError
	if !errors.As(err, &we) || !errors.Is(err, context.Canceled) || we.Last == nil || we.Last.Status != "RUNNING" ||
		!strings.Contains(err.Error(), "was cancelled") || !strings.Contains(err.Error(), "may still be running") {
		t.Fatalf("err %v", err)
	}
	var statuses []int
	for _, r := range env.api.Requests() {
		if strings.Contains(r.Path, "workspace-jobs") {
			statuses = append(statuses, r.Status)
		}
	}
	if !slices.Equal(statuses, []int{503, 200, 200}) {
		t.Errorf("workspace.ShowJob answers %v", statuses)
	}
}

// workspace.RunBatches sends 100 at most per POST and waits for every job, reporting
// progress up to the whole.
func TestRunBatches(t *testing.T) {
	env := jobFake(t, 200*time.Millisecond, nil)
	c := fakeClient(transport.Config{})
	ctx := context.Background()
	var ids []string
	for _, s := range env.api.Snapshots(fakeapi.LargeProjectID)[:150] {
		ids = append(ids, *s.SnapshotID)
	}
	var mu sync.Mutex
	var progress []int
	batches, err := workspace.RunBatches(ctx, c, env.URL, fakeapi.LargeProjectID, ids, func(ctx context.Context, b []string) (string, error) {
		return workspace.DeleteDesktopSnapshots(ctx, c, env.URL, fakeapi.LargeProjectID, b)
	}, workspace.WaitOptions{FirstPoll: 50 * time.Millisecond, MaxPoll: 50 * time.Millisecond}, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 150 {
			t.Errorf("total %d", total)
		}
		progress = append(progress, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 2 || len(batches[0].Items) != 100 || len(batches[1].Items) != 50 {
		t.Fatalf("batches %d", len(batches))
	}
	var sizes []int
	for _, r := range posts(env.api) {
		var b struct {
			SnapshotIDs []string `json:"snapshot_ids"`
		}
		if err := json.Unmarshal(r.Body, &b); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(b.SnapshotIDs))
	}
	if !slices.Equal(sizes, []int{100, 50}) {
		t.Errorf("POST sizes %v", sizes)
	}
	if len(progress) < 2 || progress[len(progress)-1] != 150 || !slices.IsSorted(progress) {
		t.Errorf("progress %v", progress)
	}
	if n := len(env.api.Snapshots(fakeapi.LargeProjectID)); n != fakeapi.LargeCount-150 {
		t.Errorf("%d snapshots left, want %d", n, fakeapi.LargeCount-150)
	}
}

// A POST's body is signed in every algorithm, and the fake (which hashes the
// body itself) accepts it; a changed body would not verify.
func TestPostSignedInEveryAlgorithm(t *testing.T) {
	env := jobFake(t, 0, nil)
	ctx := context.Background()
	for _, alg := range sign.Algorithms() {
		c := fakeClient(transport.Config{SigningAlgorithm: alg})
		if _, err := workspace.RestoreDesktopSnapshots(ctx, c, env.URL, fakeapi.ProjectID, []string{"eed156d9-02a5-46f5-8eb1-54f09ab9fbae"}); err != nil {
			t.Errorf("%s: %v", alg, err)
		}
	}
	for _, r := range posts(env.api) {
		if r.Status != 200 || !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=") {
			t.Errorf("%s %s: %d", r.SigningAlgorithm, r.Path, r.Status)
		}
	}
	if n := len(posts(env.api)); n != len(sign.Algorithms()) {
		t.Errorf("%d POSTs, want %d", n, len(sign.Algorithms()))
	}
}

// The created snapshot is the newest match since the job began, less a
// minute's slack: not older, not another desktop, disk, create type or name.
func TestFindCreatedSnapshot(t *testing.T) {
	begin := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	snap := func(id, desktop string, system bool, createType, name string, created time.Time) workspace.DesktopSnapshot {
		return workspace.DesktopSnapshot{SnapshotID: &id, DesktopID: &desktop, IsSystemDisk: &system, CreateType: &createType,
			SnapshotName: &name, CreateTime: ptr(created.Format(time.RFC3339))}
	}
	snaps := []workspace.DesktopSnapshot{
		snap("too-old", "d1", true, "MANUALLY", "pre_d1_1", begin.Add(-61*time.Second)),
		snap("slack", "d1", true, "MANUALLY", "pre_d1_2", begin.Add(-60*time.Second)),
		snap("other-desktop", "d2", true, "MANUALLY", "pre_d2_3", begin.Add(5*time.Second)),
		snap("data-disk", "d1", false, "MANUALLY", "pre_d1_4", begin.Add(5*time.Second)),
		snap("auto", "d1", true, "AUTO", "pre_d1_5", begin.Add(6*time.Second)),
		snap("other-name", "d1", true, "MANUALLY", "post_d1_6", begin.Add(7*time.Second)),
	}
	for _, tc := range []struct{ disk, name, want string }{
		{workspace.DiskTypeSystem, "pre", "slack"},
		{workspace.DiskTypeData, "pre", "data-disk"},
		{workspace.DiskTypeSystem, "", "other-name"},
		{workspace.DiskTypeSystem, "none", ""},
	} {
		gotID := ""
		if got := workspace.FindCreatedSnapshot(snaps, "d1", tc.disk, tc.name, begin); got != nil {
			gotID = *got.SnapshotID
		}
		if gotID != tc.want {
			t.Errorf("disk %s, name %q: got %q, want %q", tc.disk, tc.name, gotID, tc.want)
		}
	}
}

func ptr(s string) *string { return &s }
