// Package listing is the kit of a listed object: its fields declared once
// (Field, Object), the page decoder derived from them, and the generic pager
// (List) with its consistency passes and the AIMD pool of concurrent pages. It
// sends its requests through transport and knows no API of its own: package
// workspace declares the listings.
package listing

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// PageLimit is the API's largest page: the fewest round trips.
const PageLimit = 1000

// MaxPages bounds a listing whatever the API says: a million items, twenty
// times the largest estates seen.
const MaxPages = 1000

// maxPasses bounds how often a listing that changes while it is read is read
// again.
const maxPasses = 3

// Listing declares one paged list of the API, everything the generic pager
// needs: what it lists (for errors and logs), where, under which key a page
// holds its items, the items' fields, and the key that tells items apart.
// ListDesktopSnapshots is one use of it.
type Listing[T any] struct {
	// Noun names what is listed, plural and in lower case: "desktop snapshots";
	// Items names the items in counts: "snapshots".
	Noun  string
	Items string
	// FilterHint names some filters that narrow the listing, for the advice of
	// an UnsettledError: "desktop_id, create_type, status, ...".
	FilterHint string
	// Path is the list's URI for a project, unescaped: it becomes url.URL.Path,
	// which is escaped once on the wire, and the signer escapes each segment of
	// that same decoded path (as the official SDK does). Escaping here as well
	// would send, and sign, a double-escaped project ID (%2520 for a space).
	Path func(projectID string) string
	// ItemsKey is the key of a page's items: "desktop_snapshots". A page also
	// holds total_count.
	ItemsKey string
	// Object declares the items' fields; pages are decoded from it.
	Object *Object[T]
	// KeyName and Key name and read the field that identifies an item, which no
	// two items of a consistent listing share (nil: the item has none).
	KeyName string
	Key     func(*T) *string
}

// ListOptions change how a listing is read; the zero value reads it all.
type ListOptions[T any] struct {
	// Limit, when more than 0, reads the first page alone, of at most Limit
	// items: no more pages and no consistency passes (one page is one answer).
	Limit int
	// Find, when set, makes the listing look for one item: no page past the
	// one that holds an item Find accepts is asked for (pages already in
	// flight end), and Items is that first item alone, or empty when a whole,
	// consistent listing holds none.
	Find func(*T) bool
}

// ListOutput is what a listing read.
type ListOutput[T any] struct {
	Items []T
	// TotalCount is the first page's total_count; nil when the API left it out.
	TotalCount *int64
	// Requests is the number of pages fetched, over every pass; retries of a
	// page are not counted.
	Requests int
	// Passes is how many times the listing was read: more than 1 when it
	// changed while it was being read.
	Passes int
	// Warnings are oddities of the answers that did not stop the listing.
	Warnings []string
}

// List reads the listing l of projectID at endpoint, with the filters in q, in
// the API's order.
//
// Paging. The first page (offset 0, limit PageLimit) gives total_count; the other
// offsets are then known and fetched concurrently, at most Config.MaxConcurrency
// at once, in offset order, each page kept in its place. A short page ends the
// listing: no offset beyond it is asked for, so a total_count that overstates
// what the API returns costs at most a pool's worth of empty pages and a warning.
// Without total_count the pages are read one after another until a short one.
// Nothing reads more than MaxPages pages. A 429 slows the whole pool down (see
// throttle).
//
// Consistency. Offset paging shifts under inserts and deletes: an item created
// at the front while pages are read pushes every later one down a place, so a
// page repeats the last item of the page before it (or, after a delete, skips
// one). A pass is accepted only when every page reported the same total_count
// and no key appears twice; otherwise the whole listing is read again, up to
// maxPasses times, and then it fails with an *UnsettledError rather than return
// a wrong list. (A delete exactly balanced by an insert between two pages is
// invisible to offset paging, and so to this check.)
func List[T any](ctx context.Context, c *transport.Client, l *Listing[T], endpoint, projectID string, q sign.Query, opts ListOptions[T]) (*ListOutput[T], error) {
	start := time.Now()
	r := &lister[T]{c: c, l: l, endpoint: endpoint, projectID: projectID, filters: q, find: opts.Find, throttle: newThrottle(c.MaxConcurrency())}
	out := &ListOutput[T]{}
	if opts.Limit > 0 {
		p, err := r.page(ctx, 0, opts.Limit)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", l.Noun, err)
		}
		out.Items, out.TotalCount, out.Requests, out.Passes = p.Items, p.TotalCount, 1, 1
		return out, nil
	}
	var unsettled []string
	for pass := 1; pass <= maxPasses; pass++ {
		res, err := r.pass(ctx)
		out.Requests += res.requests
		out.Passes = pass
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", l.Noun, err)
		}
		if res.unsettled == "" {
			out.Items, out.TotalCount, out.Warnings = res.items, res.total, res.warnings
			tflog.Debug(ctx, "Listed "+l.Noun, map[string]any{
				"items": len(out.Items), "pages": out.Requests, "passes": pass,
				"duration_ms": time.Since(start).Milliseconds(),
			})
			return out, nil
		}
		unsettled = append(unsettled, res.unsettled)
		tflog.Debug(ctx, "The listing changed while it was read; reading it again", map[string]any{"pass": pass, "reason": res.unsettled})
	}
	return nil, &UnsettledError{Noun: l.Noun, Items: l.Items, FilterHint: l.FilterHint, Passes: maxPasses, Reasons: unsettled}
}

