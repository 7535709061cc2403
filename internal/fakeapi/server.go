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
	// Desktops are desktops beyond those the snapshots name (jobs.go).
	Desktops []Desktop
	// Lists are the items of other listed objects, by the last segment of
	// their path (lists.go).
	Lists map[string]List
}

// Options configure a Server.
type Options struct {
	Credentials []Credential
	Projects    []Project
	// Now replaces time.Now when checking X-Sdk-Date.
	Now func() time.Time
	// Latency is added to every answer, while the request counts as in flight,
	// as a distant gateway would: it makes concurrency visible to MaxInFlight.
	Latency time.Duration
	// JobDuration is how long a batch snapshot job runs (jobs.go); 0 ends it
	// at once.
	JobDuration time.Duration
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
	// Body is the request's body (nil for none).
	Body []byte
	// SigningAlgorithm is the scheme the Authorization header names, such as
	// SDK-HMAC-SM3 ("" without one); Status says whether it verified.
	SigningAlgorithm string
	// Fault names the fault the request got: "status", "drop", "truncate",
	// "hang", "insert", "inflate", or "" for none.
	Fault string
	// InFlight is how many requests the fake was serving when this one arrived,
	// itself included.
	InFlight int
	// Start is when the request arrived; End is when its answer was decided,
	// before a byte of it was written (so a client that has read the answer sees
	// it set), or, for a Hang, when the hang ended. End is zero while a Hang
	// holds the request.
	Start, End time.Time
}

// Fault is something the fake does to a request instead of answering it
// normally: it replaces the answer (Status), sends none (Drop, Hang), sends part
// of it (Truncate), or changes the data or the answer (Insert, InflateTotal).
// Faults apply only to requests whose signature passed, and the request is
// recorded all the same, with Request.Fault naming the kind.
//
// A Fault does one thing: when several of its fields are set, the first of Drop,
// Hang, Truncate, Status, Insert, InflateTotal wins. A Fault with none of them set
// is used up without effect.
type Fault struct {
	// Path, when set, limits the fault to requests whose path has this prefix.
	Path string
	// Skip is how many matching requests the fault lets through untouched before
	// it applies.
	Skip int
	// Times is how many requests it applies to; 0 means 1, negative means every
	// matching request, forever.
	Times int

	// Processed makes a Status fault answer after the request was carried
	// out, as a gateway that times out on a slow backend does; otherwise the
	// request has no effect.
	Processed bool
	// Status, Body and ContentType replace the answer; RetryAfter, when set, is
	// sent with it as the Retry-After header (seconds or an HTTP date).
	Status      int
	Body        string
	ContentType string
	RetryAfter  string
	// Drop closes the connection without writing an answer.
	//
	// Go's http.Transport resends an idempotent request (a GET) by itself when a
	// connection it reused from its pool is closed before the first byte of the
	// answer, so a client only sees the error when the dropped request came on a
	// new connection; otherwise the fake records the drop and then the resent
	// request.
	Drop bool
	// Truncate builds the real answer, sends its status and headers declaring the
	// full Content-Length, writes only the first Truncate bytes of the body and
	// closes the connection: the client reads io.ErrUnexpectedEOF mid-body.
	Truncate int
	// Hang never answers: the request is held until the client goes away or
	// Server.Close is called, and it counts as in flight meanwhile. Its connection
	// is taken over from the http.Server (hijacked), so closing an
	// httptest.Server or http.Server does not wait for it.
	Hang bool
	// Insert adds this many new snapshots at the front of the default order of
	// the project in the request's URI (as Server.Insert does), then answers
	// normally: the answer already includes them.
	Insert int
	// InflateTotal answers normally but with total_count increased by this much.
	InflateTotal int
}

// Fault kinds, as recorded in Request.Fault.
const (
	FaultStatus   = "status"
	FaultDrop     = "drop"
	FaultTruncate = "truncate"
	FaultHang     = "hang"
	FaultInsert   = "insert"
	FaultInflate  = "inflate"
)

// kind is what f does, as recorded in Request.Fault.
func (f *Fault) kind() string {
	switch {
	case f.Drop:
		return FaultDrop
	case f.Hang:
		return FaultHang
	case f.Truncate > 0:
		return FaultTruncate
	case f.Status != 0:
		return FaultStatus
	case f.Insert > 0:
		return FaultInsert
	case f.InflateTotal != 0:
		return FaultInflate
	}
	return ""
}

