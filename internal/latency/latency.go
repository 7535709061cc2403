// Package latency puts a fixed delay in front of an http.Handler, as a distant
// API gateway would, and records at the server when the first request of a
// measurement arrived and when the last answer was written: the fetch window that
// the benchmarks compare with the sequential floor (pages × delay).
package latency

import (
	"net/http"
	"sync"
	"time"
)

// Handler delays every request by Delay, then serves it with Next.
type Handler struct {
	Next  http.Handler
	Delay time.Duration

	mu          sync.Mutex
	first, last time.Time
	requests    int
	inFlight    int
	maxInFlight int
	serving     time.Duration
}

// Window is what the server saw of the requests since the last Reset.
type Window struct {
	// First is when the first request arrived, Last when the last answer was
	// written (after the delay and the fake's own work).
	First, Last time.Time
	// Requests is how many requests arrived; MaxInFlight how many were being
	// served (delayed or answered) at once at most.
	Requests, MaxInFlight int
	// Serving is the time Next took, summed over the requests: the fake's own
	// work, which shares the machine's cores with the client being measured.
	Serving time.Duration
}

// Duration is the fetch window: first request to last answer.
func (w Window) Duration() time.Duration {
	if w.First.IsZero() || w.Last.IsZero() {
		return 0
	}
	return w.Last.Sub(w.First)
}

// ServeHTTP waits Delay (or until the client gives up), then answers with Next.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	h.mu.Lock()
	if h.first.IsZero() || arrived.Before(h.first) {
		h.first = arrived
	}
	h.requests++
	h.inFlight++
	h.maxInFlight = max(h.maxInFlight, h.inFlight)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.inFlight--
		h.mu.Unlock()
	}()

	if h.Delay > 0 {
		t := time.NewTimer(h.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	served := time.Now()
	h.Next.ServeHTTP(w, r)

	// Recorded before returning: the server sends the end of the answer (its
	// last buffered bytes, the end of a chunked body) only after this handler
	// returns, so a client that has read an answer finds it counted.
	answered := time.Now()
	h.mu.Lock()
	if answered.After(h.last) {
		h.last = answered
	}
	h.serving += answered.Sub(served)
	h.mu.Unlock()
}

// Window returns what was recorded since the last Reset.
func (h *Handler) Window() Window {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Window{First: h.first, Last: h.last, Requests: h.requests, MaxInFlight: h.maxInFlight, Serving: h.serving}
}

// Reset starts a new measurement.
func (h *Handler) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.first, h.last = time.Time{}, time.Time{}
	h.requests, h.maxInFlight, h.serving = 0, h.inFlight, 0
}
