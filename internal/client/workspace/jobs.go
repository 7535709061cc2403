package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// Workspace jobs: the batch POSTs answer with a job_id at once and do their work
// in a job, which ShowJob reports on. This file is the one waiter every caller
// uses (the snapshot resource and the three actions).

// Job is ShowJob's answer. Absent fields are "" (or nil).
type Job struct {
	ID           string   `json:"id"`
	JobType      string   `json:"job_type"`
	BeginTime    string   `json:"begin_time"`
	EndTime      string   `json:"end_time"`
	Status       string   `json:"status"`
	JobErrorCode string   `json:"job_error_code"`
	FailReason   string   `json:"fail_reason"`
	SubJobsTotal *int     `json:"sub_jobs_total"`
	SubJobs      []SubJob `json:"sub_jobs"`
}

// SubJob is one JobDetailInfo of a Job: the part of it that acts on one
// desktop.
type SubJob struct {
	ID         string      `json:"id"`
	JobType    string      `json:"job_type"`
	Entities   JobEntities `json:"entities"`
	BeginTime  string      `json:"begin_time"`
	EndTime    string      `json:"end_time"`
	Status     string      `json:"status"`
	ErrorCode  string      `json:"error_code"`
	FailReason string      `json:"fail_reason"`
	Process    *int        `json:"process"`
	Entity     string      `json:"entity"`
}

// JobEntities names what a sub-job acts on.
type JobEntities struct {
	DesktopID   string `json:"desktop_id"`
	DesktopName string `json:"desktop_name"`
	ProductID   string `json:"product_id"`
	UserName    string `json:"user_name"`
	IPAddress   string `json:"ip_address"`
}

// Job statuses. A job is over at JobSuccess, JobComplete or JobFail, as the
// official provider waits; a sub-job succeeded only at JobSuccess.
const (
	JobSuccess  = "SUCCESS"
	JobComplete = "COMPLETE"
	JobFail     = "FAIL"
)

// Done says whether the job is over.
func (j *Job) Done() bool {
	return j.Status == JobSuccess || j.Status == JobComplete || j.Status == JobFail
}

// SubJobsDone counts the sub-jobs that are over, successful or not.
func (j *Job) SubJobsDone() int {
	n := 0
	for _, s := range j.SubJobs {
		if s.Status == JobSuccess || s.Status == JobFail || s.Status == JobComplete {
			n++
		}
	}
	return n
}

// Failed is the sub-jobs of a finished job that did not succeed.
func (j *Job) Failed() []SubJob {
	var out []SubJob
	for _, s := range j.SubJobs {
		if s.Status != JobSuccess {
			out = append(out, s)
		}
	}
	return out
}

// Err is nil when the finished job and every sub-job succeeded, else a
// *JobFailedError naming each failure.
func (j *Job) Err() error {
	failed := j.Failed()
	if len(failed) == 0 && j.Status != JobFail {
		return nil
	}
	return &JobFailedError{Job: j, Failed: failed}
}

// JobFailedError is a finished job with failures: each failed sub-job's desktop,
// error_code and fail_reason, or the job's own when no sub-job says more.
type JobFailedError struct {
	Job    *Job
	Failed []SubJob
}

func (e *JobFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "job %s (%s) ended %s", e.Job.ID, e.Job.JobType, e.Job.Status)
	if e.Job.JobErrorCode != "" || e.Job.FailReason != "" {
		fmt.Fprintf(&b, " with job_error_code %q, fail_reason %q", e.Job.JobErrorCode, e.Job.FailReason)
	}
	if len(e.Failed) > 0 {
		fmt.Fprintf(&b, "; %d of %d failed:", len(e.Failed), len(e.Job.SubJobs))
		for _, s := range e.Failed {
			fmt.Fprintf(&b, "\n  - %s: status %s, error_code %q, fail_reason %q", s.Target(), s.Status, s.ErrorCode, s.FailReason)
		}
	}
	return b.String()
}

// Target names what the sub-job acted on: the desktop's name and ID.
func (s SubJob) Target() string {
	switch {
	case s.Entities.DesktopName != "" && s.Entities.DesktopID != "":
		return fmt.Sprintf("desktop %q (%s)", s.Entities.DesktopName, s.Entities.DesktopID)
	case s.Entities.DesktopID != "":
		return "desktop " + s.Entities.DesktopID
	case s.Entity != "":
		return s.Entity
	}
	return "sub-job " + s.ID
}

// ShowJob reads a job.
//
// @API Workspace GET /v2/{project_id}/workspace-jobs/{job_id}
func ShowJob(ctx context.Context, c *transport.Client, endpoint, projectID, jobID string) (*Job, error) {
	return transport.GetJSON[Job](ctx, c, transport.Request{Endpoint: endpoint, Path: "/v2/" + projectID + "/workspace-jobs/" + jobID, ProjectID: projectID})
}

// Defaults of WaitOptions.
const (
	DefaultJobFirstPoll = time.Second
	DefaultJobMaxPoll   = 10 * time.Second
)

