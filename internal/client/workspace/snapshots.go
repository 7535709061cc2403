// Package workspace is the Workspace API: its listed objects, declared with
// package listing's kit, and the calls that read them through transport.
package workspace

import (
	"context"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// DesktopSnapshot is one DesktopSnapshotDetailInfo of ListDesktopSnapshot. Every
// field is a pointer because the API may leave any of them out; a nil pointer is
// "absent" (or JSON null), which is not the same as "". Its fields' API names,
// kinds and descriptions are declared once, in DesktopSnapshotObject.
type DesktopSnapshot struct {
	SnapshotID        *string
	SnapshotName      *string
	DesktopID         *string
	DesktopName       *string
	DesktopSID        *string
	DesktopPoolID     *string
	IsSystemDisk      *bool
	Status            *string
	Process           *int64
	Description       *string
	CreateTime        *string
	CreateType        *string
	LastRestoreTime   *string
	RestoreFailReason *string
}

// DesktopSnapshotObject declares DesktopSnapshot's fields, in the API page's
// order: the one place a snapshot field is named, typed and described.
var DesktopSnapshotObject = listing.NewObject(
	listing.String("snapshot_id", func(s *DesktopSnapshot) **string { return &s.SnapshotID }, "Desktop snapshot ID."),
	listing.String("snapshot_name", func(s *DesktopSnapshot) **string { return &s.SnapshotName }, "Desktop snapshot record name."),
	listing.String("desktop_id", func(s *DesktopSnapshot) **string { return &s.DesktopID }, "ID of the desktop the snapshot belongs to."),
	listing.String("desktop_name", func(s *DesktopSnapshot) **string { return &s.DesktopName }, "Name of the desktop the snapshot belongs to."),
	listing.String("desktop_sid", func(s *DesktopSnapshot) **string { return &s.DesktopSID }, "SID of the desktop the snapshot belongs to."),
	listing.String("desktop_pool_id", func(s *DesktopSnapshot) **string { return &s.DesktopPoolID }, "ID of the desktop pool of the snapshot's desktop."),
	listing.Bool("is_system_disk", func(s *DesktopSnapshot) **bool { return &s.IsSystemDisk },
		"Disk type of the snapshot: `true` for a system disk, `false` for a data disk."),
	listing.String("status", func(s *DesktopSnapshot) **string { return &s.Status },
		"Snapshot status: `creating`, `restoring`, `create_success`, `create_failed`, `restore_success` or `restore_failed`."),
	listing.Int64("process", func(s *DesktopSnapshot) **int64 { return &s.Process },
		"Progress of the snapshot's task, 0 to 100 percent; `null` when the snapshot has no task."),
	listing.String("description", func(s *DesktopSnapshot) **string { return &s.Description }, "Snapshot description."),
	listing.String("create_time", func(s *DesktopSnapshot) **string { return &s.CreateTime }, "Creation time, UTC, as `yyyy-MM-ddTHH:mm:ssZ`."),
	listing.String("create_type", func(s *DesktopSnapshot) **string { return &s.CreateType }, "How the snapshot was created: `AUTO` or `MANUALLY`."),
	listing.String("last_restore_time", func(s *DesktopSnapshot) **string { return &s.LastRestoreTime },
		"Time of the latest restore, UTC, as `yyyy-MM-ddTHH:mm:ssZ`."),
	listing.String("restore_fail_reason", func(s *DesktopSnapshot) **string { return &s.RestoreFailReason }, "Why the latest restore failed."),
)

// DesktopSnapshots is the ListDesktopSnapshot listing.
var DesktopSnapshots = &listing.Listing[DesktopSnapshot]{
	Noun:       "desktop snapshots",
	Items:      "snapshots",
	FilterHint: "desktop_id, create_type, status, ...",
	Path:       func(projectID string) string { return "/v2/" + projectID + "/snapshots" },
	ItemsKey:   "desktop_snapshots",
	Object:     DesktopSnapshotObject,
	KeyName:    "snapshot_id",
	Key:        func(s *DesktopSnapshot) *string { return s.SnapshotID },
}

// ListDesktopSnapshotsInput holds the API's filters and sorting. Empty strings and
// nil slices are left off the request.
type ListDesktopSnapshotsInput struct {
	DesktopID     string
	DesktopIDs    []string
	DesktopName   string
	DesktopNames  []string
	SnapshotName  string
	SnapshotNames []string
	DiskType      string
	CreateType    string
	Status        string
	SortField     string
	SortType      string
}

// Query returns the filter part of the request, in the API page's order; offset
// and limit are added per page.
func (in ListDesktopSnapshotsInput) Query() sign.Query {
	var q sign.Query
	add := func(key, v string) {
		if v != "" {
			q.Add(key, v)
		}
	}
	add("desktop_id", in.DesktopID)
	q.Add("desktop_ids", in.DesktopIDs...)
	add("desktop_name", in.DesktopName)
	q.Add("desktop_names", in.DesktopNames...)
	add("snapshot_name", in.SnapshotName)
	q.Add("snapshot_names", in.SnapshotNames...)
	add("disk_type", in.DiskType)
	add("create_type", in.CreateType)
	add("status", in.Status)
	add("sort_field", in.SortField)
	add("sort_type", in.SortType)
	return q
}

// ListDesktopSnapshotsOutput is a whole listing.
type ListDesktopSnapshotsOutput struct {
	Snapshots []DesktopSnapshot
	// Requests is the number of pages fetched, over every pass; retries of a
	// page are not counted.
	Requests int
	// Passes is how many times the listing was read: more than 1 when it
	// changed while it was being read.
	Passes int
	// Warnings are oddities of the answers that did not stop the listing.
	Warnings []string
}

// ListDesktopSnapshots reads every snapshot matching in, in the API's order: the
// generic List of DesktopSnapshots (paging, consistency and the pool are
// described there).
//
// @API Workspace GET /v2/{project_id}/snapshots
func ListDesktopSnapshots(ctx context.Context, c *transport.Client, endpoint, projectID string, in ListDesktopSnapshotsInput) (*ListDesktopSnapshotsOutput, error) {
	out, err := listing.List(ctx, c, DesktopSnapshots, endpoint, projectID, in.Query(), listing.ListOptions[DesktopSnapshot]{})
	if err != nil {
		return nil, err
	}
	return &ListDesktopSnapshotsOutput{Snapshots: out.Items, Requests: out.Requests, Passes: out.Passes, Warnings: out.Warnings}, nil
}
