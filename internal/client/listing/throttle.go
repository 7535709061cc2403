package listing

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// throttle is the pool of one listing's concurrent page requests. It admits at
// most limit requests at once. When the gateway throttles (HTTP 429), the whole
// pool backs off: the limit halves (down to 1) and no new request starts before
// the 429's wait has passed. Each success after that earns back one slot once
// limit successes have come in a row, up to the configured maximum (additive
// increase, multiplicative decrease, as TCP does). Only requests admitted after
// the latest 429 count: those already in flight were sent at the old rate, and
// their successes say nothing of the new one.
type throttle struct {
	mu         sync.Mutex
	max        int
	limit      int
	inFlight   int
	successes  int
	epoch      uint64 // counts the 429s; a slot is of the epoch it was given in
	pauseUntil time.Time
	wake       chan struct{} // closed and replaced whenever a waiter may proceed
}

func newThrottle(maxConcurrency int) *throttle {
	return &throttle{max: maxConcurrency, limit: maxConcurrency, wake: make(chan struct{})}
}

// broadcast wakes every waiter; t.mu must be held.
func (t *throttle) broadcast() {
	close(t.wake)
	t.wake = make(chan struct{})
}

// acquire waits for a slot (and for any pause to pass) or for ctx to end. It
// returns the slot's epoch, for release.
func (t *throttle) acquire(ctx context.Context) (uint64, error) {
	for {
		t.mu.Lock()
		pause := time.Until(t.pauseUntil)
		if pause <= 0 && t.inFlight < t.limit {
			t.inFlight++
			epoch := t.epoch
			t.mu.Unlock()
			return epoch, nil
		}
		wake := t.wake
		t.mu.Unlock()
		if err := sleep(ctx, pause, wake); err != nil {
			return 0, err
		}
	}
}

// release returns a slot of epoch; ok says whether its request succeeded.
func (t *throttle) release(epoch uint64, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inFlight--
	if ok && epoch == t.epoch && t.limit < t.max {
		t.successes++
		if t.successes >= t.limit {
			t.limit++
			t.successes = 0
		}
	}
	t.broadcast()
}

// slowDownFrom is told of a 429 to a request sent in epoch. Only a request sent
// since the last decrease halves the limit again: a burst of 429s to requests
// that were all in flight together is one signal, not one per request (8 would
// otherwise fall to 1 at once). Every 429 extends the pause.
func (t *throttle) slowDownFrom(ctx context.Context, epoch uint64, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if epoch == t.epoch {
		t.limit = max(1, t.limit/2)
		t.successes = 0
		t.epoch++
	}
	if until := time.Now().Add(wait); until.After(t.pauseUntil) {
		t.pauseUntil = until
	}
	tflog.Debug(ctx, "Huawei Cloud API throttled the listing: fewer pages at once", map[string]any{
		"concurrency": t.limit, "pause_ms": wait.Milliseconds(),
	})
	t.broadcast()
}

// currentEpoch is the epoch a request sent now belongs to.
func (t *throttle) currentEpoch() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.epoch
}

// slot is one admitted request of a pool: its retries run in it, and a 429 to
// it slows the pool down. It is the request's transport.Pool.
type slot struct {
	t     *throttle
	epoch uint64
}

// Throttled slows the pool down for a 429 to this slot's request.
func (s *slot) Throttled(ctx context.Context, wait time.Duration) {
	s.t.slowDownFrom(ctx, s.epoch, wait)
}

// Resume waits out the pool's pause; the retry is then sent at the pool's
// current rate.
func (s *slot) Resume(ctx context.Context) error {
	if err := s.t.waitPause(ctx); err != nil {
		return err
	}
	s.epoch = s.t.currentEpoch()
	return nil
}

// waitPause waits until no pause is in force, or ctx ends.
func (t *throttle) waitPause(ctx context.Context) error {
	for {
		t.mu.Lock()
		pause := time.Until(t.pauseUntil)
		wake := t.wake
		t.mu.Unlock()
		if pause <= 0 {
			return nil
		}
		if err := sleep(ctx, pause, wake); err != nil {
			return err
		}
	}
}

// sleep waits for d (forever when d <= 0), wake or the end of ctx, whichever
// comes first; only the last is an error.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	var timeout <-chan time.Time
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-wake:
	case <-timeout:
	}
	return nil
}
