package latency_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/latency"
)

// Requests are delayed, counted, and the window spans first arrival to last
// answer; concurrent requests are counted in flight together. Only lower bounds
// on times are checked: a loaded machine may only make things slower.
func TestHandler(t *testing.T) {
	h := &latency.Handler{Delay: 20 * time.Millisecond, Next: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	})}
	srv := httptest.NewServer(h)
	defer srv.Close()

	get := func() {
		start := time.Now()
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		if d := time.Since(start); d < h.Delay {
			t.Errorf("answered after %s, before the delay of %s", d, h.Delay)
		}
	}
	get()
	get()
	w := h.Window()
	if w.Requests != 2 || w.MaxInFlight != 1 || w.Duration() < 2*h.Delay {
		t.Fatalf("sequential: %+v, window %s", w, w.Duration())
	}

	h.Reset()
	if w := h.Window(); w.Requests != 0 || w.Duration() != 0 {
		t.Fatalf("after Reset: %+v", w)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); get() }()
	}
	wg.Wait()
	if w := h.Window(); w.Requests != 3 || w.Duration() < h.Delay {
		t.Fatalf("concurrent: %+v, window %s", w, w.Duration())
	}
}