// Server is the fake API, an http.Handler.
type Server struct {
	opts Options

	mu         sync.Mutex
	projects   map[string]*Project
	requests   []*Request
	faults     []Fault
	chaos      *chaosState
	seq        int
	inserted   int                // snapshots inserted so far, for unique IDs
	pages      map[pageKey][]byte // marshalled ListDesktopSnapshot answers
	generation int                // counts Inserts, for pageKey
	skew       int                // added to every total_count, see SetTotalCountSkew

	closed    chan struct{}
	closeOnce sync.Once

	creds *credState // the credential services (creds.go), nil until configured
	jobs  *jobState  // the batch jobs (jobs.go), nil until the first

	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

// SetTotalCountSkew makes every ListDesktopSnapshot answer overstate (or, when
// negative, understate) total_count by n, consistently, as a gateway with a
// stale count cache would; unlike the InflateTotal fault it combines with chaos.
// Reset does not clear it.
func (s *Server) SetTotalCountSkew(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skew = n
}

// NewServer returns a fake serving opts.
func NewServer(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, projects: map[string]*Project{}, closed: make(chan struct{}), pages: map[pageKey][]byte{}}
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
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
	}
	return out
}

// Reset forgets recorded requests, pending faults and chaos. Snapshots inserted
// stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.faults, s.chaos = nil, nil, nil
	s.maxInFlight.Store(0)
}

// Fail queues f: the next matching requests get it after their signature passed.
// Queued faults are tried in order: a request passes each fault whose Path
// matches, using up one of its Skip, until one applies.
func (s *Server) Fail(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	f.Skip = max(f.Skip, 0)
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
	// retryAfter is the Retry-After header, when set.
	retryAfter string
	// marshalled, when set, is body already marshalled (a cached page).
	marshalled []byte
	// subjectToken is sent as X-Subject-Token (the OIDC exchange, creds.go).
	subjectToken string
}

func errAnswer(status int, code, msg string) answer {
	return answer{status: status, body: apiError{ErrorCode: code, ErrorMsg: msg}, code: code}
}

