package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// The batch snapshot operations of the Workspace API. Each answers with a
// job_id; WaitJob (jobs.go) follows the job.

// Disk types of BatchCreateDesktopSnapshot.
const (
	DiskTypeSystem = "SYSTEM_DISK"
	DiskTypeData   = "DATA_DISKS"
	DiskTypeAll    = "ALL"
)

// DiskSnapshotInfo names and describes the snapshots of one kind of disk.
type DiskSnapshotInfo struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// CreateDesktopSnapshotsInput is BatchCreateDesktopSnapshotReq.
type CreateDesktopSnapshotsInput struct {
	DesktopIDs         []string          `json:"desktop_ids"`
	DiskType           string            `json:"disk_type,omitempty"`
	SystemDiskSnapshot *DiskSnapshotInfo `json:"system_disk_snapshot,omitempty"`
	DataDiskSnapshot   *DiskSnapshotInfo `json:"data_disk_snapshot,omitempty"`
}

// NewCreateDesktopSnapshotsInput is the request for desktopIDs and diskType,
// with name and description given to the snapshot of each kind of disk the
// disk type takes ("" leaves them to the API).
func NewCreateDesktopSnapshotsInput(desktopIDs []string, diskType, name, description string) CreateDesktopSnapshotsInput {
	in := CreateDesktopSnapshotsInput{DesktopIDs: desktopIDs, DiskType: diskType}
	if name == "" && description == "" {
		return in
	}
	info := &DiskSnapshotInfo{Name: name, Description: description}
	if diskType == DiskTypeSystem || diskType == DiskTypeAll {
		in.SystemDiskSnapshot = info
	}
	if diskType == DiskTypeData || diskType == DiskTypeAll {
		in.DataDiskSnapshot = info
	}
	return in
}

type jobAnswer struct {
	JobID string `json:"job_id"`
}

func postJob(ctx context.Context, c *transport.Client, endpoint, projectID, path string, in any) (string, error) {
	out, err := transport.PostJSON[jobAnswer](ctx, c, transport.Request{Endpoint: endpoint, Path: "/v2/" + projectID + path, ProjectID: projectID}, in)
	if err != nil {
		return "", err
	}
	if out.JobID == "" {
		return "", fmt.Errorf("POST /v2/%s%s: the answer has no job_id", projectID, path)
	}
	return out.JobID, nil
}

// CreateDesktopSnapshots starts the snapshots of at most MaxBatch desktops.
//
// @API Workspace POST /v2/{project_id}/snapshots/batch-create
func CreateDesktopSnapshots(ctx context.Context, c *transport.Client, endpoint, projectID string, in CreateDesktopSnapshotsInput) (string, error) {
	return postJob(ctx, c, endpoint, projectID, "/snapshots/batch-create", in)
}

type snapshotIDs struct {
	SnapshotIDs []string `json:"snapshot_ids"`
}

// DeleteDesktopSnapshots starts deleting at most MaxBatch snapshots.
//
// @API Workspace POST /v2/{project_id}/snapshots/batch-delete
func DeleteDesktopSnapshots(ctx context.Context, c *transport.Client, endpoint, projectID string, ids []string) (string, error) {
	return postJob(ctx, c, endpoint, projectID, "/snapshots/batch-delete", snapshotIDs{ids})
}

// RestoreDesktopSnapshots starts restoring at most MaxBatch snapshots.
//
// @API Workspace POST /v2/{project_id}/snapshots/batch-restore
func RestoreDesktopSnapshots(ctx context.Context, c *transport.Client, endpoint, projectID string, ids []string) (string, error) {
	return postJob(ctx, c, endpoint, projectID, "/snapshots/batch-restore", snapshotIDs{ids})
}

// CreatedSlack is how long before its job's begin_time a snapshot may have been
// stamped and still count as the job's (clocks and rounding differ).
const CreatedSlack = time.Minute

// FindCreatedSnapshot picks, from a listing of one desktop's snapshots, the one
// a create job made: the newest MANUALLY snapshot of the disk type created at
// or after begin - CreatedSlack whose snapshot_name contains name (when name is
// not ""). The API answers the create with no snapshot ID and rewrites the name
// (desktop name + name + timestamp), so the form of the name is not relied on.
// nil when none matches.
func FindCreatedSnapshot(snaps []DesktopSnapshot, desktopID, diskType, name string, begin time.Time) *DesktopSnapshot {
	var best *DesktopSnapshot
	var bestTime time.Time
	for i := range snaps {
		s := &snaps[i]
		if deref(s.DesktopID) != desktopID || deref(s.CreateType) != "MANUALLY" || s.IsSystemDisk == nil ||
			*s.IsSystemDisk != (diskType == DiskTypeSystem) || !strings.Contains(deref(s.SnapshotName), name) {
			continue
		}
		created, err := ParseAPITime(deref(s.CreateTime))
		if err != nil || created.Before(begin.Add(-CreatedSlack)) {
			continue
		}
		if best == nil || created.After(bestTime) {
			best, bestTime = s, created
		}
	}
	return best
}

// ParseAPITime reads the API's times: 2024-04-20T08:36:16Z, with or without
// fractional seconds or a zone offset, or 2024-04-20 08:36:16 (UTC).
func ParseAPITime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not in a form the API uses", s)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// The values of ListDesktopSnapshot's enumerated filters, in the API page's
// order.
var (
	SnapshotDiskTypes   = []string{DiskTypeSystem, DiskTypeData, DiskTypeAll}
	SnapshotCreateTypes = []string{"AUTO", "MANUALLY"}
	SnapshotStatuses    = []string{"creating", "restoring", "create_success", "create_failed", "restore_success", "restore_failed"}
	SnapshotSortFields  = []string{"create_time", "snapshot_name"}
	SnapshotSortTypes   = []string{"ASC", "DESC"}
)