// UnsettledError is a listing that changed under every pass.
type UnsettledError struct {
	// Noun, Items and FilterHint are the Listing's.
	Noun, Items, FilterHint string
	Passes                  int
	Reasons                 []string
}

func (e *UnsettledError) Error() string {
	parts := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		parts[i] = fmt.Sprintf("pass %d: %s", i+1, r)
	}
	items := e.Items
	if items != "" {
		items = strings.ToUpper(items[:1]) + items[1:]
	}
	hint := ""
	if e.FilterHint != "" {
		hint = " (" + e.FilterHint + ")"
	}
	return fmt.Sprintf("listing %s: the listing changed while it was being read, %d times in a row (%s). "+
		"%s are being created or deleted faster than the listing can be read consistently; "+
		"try again later, or narrow the listing with filters%s so that it spans fewer pages",
		e.Noun, e.Passes, strings.Join(parts, "; "), items, hint)
}

// lister is one List call.
type lister[T any] struct {
	c         *transport.Client
	l         *Listing[T]
	endpoint  string
	projectID string
	filters   sign.Query
	find      func(*T) bool
	throttle  *throttle
}

// passResult is one reading of the whole listing.
type passResult[T any] struct {
	items    []T
	total    *int64
	requests int
	warnings []string
	// unsettled, when set, says how the listing was seen to change.
	unsettled string
}

// page fetches the page at offset, of at most limit items, through the pool.
func (r *lister[T]) page(ctx context.Context, offset, limit int) (*Page[T], error) {
	epoch, err := r.throttle.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("waiting for a turn to read offset %d: %w", offset, err)
	}
	q := append(sign.Query(nil), r.filters...)
	q.Add("offset", strconv.Itoa(offset))
	q.Add("limit", strconv.Itoa(limit))
	sl := &slot{t: r.throttle, epoch: epoch}
	p, err := transport.Do(ctx, r.c, transport.Request{Endpoint: r.endpoint, Path: r.l.Path(r.projectID), Query: q, ProjectID: r.projectID, Pool: sl}, r.l.DecodePage)
	r.throttle.release(sl.epoch, err == nil)
	if err != nil {
		return nil, fmt.Errorf("offset %d: %w", offset, err)
	}
	return p, nil
}

// found is the index of the first item of p that r looks for, or -1.
func (r *lister[T]) found(p *Page[T]) int {
	if r.find == nil || p == nil {
		return -1
	}
	for i := range p.Items {
		if r.find(&p.Items[i]) {
			return i
		}
	}
	return -1
}

// pass reads the listing once.
func (r *lister[T]) pass(ctx context.Context) (passResult[T], error) {
	first, err := r.page(ctx, 0, PageLimit)
	if err != nil {
		return passResult[T]{}, err
	}
	if i := r.found(first); i >= 0 {
		return passResult[T]{items: first.Items[i : i+1], total: first.TotalCount, requests: 1}, nil
	}
	if first.TotalCount == nil {
		return r.sequential(ctx, first)
	}
	total := *first.TotalCount
	n0 := len(first.Items)
	if n0 < PageLimit || int64(n0) >= total {
		res := passResult[T]{items: first.Items, total: first.TotalCount, requests: 1}
		if int64(n0) < total {
			res.warnings = append(res.warnings, r.overstated(total, n0, 0))
		}
		res.unsettled = r.duplicate(res.items)
		return r.result(res), nil
	}

	want := int((total + PageLimit - 1) / PageLimit)
	capped := want > MaxPages
	want = min(want, MaxPages)
	pages, requests, err := r.fetch(ctx, first, want)
	if err != nil {
		return passResult[T]{}, err
	}
	for _, p := range pages {
		if i := r.found(p); i >= 0 {
			return passResult[T]{items: p.Items[i : i+1], total: first.TotalCount, requests: requests}, nil
		}
	}
	res, err := r.settle(pages, total, want, capped, requests)
	res.total = first.TotalCount
	return r.result(res), err
}

// result is a settled pass as a search for one item gives it: nothing, since
// the item would have been found.
func (r *lister[T]) result(res passResult[T]) passResult[T] {
	if r.find != nil && res.unsettled == "" {
		res.items = nil
	}
	return res
}

