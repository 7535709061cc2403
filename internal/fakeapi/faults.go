package fakeapi

import (
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Chaos gives faults at random: each request whose path has the prefix Path
// (every request when "") and whose signature passed gets, with probability
// Rate, one of Faults drawn uniformly among those whose own Path matches too.
// The Skip and Times of Faults are ignored. The draws come from a math/rand
// source seeded with Seed, so the same requests in the same order get the same
// faults. Faults queued with Fail take precedence: a request one of them takes
// does not draw.
type Chaos struct {
	Seed   int64
	Rate   float64
	Path   string
	Faults []Fault
}

// chaosState is Chaos and its random source, used under Server.mu.
type chaosState struct {
	Chaos
	rng *rand.Rand
}

// SetChaos replaces the chaos in effect (and restarts its random source from
// c.Seed); it stays until Reset or the next SetChaos. A zero Rate turns it off.
func (s *Server) SetChaos(c Chaos) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chaos = nil
	if c.Rate > 0 && len(c.Faults) > 0 {
		c.Faults = append([]Fault(nil), c.Faults...)
		s.chaos = &chaosState{Chaos: c, rng: rand.New(rand.NewSource(c.Seed))}
	}
}

// draw decides whether a request to path gets a fault. Callers hold Server.mu.
func (c *chaosState) draw(path string) Fault {
	if !hasPrefix(path, c.Path) || c.rng.Float64() >= c.Rate {
		return Fault{}
	}
	var candidates []Fault
	for _, f := range c.Faults {
		if hasPrefix(path, f.Path) {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		return Fault{}
	}
	return candidates[c.rng.Intn(len(candidates))]
}

// hasPrefix reports whether path is under prefix; "" is under every path.
func hasPrefix(path, prefix string) bool {
	return prefix == "" || strings.HasPrefix(path, prefix)
}

// uriProject is the project ID of a /v2/{project_id}/... path.
func uriProject(path string) (string, bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || parts[0] != "v2" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}

// Insert adds n new snapshots at the front of a project's default order, as if
// scheduled snapshots had just been taken, and returns them (nil for an unknown
// project or n < 1). They are deterministic and look like Generate's: AUTO,
// create_success, of the generated desktops desktop-0000 to desktop-0007, with
// UUID-shaped IDs from a counter (unique across every insert of the server)
// and create_time later than every snapshot of the project, newest first.
func (s *Server) Insert(projectID string, n int) []Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projects[projectID]
	if p == nil || n < 1 {
		return nil
	}
	newest := time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC) // Generate's newest
	for _, snap := range p.Snapshots {
		if t, err := time.Parse(time.RFC3339, str(snap.CreateTime)); err == nil && t.After(newest) {
			newest = t
		}
	}
	added := make([]Snapshot, n)
	for i := range added {
		// The front one is the newest and was taken last.
		s.inserted++
		added[n-1-i] = insertedSnapshot(s.inserted, newest.Add(time.Duration(i+1)*time.Minute))
	}
	p.Snapshots = append(append([]Snapshot(nil), added...), p.Snapshots...)
	s.generation++
	out := make([]Snapshot, n)
	copy(out, added)
	return out
}

// insertedSnapshot is the k-th inserted snapshot (k from 1), created at created.
// Desktops follow Generate's scheme so that in the large project they are the
// generated desktops; IDs differ from Generate's in their second group.
func insertedSnapshot(k int, created time.Time) Snapshot {
	d := (k - 1) % 8
	desktopName := fmt.Sprintf("desktop-%04d", d)
	s := Snapshot{
		SnapshotID:   S(fmt.Sprintf("%08x-1000-4000-8000-%012x", k, d)),
		SnapshotName: S(fmt.Sprintf("AUTOCREATED_%s_%d", desktopName, created.UnixMilli())),
		DesktopID:    S(fmt.Sprintf("dddddddd-%04x-4000-9000-%012x", d, d)),
		DesktopName:  S(desktopName),
		DesktopSID:   S(fmt.Sprintf("5151%04x-0000-4000-a000-%012x", d, d)),
		IsSystemDisk: B(k%2 == 1),
		Status:       S("create_success"),
		Description:  S(fmt.Sprintf("scheduled snapshot %d of %s", k, desktopName)),
		CreateTime:   S(created.Format(time.RFC3339)),
		CreateType:   S("AUTO"),
	}
	if d%2 == 0 {
		s.DesktopPoolID = S(fmt.Sprintf("pool-%04d", d/2))
	}
	return s
}

// Close ends every Hang in progress, closing its connection without an answer,
// and makes later Hang faults end at once. The fake goes on answering otherwise;
// stopping the http.Server that serves it is the caller's business.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
}

// drop closes the connection without writing anything.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not HTTP/1: abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// truncate sends status and the headers already set with a Content-Length of
// the whole body, the first n bytes of body, and closes the connection.
func truncate(w http.ResponseWriter, status int, body []byte, n int) {
	n = min(n, len(body))
	h := w.Header()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not HTTP/1: abort the stream after part of the body.
		w.WriteHeader(status)
		_, _ = w.Write(body[:n])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = h.Write(buf)
	_, _ = buf.WriteString("\r\n")
	_, _ = buf.Write(body[:n])
	_ = buf.Flush()
}

// hang holds r without answering until its client goes away or s is closed, then
// closes the connection and sets rec.End. The connection is hijacked so that
// closing the http.Server does not wait for it.
func (s *Server) hang(w http.ResponseWriter, r *http.Request, rec *Request) {
	defer func() {
		s.mu.Lock()
		rec.End = time.Now()
		s.mu.Unlock()
	}()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		panic(http.ErrAbortHandler) // end without an answer
	}
	defer conn.Close()
	gone := make(chan struct{})
	go func() {
		// The client sends nothing more on this connection while it waits for
		// the answer: the read ends when it closes the connection, or when the
		// deferred Close does.
		_, _ = io.Copy(io.Discard, buf)
		close(gone)
	}()
	select {
	case <-gone:
	case <-s.closed:
	}
}
