package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Credential is an access key the fake accepts. With a SecurityToken it is a
// temporary credential, and requests must carry that token, signed.
type Credential struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
}

// Project is an IAM project and the Workspace snapshots it holds, in the API's
// default order.
type Project struct {
	ID        string
	Name      string
	Snapshots []Snapshot
}

// Options configure a Server.
type Options struct {
	Credentials []Credential
	Projects    []Project
	// Now replaces time.Now when checking X-Sdk-Date.
	Now func() time.Time
}

// Request is what the fake recorded of one request.
type Request struct {
	Method    string
	Path      string
	RawQuery  string
	Query     url.Values
	Header    http.Header
	AccessKey string
	Status    int
	ErrorCode string
	RequestID string
}

// Fault is an answer the fake gives instead of the real one.
type Fault struct {
	// Path, when set, limits the fault to requests whose path has this prefix.
	Path        string
	Status      int
	Body        string
	ContentType string
	// Times is how many requests it answers; 0 means 1.
	Times int
}

// Server is the fake API, an http.Handler.
type Server struct {
	opts Options

	mu       sync.Mutex
	projects map[string]*Project
	requests []Request
	faults   []Fault
	seq      int

	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

// NewServer returns a fake serving opts.
func NewServer(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, projects: map[string]*Project{}}
	for i := range opts.Projects {
		p := opts.Projects[i]
		p.Snapshots = slices.Clone(p.Snapshots)
		s.projects[p.ID] = &p
	}
	return s
}

// Requests returns a copy of what was recorded, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Reset forgets recorded requests and pending faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.faults = nil, nil
	s.maxInFlight.Store(0)
}

// Fail queues f: the next matching requests get it after their signature passed.
func (s *Server) Fail(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// MaxInFlight is the largest number of requests the fake was serving at once.
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

// Snapshots returns a copy of a project's snapshots in the API's default order.
func (s *Server) Snapshots(projectID string) []Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.projects[projectID]; p != nil {
		return slices.Clone(p.Snapshots)
	}
	return nil
}

// apiError is the API's error shape.
type apiError struct {
	ErrorCode                   string `json:"error_code,omitempty"`
	ErrorMsg                    string `json:"error_msg,omitempty"`
	ErrorDetail                 string `json:"error_detail,omitempty"`
	EncodedAuthorizationMessage string `json:"encoded_authorization_message,omitempty"`
}

// answer is a response under construction.
type answer struct {
	status int
	body   any    // marshalled as JSON
	raw    string // sent as is when body is nil
	ctype  string
	code   string // error_code, for the record
}

func errAnswer(status int, code, msg string) answer {
	return answer{status: status, body: apiError{ErrorCode: code, ErrorMsg: msg}, code: code}
}

// ServeHTTP authenticates, routes and records every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	// A request stops counting as in flight once its answer is decided, before a
	// byte of it is written: a client that has read the answer never sees its
	// own request still counted.
	inFlight := true
	done := func() {
		if inFlight {
			inFlight = false
			s.inFlight.Add(-1)
		}
	}
	defer done()
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}

	s.mu.Lock()
	s.seq++
	requestID := fmt.Sprintf("%032x", s.seq)
	s.mu.Unlock()

	ak, a := s.authenticate(r)
	if a.status == 0 {
		a = s.takeFault(r.URL.Path)
	}
	if a.status == 0 {
		a = s.route(r)
	}

	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(),
		Header: r.Header.Clone(), AccessKey: ak, Status: a.status, ErrorCode: a.code, RequestID: requestID,
	})
	s.mu.Unlock()

	done()
	w.Header().Set("X-Request-Id", requestID)
	if a.body != nil {
		raw, err := marshal(a.body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(a.status)
		_, _ = w.Write(raw)
		return
	}
	if a.ctype != "" {
		w.Header().Set("Content-Type", a.ctype)
	}
	w.WriteHeader(a.status)
	_, _ = w.Write([]byte(a.raw))
}

func (s *Server) takeFault(path string) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Path != "" && !strings.HasPrefix(path, f.Path) {
			continue
		}
		f.Times--
		// Build the answer before deleting: slices.Delete zeroes the vacated
		// element f points to, which turned a fault's last use into a normal answer.
		a := answer{status: f.Status, raw: f.Body, ctype: f.ContentType}
		body := f.Body
		if f.Times == 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		var e apiError
		if json.Unmarshal([]byte(body), &e) == nil {
			a.code = e.ErrorCode
		}
		return a
	}
	return answer{}
}

func (s *Server) route(r *http.Request) answer {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "v3" && parts[1] == "projects":
		return s.listProjects(r)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v2" && parts[2] == "snapshots":
		return s.listSnapshots(r, parts[1])
	}
	return errAnswer(http.StatusNotFound, "APIG.0101", "The API does not exist or has not been published in the environment")
}

type iamProject struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  bool   `json:"enabled"`
	ParentID string `json:"parent_id"`
}

func (s *Server) listProjects(r *http.Request) answer {
	name, filtered := r.URL.Query()["name"]
	found := []iamProject{}
	for _, p := range s.opts.Projects {
		if filtered && p.Name != name[0] {
			continue
		}
		found = append(found, iamProject{ID: p.ID, Name: p.Name, DomainID: DomainID, Enabled: true, ParentID: DomainID})
	}
	self := "http://" + r.Host + r.URL.RequestURI()
	return answer{status: http.StatusOK, body: map[string]any{"projects": found, "links": map[string]any{"self": self}}}
}