// ServeHTTP authenticates, applies faults, routes and records every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	n := s.inFlight.Add(1)
	// A request stops counting as in flight once its answer is decided, before a
	// byte of it is written: a client that has read the answer never sees its
	// own request still counted. A Hang counts until it ends.
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

	r = keepBody(r)
	var ak string
	a, unsigned := s.unsigned(r, requestID)
	if !unsigned {
		ak, a = s.authenticate(r)
	}
	var f Fault
	if a.status == 0 { // the signature passed
		f = s.takeFault(r.URL.Path)
		switch f.kind() {
		case FaultDrop, FaultHang: // no answer
		case FaultStatus:
			if f.Processed {
				s.route(r, ak)
			}
			a = faultAnswer(f)
		case FaultInsert:
			if projectID, ok := uriProject(r.URL.Path); ok {
				s.Insert(projectID, f.Insert)
			}
			a = s.route(r, ak)
		default:
			a = s.route(r, ak)
			if resp, ok := a.body.(listResponse); ok && f.kind() == FaultInflate {
				resp.TotalCount += f.InflateTotal
				a.body, a.marshalled = resp, nil
			}
		}
	}
	kind := f.kind()
	if s.opts.Latency > 0 && kind != FaultHang {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}

	rec := &Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(), Body: requestBody(r),
		Header: r.Header.Clone(), AccessKey: ak, SigningAlgorithm: authScheme(r), Status: a.status, ErrorCode: a.code, RequestID: requestID,
		Fault: kind, InFlight: int(n), Start: start,
	}
	if kind != FaultHang {
		rec.End = time.Now()
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	switch kind {
	case FaultHang:
		s.hang(w, r, rec)
		return
	case FaultDrop:
		done()
		drop(w)
		return
	}

	done()
	raw, ctype := []byte(a.raw), a.ctype
	if a.marshalled != nil {
		raw, ctype = a.marshalled, "application/json;charset=UTF-8"
	} else if a.body != nil {
		b, err := marshal(a.body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		raw, ctype = b, "application/json;charset=UTF-8"
	}
	h := w.Header()
	h.Set("X-Request-Id", requestID)
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	if a.subjectToken != "" {
		h.Set("X-Subject-Token", a.subjectToken)
	}
	if kind == FaultTruncate {
		truncate(w, a.status, raw, f.Truncate)
		return
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(raw)
}

// takeFault returns the fault r's path gets, if any: the first queued fault
// that matches and has no Skip left (using it up), else one drawn by chaos.
func (s *Server) takeFault(path string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if !hasPrefix(path, f.Path) {
			continue
		}
		if f.Skip > 0 {
			f.Skip--
			continue
		}
		// Copy before deleting: slices.Delete zeroes the vacated element f
		// points to, which turned a fault's last use into a normal answer.
		got := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return got
	}
	if s.chaos != nil {
		return s.chaos.draw(path)
	}
	return Fault{}
}

// faultAnswer is the answer a Status fault replaces the real one with.
func faultAnswer(f Fault) answer {
	a := answer{status: f.Status, raw: f.Body, ctype: f.ContentType, retryAfter: f.RetryAfter}
	var e apiError
	if json.Unmarshal([]byte(f.Body), &e) == nil {
		a.code = e.ErrorCode
	}
	return a
}

func (s *Server) route(r *http.Request, ak string) answer {
	if a, ok := s.credentialRoute(r, ak); ok {
		return a
	}
	if a, ok := s.jobRoute(r); ok {
		return a
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if a, ok := s.listRoute(r, parts); ok {
		return a
	}
	switch {
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "v3" && parts[1] == "projects":
		if a, ok := checkDomainHeader(r); !ok {
			return a
		}
		return s.listProjects(r)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v3" && parts[1] == "auth" && parts[2] == "domains":
		return listDomains()
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
	s.settle()
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

	// No copy: p.Snapshots is never changed in place (Insert replaces the
	// slice), so the slice read under the lock stays this request's snapshot of
	// the project, and Filter copies only what it filters or sorts.
	s.mu.Lock()
	p := s.projects[projectID]
	var all []Snapshot
	if p != nil {
		all = p.Snapshots
	}
	skew := s.skew
	key := pageKey{project: projectID, generation: s.generation, skew: skew, query: q.Encode()}
	cached := s.pages[key]
	s.mu.Unlock()
	if p == nil {
		return errAnswer(http.StatusNotFound, "WKS.0004", fmt.Sprintf("project %s not found", projectID))
	}

	matched := Filter(all, q)
	resp := listResponse{TotalCount: len(matched) + skew, DesktopSnapshots: []Snapshot{}}
	if offset < len(matched) {
		end := min(offset+limit, len(matched))
		resp.DesktopSnapshots = matched[offset:end]
	}
	a := answer{status: http.StatusOK, body: resp, marshalled: cached}
	if cached == nil {
		if b, err := marshal(resp); err == nil {
			s.mu.Lock()
			if len(s.pages) >= maxCachedPages {
				clear(s.pages)
			}
			s.pages[key] = b
			s.mu.Unlock()
			a.marshalled = b
		}
	}
	return a
}

// pageKey names one answer of ListDesktopSnapshot: the project, the
// generation of the data (every Insert starts a new one), the skew and the
// whole query.
type pageKey struct {
	project    string
	generation int
	skew       int
	query      string
}

// maxCachedPages bounds the cache of marshalled pages. The cache keeps the
// fake's JSON encoding (most of its CPU per page) off the cores the client under
// test shares with it: a real gateway's CPU is not the client's.
const maxCachedPages = 512

// Filter applies the API's filters (all of them, ANDed) and sorting to snapshots,
// given in the default order. Names and IDs match exactly; an array filter
// matches any of its values; disk_type ALL matches every disk. Sorting is stable:
// equal keys keep the default order. When q neither filters nor sorts, the
// result is snapshots itself, not a copy: callers must not change it.
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

	var key func(Snapshot) string
	switch q.Get("sort_field") {
	case "create_time":
		key = func(s Snapshot) string { return str(s.CreateTime) }
	case "snapshot_name":
		key = func(s Snapshot) string { return str(s.SnapshotName) }
	}
	if key == nil && !slices.ContainsFunc(preds, func(p func(Snapshot) bool) bool { return p != nil }) {
		return snapshots
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
	if key == nil {
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
