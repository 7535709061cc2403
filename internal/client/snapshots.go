package client

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
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
	// Requests is the number of pages fetched, over every pass; retries of a
	// page are not counted.
	Requests int
	// Passes is how many times the listing was read: more than 1 when it
	// changed while it was being read.
	Passes int
	// Warnings are oddities of the answers that did not stop the listing.
	Warnings []string
}

// maxPasses bounds how often a listing that changes while it is read is read
// again.
const maxPasses = 3

// snapshotsPath is the ListDesktopSnapshot URI for a project, unescaped: it
// becomes url.URL.Path, which is escaped once on the wire, and the signer escapes
// each segment of that same decoded path (as the official SDK does). Escaping here
// as well would send, and sign, a double-escaped project ID (%2520 for a space).
func snapshotsPath(projectID string) string {
	return "/v2/" + projectID + "/snapshots"
}

// ListDesktopSnapshots reads every snapshot matching in, in the API's order.
//
// Paging. The first page (offset 0, limit PageLimit) gives total_count; the other
// offsets are then known and fetched concurrently, at most Config.MaxConcurrency
// at once, in offset order, each page kept in its place. A short page ends the
// listing: no offset beyond it is asked for, so a total_count that overstates
// what the API returns costs at most a pool's worth of empty pages and a warning.
// Without total_count the pages are read one after another until a short one.
// Nothing reads more than maxPages pages.
//
// Consistency. Offset paging shifts under inserts and deletes: a snapshot
// created at the front while pages are read pushes every later one down a place,
// so a page repeats the last item of the page before it (or, after a delete,
// skips one). A pass is accepted only when every page reported the same
// total_count and no snapshot_id appears twice; otherwise the whole listing is
// read again, up to maxPasses times, and then it fails with an *UnsettledError
// rather than return a wrong list. (A delete exactly balanced by an insert
// between two pages is invisible to this API, and so to this check.)
//
// @API Workspace GET /v2/{project_id}/snapshots
func (c *Client) ListDesktopSnapshots(ctx context.Context, endpoint, projectID string, in ListDesktopSnapshotsInput) (*ListDesktopSnapshotsOutput, error) {
	start := time.Now()
	l := &lister{c: c, endpoint: endpoint, projectID: projectID, filters: in.Query(), throttle: newThrottle(c.concurrency)}
	out := &ListDesktopSnapshotsOutput{}
	var unsettled []string
	for pass := 1; pass <= maxPasses; pass++ {
		r, err := l.pass(ctx)
		out.Requests += r.requests
		out.Passes = pass
		if err != nil {
			return nil, fmt.Errorf("listing desktop snapshots: %w", err)
		}
		if r.unsettled == "" {
			out.Snapshots, out.Warnings = r.snapshots, r.warnings
			tflog.Debug(ctx, "Listed desktop snapshots", map[string]any{
				"snapshots": len(out.Snapshots), "pages": out.Requests, "passes": pass,
				"duration_ms": time.Since(start).Milliseconds(),
			})
			return out, nil
		}
		unsettled = append(unsettled, r.unsettled)
		tflog.Debug(ctx, "The listing changed while it was read; reading it again", map[string]any{"pass": pass, "reason": r.unsettled})
	}
	return nil, &UnsettledError{Passes: maxPasses, Reasons: unsettled}
}

// UnsettledError is a listing that changed under every pass.
type UnsettledError struct {
	Passes  int
	Reasons []string
}

func (e *UnsettledError) Error() string {
	parts := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		parts[i] = fmt.Sprintf("pass %d: %s", i+1, r)
	}
	return fmt.Sprintf("listing desktop snapshots: the listing changed while it was being read, %d times in a row (%s). "+
		"Snapshots are being created or deleted faster than the listing can be read consistently; "+
		"try again later, or narrow the listing with filters (desktop_id, create_type, status, ...) so that it spans fewer pages",
		e.Passes, strings.Join(parts, "; "))
}

// lister is one ListDesktopSnapshots call.
type lister struct {
	c         *Client
	endpoint  string
	projectID string
	filters   Query
	throttle  *throttle
}

// passResult is one reading of the whole listing.
type passResult struct {
	snapshots []DesktopSnapshot
	requests  int
	warnings  []string
	// unsettled, when set, says how the listing was seen to change.
	unsettled string
}

// page fetches the page at offset through the pool.
func (l *lister) page(ctx context.Context, offset int) (*ListDesktopSnapshotPage, error) {
	epoch, err := l.throttle.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("waiting for a turn to read offset %d: %w", offset, err)
	}
	q := append(Query(nil), l.filters...)
	q.Add("offset", strconv.Itoa(offset))
	q.Add("limit", strconv.Itoa(PageLimit))
	sl := &slot{t: l.throttle, epoch: epoch}
	p, err := getJSON[ListDesktopSnapshotPage](ctx, l.c, l.endpoint, snapshotsPath(l.projectID), q, l.projectID, sl)
	l.throttle.release(sl.epoch, err == nil)
	if err != nil {
		return nil, fmt.Errorf("offset %d: %w", offset, err)
	}
	return p, nil
}

