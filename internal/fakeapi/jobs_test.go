package fakeapi_test

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// postJSON sends body to path signed (body included) with the permanent
// credentials at at (creds_test.go's post builds it).
func (f *fake) postJSON(t *testing.T, path, body string, at time.Time) response {
	t.Helper()
	return send(t, f.post(t, path, body, permanent, at))
}

var batchPath = "/v2/" + fakeapi.ProjectID + "/snapshots/batch-"

// A batch POST is checked whole, before anything happens.
func TestBatchRequestsAreChecked(t *testing.T) {
	f := start(t)
	many := make([]string, 101)
	for i := range many {
		many[i] = sSys0420
	}
	manyJSON, _ := json.Marshal(map[string][]string{"snapshot_ids": many})
	cases := []struct {
		name, path, body string
		status           int
		code             string
		msg              []string
	}{
		{"unknown field", "create", `{"desktop_ids":["` + desktopAA + `"],"disk_type":"ALL","extra":1}`, 400, "WKS.0001", []string{`unknown field "extra"`}},
		{"bad disk type", "create", `{"desktop_ids":["` + desktopAA + `"],"disk_type":"BOTH"}`, 400, "WKS.0001", []string{"disk_type must be one of", `"BOTH"`}},
		{"no desktops", "create", `{"desktop_ids":[],"disk_type":"ALL"}`, 400, "WKS.0001", []string{"desktop_ids must hold 1 to 100 items, got 0"}},
		{"unknown desktop", "create", `{"desktop_ids":["` + desktopAA + `","nope"],"disk_type":"ALL"}`, 404, fakeapi.CodeDesktopNotFound, []string{"The desktop nope does not exist"}},
		{"101 snapshots", "delete", string(manyJSON), 400, "WKS.0001", []string{"snapshot_ids must hold 1 to 100 items, got 101"}},
		{"unknown snapshot", "restore", `{"snapshot_ids":["` + sSys0420 + `","nope"]}`, 404, fakeapi.CodeSnapshotNotFound, []string{"The snapshot nope does not exist"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.postJSON(t, batchPath+tc.path, tc.body, t0).wantError(t, tc.status, tc.code, tc.msg...)
		})
	}
	if got := idsOf(f.Snapshots(fakeapi.ProjectID)); !slices.Equal(got, sampleOrder) {
		t.Errorf("snapshots changed by refused requests: %v", got)
	}
	// A body changed after signing does not verify.
	req := f.post(t, batchPath+"delete", `{"snapshot_ids":["`+sSys0420+`"]}`, permanent, t0)
	other := `{"snapshot_ids":["` + sZeta + `"]}`
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(other)), int64(len(other))
	send(t, req).wantError(t, 401, "APIG.0301", "verify aksk signature fail")
}

type jobAnswer struct {
	Status       string `json:"status"`
	JobErrorCode string `json:"job_error_code"`
	EndTime      string `json:"end_time"`
	SubJobs      []struct {
		Status    string            `json:"status"`
		ErrorCode string            `json:"error_code"`
		Entities  map[string]string `json:"entities"`
		Process   int               `json:"process"`
	} `json:"sub_jobs"`
}

// Sub-jobs end one after another over JobDuration; the busy desktop's fails;
// the job is COMPLETE when some failed. Effects show at once and settle as
// each sub-job ends.
func TestJobsRunAndSettle(t *testing.T) {
	now := t0
	f := start(t, func(o *fakeapi.Options) {
		o.JobDuration = 30 * time.Second
		o.Now = func() time.Time { return now }
	})
	r := f.postJSON(t, batchPath+"create", `{"desktop_ids":["`+fakeapi.FreshDesktopID+`","`+fakeapi.BusyDesktopID+`","`+desktopAA+`"],"disk_type":"SYSTEM_DISK"}`, now)
	var created struct {
		JobID string `json:"job_id"`
	}
	if r.Status != 200 || json.Unmarshal(r.Body, &created) != nil || created.JobID == "" {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	statusOf := func(desktop string) string {
		for _, s := range f.Snapshots(fakeapi.ProjectID) {
			if s.DesktopID != nil && *s.DesktopID == desktop && *s.CreateType == "MANUALLY" && *s.IsSystemDisk && *s.SnapshotName != "weekly" {
				return *s.Status
			}
		}
		return ""
	}
	job := func() jobAnswer {
		t.Helper()
		r := send(t, f.signed(t, "/v2/"+fakeapi.ProjectID+"/workspace-jobs/"+created.JobID, "", permanent, now))
		var j jobAnswer
		if r.Status != 200 || json.Unmarshal(r.Body, &j) != nil {
			t.Fatalf("ShowJob: %d %s", r.Status, r.Body)
		}
		return j
	}
	subs := func(j jobAnswer) []string {
		var out []string
		for _, s := range j.SubJobs {
			out = append(out, s.Entities["desktop_name"]+":"+s.Status+":"+s.ErrorCode)
		}
		return out
	}
	if statusOf(fakeapi.FreshDesktopID) != "creating" || statusOf(fakeapi.BusyDesktopID) != "" {
		t.Errorf("at once: fresh %q, busy %q", statusOf(fakeapi.FreshDesktopID), statusOf(fakeapi.BusyDesktopID))
	}
	steps := []struct {
		at     time.Duration
		status string
		subs   []string
		fresh  string
	}{
		{0, "RUNNING", []string{"fresh-01:RUNNING:", "busy-01:RUNNING:", "AA:RUNNING:"}, "creating"},
		{10 * time.Second, "RUNNING", []string{"fresh-01:SUCCESS:", "busy-01:RUNNING:", "AA:RUNNING:"}, "create_success"},
		{20 * time.Second, "RUNNING", []string{"fresh-01:SUCCESS:", "busy-01:FAIL:" + fakeapi.BusyErrorCode, "AA:RUNNING:"}, "create_success"},
		{30 * time.Second, "COMPLETE", []string{"fresh-01:SUCCESS:", "busy-01:FAIL:" + fakeapi.BusyErrorCode, "AA:SUCCESS:"}, "create_success"},
	}
	for _, s := range steps {
		now = t0.Add(s.at)
		j := job()
		if j.Status != s.status || !slices.Equal(subs(j), s.subs) || statusOf(fakeapi.FreshDesktopID) != s.fresh {
			t.Errorf("at +%s: %s %q, fresh %q; want %s %q, %q", s.at, j.Status, subs(j), statusOf(fakeapi.FreshDesktopID), s.status, s.subs, s.fresh)
		}
		if (j.EndTime != "") != (s.status != "RUNNING") {
			t.Errorf("at +%s: end_time %q", s.at, j.EndTime)
		}
	}
	if statusOf(desktopAA) != "create_success" {
		t.Errorf("AA's snapshot: %q", statusOf(desktopAA))
	}
	// An unknown job is a 404 naming it.
	send(t, f.signed(t, "/v2/"+fakeapi.ProjectID+"/workspace-jobs/nope", "", permanent, now)).wantError(t, 404, fakeapi.CodeJobNotFound, "The job nope does not exist")
}