// fetch reads pages 1..want-1 concurrently into their places, pages[0] being
// first. A short page, or one holding the item looked for, stops the dispatch
// of later offsets. The first error cancels the pages in flight and is returned
// once every goroutine has ended.
func (r *lister[T]) fetch(ctx context.Context, first *Page[T], want int) ([]*Page[T], int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make([]*Page[T], want)
	pages[0] = first
	var (
		mu       sync.Mutex
		next     = 1
		stop     = want
		requests = 1
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(r.c.MaxConcurrency(), want-1) {
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

				p, err := r.page(ctx, i*PageLimit, PageLimit)

				mu.Lock()
				if err != nil {
					// A page past the one found is not needed: its error is not the listing's.
					if firstErr == nil && (r.find == nil || i < stop) {
						firstErr = err
						cancel()
					}
					mu.Unlock()
					return
				}
				requests++
				pages[i] = p
				if (len(p.Items) < PageLimit || r.found(p) >= 0) && i+1 < stop {
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
func (r *lister[T]) settle(pages []*Page[T], total int64, want int, capped bool, requests int) (passResult[T], error) {
	res := passResult[T]{requests: requests}
	noun := r.l.Items
	end := len(pages) // pages[:end] make the listing: up to and including the first short page
	for i, p := range pages {
		if p == nil {
			continue
		}
		if i >= end {
			if len(p.Items) > 0 {
				res.unsettled = fmt.Sprintf("offset %d returned %d %s after offset %d returned a short page", i*PageLimit, len(p.Items), noun, (end-1)*PageLimit)
				return res, nil
			}
			continue
		}
		if p.TotalCount == nil || *p.TotalCount != total {
			res.unsettled = fmt.Sprintf("total_count went from %d at offset 0 to %s at offset %d", total, count(p.TotalCount), i*PageLimit)
			return res, nil
		}
		if len(p.Items) < PageLimit {
			end = i + 1
		}
	}
	n := 0
	for _, p := range pages[:end] {
		n += len(p.Items)
	}
	switch {
	case int64(n) > total:
		res.unsettled = fmt.Sprintf("the pages held %d %s, more than their total_count of %d", n, noun, total)
		return res, nil
	case capped && end == want && len(pages[end-1].Items) == PageLimit:
		return res, fmt.Errorf("total_count is %d, more than the %d %s (%d pages of %d) one listing reads; narrow the listing with filters", total, MaxPages*PageLimit, noun, MaxPages, PageLimit)
	case int64(n) < total:
		res.warnings = append(res.warnings, r.overstated(total, n, (end-1)*PageLimit))
	}
	res.items = make([]T, 0, n)
	for _, p := range pages[:end] {
		res.items = append(res.items, p.Items...)
	}
	res.unsettled = r.duplicate(res.items)
	return res, nil
}

// sequential reads the pages after first one at a time, for an API that leaves
// total_count out, until a short page (or the item looked for).
func (r *lister[T]) sequential(ctx context.Context, first *Page[T]) (passResult[T], error) {
	res := passResult[T]{items: first.Items, requests: 1}
	for last := first; len(last.Items) == PageLimit; {
		if res.requests == MaxPages {
			return res, fmt.Errorf("stopped after %d full pages (%d %s): the API kept returning full pages without a total_count", MaxPages, len(res.items), r.l.Items)
		}
		p, err := r.page(ctx, res.requests*PageLimit, PageLimit)
		if err != nil {
			return res, err
		}
		res.requests++
		if i := r.found(p); i >= 0 {
			return passResult[T]{items: p.Items[i : i+1], requests: res.requests}, nil
		}
		res.items = append(res.items, p.Items...)
		last = p
	}
	res.unsettled = r.duplicate(res.items)
	return r.result(res), nil
}

// duplicate names the first key that appears twice, or returns "".
func (r *lister[T]) duplicate(items []T) string {
	if r.l.Key == nil {
		return ""
	}
	seen := make(map[string]int, len(items))
	for i := range items {
		k := r.l.Key(&items[i])
		if k == nil {
			continue
		}
		if j, ok := seen[*k]; ok {
			return fmt.Sprintf("%s %s appeared at positions %d and %d", r.l.KeyName, *k, j, i)
		}
		seen[*k] = i
	}
	return ""
}

func (r *lister[T]) overstated(total int64, n, offset int) string {
	return fmt.Sprintf("The API's total_count said %d %s, but the listing ended at %d, with a short page at offset %d; "+
		"the %d %s returned are the whole listing.", total, r.l.Items, n, offset, n, r.l.Items)
}

func count(p *int64) string {
	if p == nil {
		return "nothing"
	}
	return strconv.FormatInt(*p, 10)
}