// pass reads the listing once.
func (l *lister) pass(ctx context.Context) (passResult, error) {
	first, err := l.page(ctx, 0)
	if err != nil {
		return passResult{}, err
	}
	if first.TotalCount == nil {
		return l.sequential(ctx, first)
	}
	total := *first.TotalCount
	n0 := len(first.DesktopSnapshots)
	if n0 < PageLimit || int64(n0) >= total {
		r := passResult{snapshots: first.DesktopSnapshots, requests: 1}
		if int64(n0) < total {
			r.warnings = append(r.warnings, overstated(total, n0, 0))
		}
		r.unsettled = duplicate(r.snapshots)
		return r, nil
	}

	want := int((total + PageLimit - 1) / PageLimit)
	capped := want > maxPages
	want = min(want, maxPages)
	pages, requests, err := l.fetch(ctx, first, want)
	if err != nil {
		return passResult{}, err
	}
	return settle(pages, total, want, capped, requests)
}

// fetch reads pages 1..want-1 concurrently into their places, pages[0] being
// first. A short page stops the dispatch of later offsets. The first error
// cancels the pages in flight and is returned once every goroutine has ended.
func (l *lister) fetch(ctx context.Context, first *ListDesktopSnapshotPage, want int) ([]*ListDesktopSnapshotPage, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make([]*ListDesktopSnapshotPage, want)
	pages[0] = first
	var (
		mu       sync.Mutex
		next     = 1
		stop     = want
		requests = 1
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(l.c.concurrency, want-1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if firstErr != nil || next >= stop {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()

				p, err := l.page(ctx, i*PageLimit)

				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
					return
				}
				requests++
				pages[i] = p
				if len(p.DesktopSnapshots) < PageLimit && i+1 < stop {
					stop = i + 1
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return pages, requests, firstErr
}

// settle checks a pass's pages and joins them. pages[i] is offset i*PageLimit;
// a nil page was not asked for, because a short page before it ended the listing.
func settle(pages []*ListDesktopSnapshotPage, total int64, want int, capped bool, requests int) (passResult, error) {
	r := passResult{requests: requests}
	end := len(pages) // pages[:end] make the listing: up to and including the first short page
	for i, p := range pages {
		if p == nil {
			continue
		}
		if i >= end {
			if len(p.DesktopSnapshots) > 0 {
				r.unsettled = fmt.Sprintf("offset %d returned %d snapshots after offset %d returned a short page", i*PageLimit, len(p.DesktopSnapshots), (end-1)*PageLimit)
				return r, nil
			}
			continue
		}
		if p.TotalCount == nil || *p.TotalCount != total {
			r.unsettled = fmt.Sprintf("total_count went from %d at offset 0 to %s at offset %d", total, count(p.TotalCount), i*PageLimit)
			return r, nil
		}
		if len(p.DesktopSnapshots) < PageLimit {
			end = i + 1
		}
	}
	n := 0
	for _, p := range pages[:end] {
		n += len(p.DesktopSnapshots)
	}
	switch {
	case int64(n) > total:
		r.unsettled = fmt.Sprintf("the pages held %d snapshots, more than their total_count of %d", n, total)
		return r, nil
	case capped && end == want && len(pages[end-1].DesktopSnapshots) == PageLimit:
		return r, fmt.Errorf("total_count is %d, more than the %d snapshots (%d pages of %d) one listing reads; narrow the listing with filters", total, maxPages*PageLimit, maxPages, PageLimit)
	case int64(n) < total:
		r.warnings = append(r.warnings, overstated(total, n, (end-1)*PageLimit))
	}
	r.snapshots = make([]DesktopSnapshot, 0, n)
	for _, p := range pages[:end] {
		r.snapshots = append(r.snapshots, p.DesktopSnapshots...)
	}
	r.unsettled = duplicate(r.snapshots)
	return r, nil
}

// sequential reads the pages after first one at a time, for an API that leaves
// total_count out, until a short page.
func (l *lister) sequential(ctx context.Context, first *ListDesktopSnapshotPage) (passResult, error) {
	r := passResult{snapshots: first.DesktopSnapshots, requests: 1}
	for last := first; len(last.DesktopSnapshots) == PageLimit; {
		if r.requests == maxPages {
			return r, fmt.Errorf("stopped after %d full pages (%d snapshots): the API kept returning full pages without a total_count", maxPages, len(r.snapshots))
		}
		p, err := l.page(ctx, r.requests*PageLimit)
		if err != nil {
			return r, err
		}
		r.requests++
		r.snapshots = append(r.snapshots, p.DesktopSnapshots...)
		last = p
	}
	r.unsettled = duplicate(r.snapshots)
	return r, nil
}

// duplicate names the first snapshot_id that appears twice, or returns "".
func duplicate(snapshots []DesktopSnapshot) string {
	seen := make(map[string]int, len(snapshots))
	for i, s := range snapshots {
		if s.SnapshotID == nil {
			continue
		}
		if j, ok := seen[*s.SnapshotID]; ok {
			return fmt.Sprintf("snapshot_id %s appeared at positions %d and %d", *s.SnapshotID, j, i)
		}
		seen[*s.SnapshotID] = i
	}
	return ""
}

func overstated(total int64, n, offset int) string {
	return fmt.Sprintf("The API's total_count said %d snapshots, but the listing ended at %d, with a short page at offset %d; "+
		"the %d snapshots returned are the whole listing.", total, n, offset, n)
}

func count(p *int64) string {
	if p == nil {
		return "nothing"
	}
	return strconv.FormatInt(*p, 10)
}
