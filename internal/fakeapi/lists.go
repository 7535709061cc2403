package fakeapi

import (
	"fmt"
	"net/http"
)

// List is one listed object's items in a project, for an object the fake has
// no code of its own for: a test gives the items, and the fake answers GET
// /<version>/{project_id}/<name> (name being the key of Project.Lists) with
// pages of them, by offset and limit (at most 1000), filtered by every other
// query key that names a field (exact match of its text), in the given order.
// Adding a listed object to the provider thus needs no change here.
type List struct {
	// ItemsKey is the key of a page's items, beside total_count.
	ItemsKey string
	Items    []map[string]any
}

// listRoute answers a GET of one of the project's Lists; ok is false for any
// other request.
func (s *Server) listRoute(r *http.Request, parts []string) (a answer, ok bool) {
	if r.Method != http.MethodGet || len(parts) != 3 {
		return answer{}, false
	}
	s.mu.Lock()
	var l List
	if p := s.projects[parts[1]]; p != nil {
		l, ok = p.Lists[parts[2]]
	}
	s.mu.Unlock()
	if !ok {
		return answer{}, false
	}
	q := r.URL.Query()
	limit, ok := intParam(q, "limit", 1000, 1, 1000)
	if !ok {
		return badRequest("limit must be an integer from 1 to 1000, got %q", q.Get("limit")), true
	}
	offset, ok := intParam(q, "offset", 0, 0, int(^uint32(0)>>1))
	if !ok {
		return badRequest("offset must be an integer from 0, got %q", q.Get("offset")), true
	}
	matched := []map[string]any{}
	for _, it := range l.Items {
		keep := true
		for key := range q {
			if key != "limit" && key != "offset" && (it[key] == nil || fmt.Sprint(it[key]) != q.Get(key)) {
				keep = false
			}
		}
		if keep {
			matched = append(matched, it)
		}
	}
	page := matched[min(offset, len(matched)):min(offset+limit, len(matched))]
	return answer{status: http.StatusOK, body: map[string]any{l.ItemsKey: page, "total_count": len(matched)}}, true
}
