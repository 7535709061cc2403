package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The batch snapshot operations and ShowJob:
//
//	POST /v2/{project_id}/snapshots/batch-create   {desktop_ids, disk_type, system_disk_snapshot, data_disk_snapshot}
//	POST /v2/{project_id}/snapshots/batch-delete   {snapshot_ids}
//	POST /v2/{project_id}/snapshots/batch-restore  {snapshot_ids}
//	GET  /v2/{project_id}/workspace-jobs/{job_id}
//
// A POST is checked whole before anything happens: its body (signed, as every
// request), 1 to 100 IDs, a known disk_type, and every desktop or snapshot known
// (404 naming the first unknown one). It then answers {"job_id"} and starts a
// job of one sub-job per desktop (create) or snapshot (delete, restore). The
// job lasts Options.JobDuration; its sub-jobs end one after another over that
// time. Effects show at once (new snapshots are "creating", restored ones
// "restoring") and settle when each sub-job ends: create_success,
// restore_success, or the snapshot gone. Sub-jobs on BusyDesktopID fail with
// BusyErrorCode. Time is the fake's Now; jobs settle when a request looks.

// Desktops of Region that have no snapshots in Sample: FreshDesktopID takes
// snapshots normally, BusyDesktopID is always busy, so every sub-job on it fails.
const (
	FreshDesktopID   = "f0f0f0f0-1111-4222-8333-444455556666"
	FreshDesktopName = "fresh-01"
	BusyDesktopID    = "b0b0b0b0-1111-4222-8333-444455556666"
	BusyDesktopName  = "busy-01"
	// BusyErrorCode and BusyFailReason are what a sub-job on the busy desktop
	// ends with.
	BusyErrorCode  = "WKS.0163"
	BusyFailReason = "The desktop is executing another task. Try again later."
)

// Desktop is a desktop the fake knows beyond those its snapshots name.
type Desktop struct {
	ID, Name, SID, PoolID string
	// Busy desktops fail every sub-job.
	Busy bool
}

// The fake's error codes of the batch operations.
const (
	CodeDesktopNotFound  = "WKS.0106"
	CodeSnapshotNotFound = "WKS.0153"
	CodeJobNotFound      = "WKS.0112"
)

type fakeSubJob struct {
	id, desktopID, desktopName string
	snapshotIDs                []string // the snapshots it made or acts on
	end                        time.Time
	fail                       bool
	settled                    bool
}

type fakeJob struct {
	id, jobType, project string
	begin, end           time.Time
	subs                 []*fakeSubJob
}

// jobState is the fake's jobs, under Server.mu.
type jobState struct {
	jobs map[string]*fakeJob
	seq  int
}

func (s *Server) jobsLocked() *jobState {
	if s.jobs == nil {
		s.jobs = &jobState{jobs: map[string]*fakeJob{}}
	}
	return s.jobs
}

// jobRoute answers the batch POSTs and ShowJob.
func (s *Server) jobRoute(r *http.Request) (answer, bool) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 3 || parts[0] != "v2" {
		return answer{}, false
	}
	project := parts[1]
	switch {
	case r.Method == http.MethodPost && len(parts) == 4 && parts[2] == "snapshots":
		switch parts[3] {
		case "batch-create":
			return s.batchCreate(r, project), true
		case "batch-delete":
			return s.batchSnapshots(r, project, "BATCH_DELETE_SNAPSHOT"), true
		case "batch-restore":
			return s.batchSnapshots(r, project, "BATCH_RESTORE_SNAPSHOT"), true
		}
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "workspace-jobs":
		return s.showJob(project, parts[3]), true
	}
	return answer{}, false
}

// decodeStrict decodes a JSON body, refusing unknown fields as the API's
// schema validation does.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func checkIDs(key string, ids []string) (answer, bool) {
	if len(ids) < 1 || len(ids) > 100 {
		return badRequest("%s must hold 1 to 100 items, got %d", key, len(ids)), false
	}
	for _, id := range ids {
		if id == "" {
			return badRequest("%s must not hold an empty ID", key), false
		}
	}
	return answer{}, true
}

type diskSnapshotInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Server) batchCreate(r *http.Request, project string) answer {
	var b struct {
		DesktopIDs         []string          `json:"desktop_ids"`
		DiskType           string            `json:"disk_type"`
		SystemDiskSnapshot *diskSnapshotInfo `json:"system_disk_snapshot"`
		DataDiskSnapshot   *diskSnapshotInfo `json:"data_disk_snapshot"`
	}
	if err := decodeStrict(requestBody(r), &b); err != nil {
		return badRequest("the body is not a BatchCreateDesktopSnapshotReq: %v", err)
	}
	if a, ok := checkIDs("desktop_ids", b.DesktopIDs); !ok {
		return a
	}
	if !slices.Contains([]string{"SYSTEM_DISK", "DATA_DISKS", "ALL"}, b.DiskType) {
		return badRequest("disk_type must be one of SYSTEM_DISK, DATA_DISKS, ALL, got %q", b.DiskType)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projects[project]
	if p == nil {
		return errAnswer(http.StatusNotFound, "WKS.0004", fmt.Sprintf("project %s not found", project))
	}
	desktops := make([]Desktop, len(b.DesktopIDs))
	for i, id := range b.DesktopIDs {
		d, ok := s.desktopLocked(p, id)
		if !ok {
			return errAnswer(http.StatusNotFound, CodeDesktopNotFound, fmt.Sprintf("The desktop %s does not exist", id))
		}
		desktops[i] = d
	}
	now := s.opts.Now().UTC()
	job := s.newJobLocked(project, "BATCH_CREATE_SNAPSHOT", now, len(desktops))
	var added []Snapshot
	for i, d := range desktops {
		sub := job.subs[i]
		sub.desktopID, sub.desktopName, sub.fail = d.ID, d.Name, d.Busy
		if d.Busy {
			continue
		}
		for _, disk := range []struct {
			system bool
			info   *diskSnapshotInfo
			prefix string
		}{{true, b.SystemDiskSnapshot, "sys"}, {false, b.DataDiskSnapshot, "data"}} {
			if disk.system && b.DiskType == "DATA_DISKS" || !disk.system && b.DiskType == "SYSTEM_DISK" {
				continue
			}
			s.inserted++
			name, desc := disk.prefix, ""
			if disk.info != nil {
				if disk.info.Name != "" {
					name = disk.info.Name
				}
				desc = disk.info.Description
			}
			snap := Snapshot{
				SnapshotID:   S(fmt.Sprintf("%08x-2000-4000-8000-%012x", s.inserted, s.jobs.seq)),
				SnapshotName: S(fmt.Sprintf("%s_%s_%d", name, d.Name, now.UnixMilli())),
				DesktopID:    S(d.ID), DesktopName: S(d.Name), IsSystemDisk: B(disk.system),
				Status: S("creating"), Process: I(0), Description: S(desc),
				CreateTime: S(now.Format(time.RFC3339)), CreateType: S("MANUALLY"),
			}
			if d.SID != "" {
				snap.DesktopSID = S(d.SID)
			}
			if d.PoolID != "" {
				snap.DesktopPoolID = S(d.PoolID)
			}
			sub.snapshotIDs = append(sub.snapshotIDs, *snap.SnapshotID)
			added = append(added, snap)
		}
	}
	if len(added) > 0 {
		p.Snapshots = append(slices.Clone(added), p.Snapshots...)
		s.generation++
	}
	return answer{status: http.StatusOK, body: map[string]string{"job_id": job.id}}
}

// batchSnapshots starts a delete or restore job.
func (s *Server) batchSnapshots(r *http.Request, project, jobType string) answer {
	var b struct {
		SnapshotIDs []string `json:"snapshot_ids"`
	}
	if err := decodeStrict(requestBody(r), &b); err != nil {
		return badRequest("the body is not a snapshot_ids request: %v", err)
	}
	if a, ok := checkIDs("snapshot_ids", b.SnapshotIDs); !ok {
		return a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projects[project]
	if p == nil {
		return errAnswer(http.StatusNotFound, "WKS.0004", fmt.Sprintf("project %s not found", project))
	}
	index := make([]int, len(b.SnapshotIDs))
	for i, id := range b.SnapshotIDs {
		index[i] = slices.IndexFunc(p.Snapshots, func(sn Snapshot) bool { return str(sn.SnapshotID) == id })
		if index[i] < 0 {
			return errAnswer(http.StatusNotFound, CodeSnapshotNotFound, fmt.Sprintf("The snapshot %s does not exist", id))
		}
	}
	now := s.opts.Now().UTC()
	job := s.newJobLocked(project, jobType, now, len(index))
	snaps := slices.Clone(p.Snapshots)
	for i, at := range index {
		sn := snaps[at]
		d, _ := s.desktopLocked(p, str(sn.DesktopID))
		sub := job.subs[i]
		sub.desktopID, sub.desktopName, sub.fail, sub.snapshotIDs = str(sn.DesktopID), str(sn.DesktopName), d.Busy, []string{str(sn.SnapshotID)}
		if jobType == "BATCH_RESTORE_SNAPSHOT" && !d.Busy {
			sn.Status, sn.Process, sn.ProcessNull = S("restoring"), I(0), false
			snaps[at] = sn
		}
	}
	p.Snapshots = snaps
	s.generation++
	return answer{status: http.StatusOK, body: map[string]string{"job_id": job.id}}
}

// newJobLocked starts a job of n sub-jobs at now, ending one after another
// over JobDuration.
func (s *Server) newJobLocked(project, jobType string, now time.Time, n int) *fakeJob {
	js := s.jobsLocked()
	js.seq++
	job := &fakeJob{id: fmt.Sprintf("0b0b0b0b-%04x-4000-8000-%012x", js.seq%0x10000, js.seq), jobType: jobType, project: project, begin: now}
	job.end = now.Add(s.opts.JobDuration)
	for i := range n {
		job.subs = append(job.subs, &fakeSubJob{
			id:  fmt.Sprintf("5b5b5b5b-%04x-4000-8000-%012x", js.seq%0x10000, i),
			end: now.Add(s.opts.JobDuration * time.Duration(i+1) / time.Duration(n)),
		})
	}
	js.jobs[job.id] = job
	return job
}

// desktopLocked finds a desktop of p: one of Project.Desktops, or one its
// snapshots name.
func (s *Server) desktopLocked(p *Project, id string) (Desktop, bool) {
	for _, d := range p.Desktops {
		if d.ID == id {
			return d, true
		}
	}
	for _, sn := range p.Snapshots {
		if str(sn.DesktopID) == id && id != "" {
			return Desktop{ID: id, Name: str(sn.DesktopName), SID: str(sn.DesktopSID), PoolID: str(sn.DesktopPoolID)}, true
		}
	}
	return Desktop{}, false
}

// settle applies the effects of every sub-job that has ended by now.
func (s *Server) settle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs == nil {
		return
	}
	now := s.opts.Now()
	for _, job := range s.jobs.jobs {
		for _, sub := range job.subs {
			if sub.settled || now.Before(sub.end) {
				continue
			}
			sub.settled = true
			if !sub.fail {
				s.applyLocked(job, sub)
			}
		}
	}
}

func (s *Server) applyLocked(job *fakeJob, sub *fakeSubJob) {
	p := s.projects[job.project]
	if p == nil {
		return
	}
	var snaps []Snapshot
	for _, sn := range p.Snapshots {
		if !slices.Contains(sub.snapshotIDs, str(sn.SnapshotID)) {
			snaps = append(snaps, sn)
			continue
		}
		switch job.jobType {
		case "BATCH_DELETE_SNAPSHOT":
			continue
		case "BATCH_CREATE_SNAPSHOT":
			sn.Status, sn.Process = S("create_success"), nil
		case "BATCH_RESTORE_SNAPSHOT":
			sn.Status, sn.Process = S("restore_success"), I(100)
			sn.LastRestoreTime = S(sub.end.UTC().Format(time.RFC3339))
		}
		snaps = append(snaps, sn)
	}
	p.Snapshots = snaps
	s.generation++
}

type subJobJSON struct {
	ID         string            `json:"id"`
	JobType    string            `json:"job_type"`
	Entities   map[string]string `json:"entities"`
	BeginTime  string            `json:"begin_time"`
	EndTime    string            `json:"end_time,omitempty"`
	Status     string            `json:"status"`
	ErrorCode  string            `json:"error_code,omitempty"`
	FailReason string            `json:"fail_reason,omitempty"`
	ProjectID  string            `json:"project_id"`
	JobID      string            `json:"job_id"`
	Process    int               `json:"process"`
}

func (s *Server) showJob(project, id string) answer {
	s.settle()
	s.mu.Lock()
	defer s.mu.Unlock()
	var job *fakeJob
	if s.jobs != nil {
		job = s.jobs.jobs[id]
	}
	if job == nil || job.project != project {
		return errAnswer(http.StatusNotFound, CodeJobNotFound, fmt.Sprintf("The job %s does not exist", id))
	}
	now := s.opts.Now()
	const layout = time.RFC3339
	out := map[string]any{
		"id": job.id, "job_type": job.jobType, "begin_time": job.begin.Format(layout), "sub_jobs_total": len(job.subs),
	}
	var subs []subJobJSON
	ok, failed := 0, 0
	for _, sub := range job.subs {
		sj := subJobJSON{
			ID: sub.id, JobType: job.jobType, Entities: map[string]string{"desktop_id": sub.desktopID, "desktop_name": sub.desktopName},
			BeginTime: job.begin.Format(layout), Status: "RUNNING", ProjectID: project, JobID: job.id,
		}
		switch {
		case !sub.settled:
			total := sub.end.Sub(job.begin)
			if total > 0 {
				sj.Process = int(100 * now.Sub(job.begin) / total)
			}
		case sub.fail:
			sj.Status, sj.ErrorCode, sj.FailReason, sj.EndTime = "FAIL", BusyErrorCode, BusyFailReason, sub.end.UTC().Format(layout)
			failed++
		default:
			sj.Status, sj.Process, sj.EndTime = "SUCCESS", 100, sub.end.UTC().Format(layout)
			ok++
		}
		subs = append(subs, sj)
	}
	out["sub_jobs"] = subs
	switch {
	case ok+failed < len(job.subs):
		out["status"] = "RUNNING"
	case failed == 0:
		out["status"] = "SUCCESS"
	case ok == 0:
		out["status"], out["job_error_code"], out["fail_reason"] = "FAIL", BusyErrorCode, "All sub-jobs failed"
	default:
		out["status"] = "COMPLETE"
	}
	if out["status"] != "RUNNING" {
		out["end_time"] = job.end.UTC().Format(layout)
	}
	return answer{status: http.StatusOK, body: out}
}

// RemoveSnapshot takes a snapshot away at once, as a delete outside Terraform
// would; it reports whether there was one.
func (s *Server) RemoveSnapshot(projectID, snapshotID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projects[projectID]
	if p == nil {
		return false
	}
	i := slices.IndexFunc(p.Snapshots, func(sn Snapshot) bool { return str(sn.SnapshotID) == snapshotID })
	if i < 0 {
		return false
	}
	p.Snapshots = slices.Delete(slices.Clone(p.Snapshots), i, i+1)
	s.generation++
	return true
}