// listResponse is ListDesktopSnapshot's 200 body.
type listResponse struct {
	TotalCount       int        `json:"total_count"`
	DesktopSnapshots []Snapshot `json:"desktop_snapshots"`
}

// enums are the enumerated query parameters and their values, checked in the API
// page's order so that the first invalid one is named.
var enums = []struct {
	key     string
	allowed []string
}{
	{"disk_type", []string{"SYSTEM_DISK", "DATA_DISKS", "ALL"}},
	{"create_type", []string{"AUTO", "MANUALLY"}},
	{"status", []string{"creating", "restoring", "create_success", "create_failed", "restore_success", "restore_failed"}},
	{"sort_field", []string{"create_time", "snapshot_name"}},
	{"sort_type", []string{"ASC", "DESC"}},
}

func badRequest(format string, args ...any) answer {
	return errAnswer(http.StatusBadRequest, "WKS.0001", "Invalid parameter: "+fmt.Sprintf(format, args...))
}

// intParam parses an optional integer query parameter within [lo, hi].
func intParam(q url.Values, key string, def, lo, hi int) (int, bool) {
	if _, ok := q[key]; !ok {
		return def, true
	}
	v, err := strconv.Atoi(q.Get(key))
	if err != nil || v < lo || v > hi {
		return 0, false
	}
	return v, true
}

func (s *Server) listSnapshots(r *http.Request, projectID string) answer {
	q := r.URL.Query()
	limit, ok := intParam(q, "limit", 1000, 1, 1000)
	if !ok {
		return badRequest("limit must be an integer from 1 to 1000, got %q", q.Get("limit"))
	}
	offset, ok := intParam(q, "offset", 0, 0, int(^uint32(0)>>1))
	if !ok {
		return badRequest("offset must be an integer from 0, got %q", q.Get("offset"))
	}
	for _, e := range enums {
		if vs, ok := q[e.key]; ok && !slices.Contains(e.allowed, vs[0]) {
			return badRequest("%s must be one of %s, got %q", e.key, strings.Join(e.allowed, ", "), vs[0])
		}
	}
	if hdr := r.Header.Get("X-Project-Id"); hdr != "" && hdr != projectID {
		return errAnswer(http.StatusForbidden, "WKS.0003", "X-Project-Id does not match the project in the URI")
	}

	s.mu.Lock()
	p := s.projects[projectID]
	var all []Snapshot
	if p != nil {
		all = slices.Clone(p.Snapshots)
	}
	s.mu.Unlock()
	if p == nil {
		return errAnswer(http.StatusNotFound, "WKS.0004", fmt.Sprintf("project %s not found", projectID))
	}

	matched := Filter(all, q)
	resp := listResponse{TotalCount: len(matched), DesktopSnapshots: []Snapshot{}}
	if offset < len(matched) {
		end := min(offset+limit, len(matched))
		resp.DesktopSnapshots = matched[offset:end]
	}
	return answer{status: http.StatusOK, body: resp}
}

// Filter applies the API's filters (all of them, ANDed) and sorting to snapshots,
// given in the default order. Names and IDs match exactly; an array filter
// matches any of its values; disk_type ALL matches every disk. Sorting is stable:
// equal keys keep the default order.
func Filter(snapshots []Snapshot, q url.Values) []Snapshot {
	one := func(key string, field func(Snapshot) *string) func(Snapshot) bool {
		vs, ok := q[key]
		if !ok {
			return nil
		}
		return func(s Snapshot) bool { return str(field(s)) == vs[0] && field(s) != nil }
	}
	anyOf := func(key string, field func(Snapshot) *string) func(Snapshot) bool {
		vs, ok := q[key]
		if !ok {
			return nil
		}
		return func(s Snapshot) bool { return field(s) != nil && slices.Contains(vs, *field(s)) }
	}
	desktopID := func(s Snapshot) *string { return s.DesktopID }
	desktopName := func(s Snapshot) *string { return s.DesktopName }
	snapshotName := func(s Snapshot) *string { return s.SnapshotName }
	preds := []func(Snapshot) bool{
		one("desktop_id", desktopID), anyOf("desktop_ids", desktopID),
		one("desktop_name", desktopName), anyOf("desktop_names", desktopName),
		one("snapshot_name", snapshotName), anyOf("snapshot_names", snapshotName),
		one("create_type", func(s Snapshot) *string { return s.CreateType }),
		one("status", func(s Snapshot) *string { return s.Status }),
	}
	switch q.Get("disk_type") {
	case "SYSTEM_DISK":
		preds = append(preds, func(s Snapshot) bool { return s.IsSystemDisk != nil && *s.IsSystemDisk })
	case "DATA_DISKS":
		preds = append(preds, func(s Snapshot) bool { return s.IsSystemDisk != nil && !*s.IsSystemDisk })
	}

	out := make([]Snapshot, 0, len(snapshots))
next:
	for _, s := range snapshots {
		for _, p := range preds {
			if p != nil && !p(s) {
				continue next
			}
		}
		out = append(out, s)
	}

	var key func(Snapshot) string
	switch q.Get("sort_field") {
	case "create_time":
		key = func(s Snapshot) string { return str(s.CreateTime) }
	case "snapshot_name":
		key = func(s Snapshot) string { return str(s.SnapshotName) }
	default:
		return out
	}
	desc := q.Get("sort_type") == "DESC"
	slices.SortStableFunc(out, func(a, b Snapshot) int {
		c := strings.Compare(key(a), key(b))
		if desc {
			return -c
		}
		return c
	})
	return out
}

// marshal writes JSON as the API does: without escaping <, > and & as \u003c etc.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
