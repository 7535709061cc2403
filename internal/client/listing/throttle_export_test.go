package listing

import (
	"context"
	"time"
)

// The throttle's seams for its tests.

// slowDown is told of a 429 whose retry waits wait, from a request of the
// current epoch.
func (t *throttle) slowDown(ctx context.Context, wait time.Duration) {
	t.mu.Lock()
	epoch := t.epoch
	t.mu.Unlock()
	t.slowDownFrom(ctx, epoch, wait)
}

// current is the limit now, for tests and logs.
func (t *throttle) current() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.limit
}
