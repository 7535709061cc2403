package client

import (
	"context"
	"fmt"
	"strconv"
)

// PageLimit is the API's largest page: the fewest round trips.
const PageLimit = 1000

// maxPages bounds a listing whatever the API says: a million snapshots, twenty
// times the largest estates seen.
const maxPages = 1000

// DesktopSnapshot is one DesktopSnapshotDetailInfo of ListDesktopSnapshot. Every
// field is a pointer because the API may leave any of them out; a nil pointer is
// "absent" (or JSON null), which is not the same as "".
type DesktopSnapshot struct {
	SnapshotID        *string `json:"snapshot_id"`
	SnapshotName      *string `json:"snapshot_name"`
	DesktopID         *string `json:"desktop_id"`
	DesktopName       *string `json:"desktop_name"`
	DesktopSID        *string `json:"desktop_sid"`
	DesktopPoolID     *string `json:"desktop_pool_id"`
	IsSystemDisk      *bool   `json:"is_system_disk"`
	Status            *string `json:"status"`
	Process           *int64  `json:"process"`
	Description       *string `json:"description"`
	CreateTime        *string `json:"create_time"`
	CreateType        *string `json:"create_type"`
	LastRestoreTime   *string `json:"last_restore_time"`
	RestoreFailReason *string `json:"restore_fail_reason"`
}

// ListDesktopSnapshotPage is the 200 answer of ListDesktopSnapshot.
type ListDesktopSnapshotPage struct {
	TotalCount       *int64            `json:"total_count"`
	DesktopSnapshots []DesktopSnapshot `json:"desktop_snapshots"`
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
func (in ListDesktopSnapshotsInput) Query() Query {
	var q Query
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
	// Requests is the number of pages fetched.
	Requests int
}

// snapshotsPath is the ListDesktopSnapshot URI for a project, unescaped: it
// becomes url.URL.Path, which is escaped once on the wire, and the signer escapes
// each segment of that same decoded path (as the official SDK does). Escaping here
// as well would send, and sign, a double-escaped project ID (%2520 for a space).
func snapshotsPath(projectID string) string {
	return "/v2/" + projectID + "/snapshots"
}

// ListDesktopSnapshots reads every snapshot matching in, page after page with
// limit=PageLimit, in the API's order.
//
// It stops on a short or empty page, or once total_count snapshots have been read
// from full pages; and after maxPages pages, whatever total_count says, with an
// error, so a misbehaving API can never make it loop forever.
//
// @API Workspace GET /v2/{project_id}/snapshots
func (c *Client) ListDesktopSnapshots(ctx context.Context, endpoint, projectID string, in ListDesktopSnapshotsInput) (*ListDesktopSnapshotsOutput, error) {
	filters := in.Query()
	out := &ListDesktopSnapshotsOutput{}
	for offset := 0; ; offset += PageLimit {
		if out.Requests == maxPages {
			return nil, fmt.Errorf("listing desktop snapshots: stopped after %d full pages (%d snapshots); the API kept returning full pages", maxPages, len(out.Snapshots))
		}
		q := append(Query(nil), filters...)
		q.Add("offset", strconv.Itoa(offset))
		q.Add("limit", strconv.Itoa(PageLimit))
		var page ListDesktopSnapshotPage
		if err := c.getJSON(ctx, endpoint, snapshotsPath(projectID), q, projectID, &page); err != nil {
			return nil, fmt.Errorf("listing desktop snapshots (offset %d): %w", offset, err)
		}
		out.Requests++
		out.Snapshots = append(out.Snapshots, page.DesktopSnapshots...)
		if !nextPage(len(page.DesktopSnapshots), len(out.Snapshots), page.TotalCount) {
			return out, nil
		}
	}
}

// nextPage says whether another page is worth asking for, after a page of n items
// brought the listing to read items: not after a short or empty page, and not once
// total_count (when the API sends it) has been read.
func nextPage(n, read int, totalCount *int64) bool {
	if n < PageLimit {
		return false
	}
	if totalCount != nil && int64(read) >= *totalCount {
		return false
	}
	return true
}