// WaitOptions change how WaitJob polls; the zero value is the defaults.
type WaitOptions struct {
	// FirstPoll is the wait before the first ShowJob; each later wait doubles,
	// up to MaxPoll.
	FirstPoll, MaxPoll time.Duration
	// Sleep waits d or until ctx ends (then returning its error); nil is a
	// timer. Tests give a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, when set, is called with every answer of ShowJob.
	Progress func(*Job)
}

func (o WaitOptions) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pollDelays returns the wait before poll n (from 0).
func (o WaitOptions) delay(n int) time.Duration {
	first, most := o.FirstPoll, o.MaxPoll
	if first <= 0 {
		first = DefaultJobFirstPoll
	}
	if most <= 0 {
		most = DefaultJobMaxPoll
	}
	d := first
	for i := 0; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// WaitJob polls jobID until it is over and returns it; whether it succeeded is
// Job.Err's business. ShowJob's transient failures are retried as every read
// is; a failure that remains, or ctx ending (a timeout, Ctrl-C), is a
// *JobWaitError, which says the job may still be running.
func WaitJob(ctx context.Context, c *transport.Client, endpoint, projectID, jobID string, opts WaitOptions) (*Job, error) {
	var last *Job
	start := time.Now()
	for n := 0; ; n++ {
		if err := opts.sleep(ctx, opts.delay(n)); err != nil {
			return last, &JobWaitError{JobID: jobID, Last: last, Waited: time.Since(start), Err: err}
		}
		job, err := ShowJob(ctx, c, endpoint, projectID, jobID)
		if err != nil {
			return last, &JobWaitError{JobID: jobID, Last: last, Waited: time.Since(start), Err: err}
		}
		last = job
		tflog.Debug(ctx, "Workspace job polled", map[string]any{
			"job_id": jobID, "status": job.Status, "sub_jobs_done": job.SubJobsDone(), "sub_jobs": len(job.SubJobs), "poll": n + 1,
		})
		if opts.Progress != nil {
			opts.Progress(job)
		}
		if job.Done() {
			return job, nil
		}
	}
}

// JobWaitError is a wait that ended before its job did.
type JobWaitError struct {
	JobID  string
	Last   *Job // the last answer, nil before the first
	Waited time.Duration
	Err    error
}

func (e *JobWaitError) Error() string {
	status := "no status read yet"
	if e.Last != nil {
		status = "last status " + e.Last.Status
	}
	what := "failed"
	switch {
	case errors.Is(e.Err, context.DeadlineExceeded):
		what = "timed out"
	case errors.Is(e.Err, context.Canceled):
		what = "was cancelled"
	}
	return fmt.Sprintf("waiting for job %s %s after %s (%s); the job may still be running in the API: %v",
		e.JobID, what, e.Waited.Round(time.Second), status, e.Err)
}

func (e *JobWaitError) Unwrap() error { return e.Err }

// Batch is one POST of a batch operation and its items (at most MaxBatch).
type Batch struct {
	Items []string
	JobID string
	Job   *Job
	Err   error // the POST's, the wait's, or the job's failure
}

// MaxBatch is how many desktops or snapshots one batch POST may name.
const MaxBatch = 100

// RunBatches splits items into batches of at most MaxBatch, submits each (in
// order; the first failure stops further submissions), then waits for every
// submitted job concurrently. progress, when set, is called with how many
// items' sub-jobs are over after each poll. The error joins every batch's
// failure; batches not sent have Err set to errNotSent.
func RunBatches(ctx context.Context, c *transport.Client, endpoint, projectID string, items []string,
	submit func(ctx context.Context, batch []string) (jobID string, err error), opts WaitOptions, progress func(done, total int),
) ([]*Batch, error) {
	var batches []*Batch
	for i := 0; i < len(items); i += MaxBatch {
		batches = append(batches, &Batch{Items: items[i:min(i+MaxBatch, len(items))]})
	}
	var failed bool
	for _, b := range batches {
		if failed {
			b.Err = ErrBatchNotSent
			continue
		}
		b.JobID, b.Err = submit(ctx, b.Items)
		failed = b.Err != nil
	}
	var mu sync.Mutex
	done := make([]int, len(batches))
	var wg sync.WaitGroup
	for i, b := range batches {
		if b.Err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := opts
			o.Progress = func(j *Job) {
				mu.Lock()
				done[i] = min(j.SubJobsDone(), len(b.Items))
				sum := 0
				for _, d := range done {
					sum += d
				}
				mu.Unlock()
				if progress != nil {
					progress(sum, len(items))
				}
			}
			b.Job, b.Err = WaitJob(ctx, c, endpoint, projectID, b.JobID, o)
			if b.Err == nil {
				b.Err = b.Job.Err()
			}
		}()
	}
	wg.Wait()
	var errs []error
	for _, b := range batches {
		if b.Err != nil && !errors.Is(b.Err, ErrBatchNotSent) {
			errs = append(errs, b.Err)
		}
	}
	return batches, errors.Join(errs...)
}

// ErrBatchNotSent marks a batch left unsent after an earlier batch's POST
// failed.
var ErrBatchNotSent = errors.New("not sent, because an earlier batch failed")
