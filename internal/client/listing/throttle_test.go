package listing

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestThrottleHalvesDownToOne(t *testing.T) {
	th := newThrottle(8)
	ctx := context.Background()
	for _, want := range []int{4, 2, 1, 1, 1} {
		th.slowDown(ctx, 0)
		if got := th.current(); got != want {
			t.Fatalf("limit %d after a 429, want %d", got, want)
		}
	}
	one := newThrottle(1)
	one.slowDown(ctx, 0)
	if got := one.current(); got != 1 {
		t.Errorf("a pool of 1: limit %d after a 429, want 1", got)
	}
	odd := newThrottle(7)
	odd.slowDown(ctx, 0)
	if got := odd.current(); got != 3 {
		t.Errorf("a pool of 7: limit %d after a 429, want 3", got)
	}
}

// TestThrottleAdditiveIncrease checks that the limit grows back by one slot
// each time limit successes have come in a row, up to the maximum and no
// further, and that a failure does not count.
func TestThrottleAdditiveIncrease(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(8)
	for range 3 {
		th.slowDown(ctx, 0) // 8 → 4 → 2 → 1
	}
	success := func() {
		t.Helper()
		epoch, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		th.release(epoch, true)
	}
	// From 1: 1 success → 2, 2 more → 3, 3 → 4, ..., 7 → 8.
	for limit := 1; limit < 8; limit++ {
		for i := range limit {
			if got := th.current(); got != limit {
				t.Fatalf("limit %d after %d successes at limit %d, want %d", got, i, limit, limit)
			}
			success()
		}
		if got := th.current(); got != limit+1 {
			t.Fatalf("limit %d after %d successes at limit %d, want %d", got, limit, limit, limit+1)
		}
	}
	for range 100 {
		success()
	}
	if got := th.current(); got != 8 {
		t.Errorf("limit %d after many successes, want the maximum 8", got)
	}

	// A failure does not count as a success.
	th.slowDown(ctx, 0) // 4
	for range 3 {
		success()
	}
	epoch, err := th.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	th.release(epoch, false)
	if got := th.current(); got != 4 {
		t.Errorf("limit %d after 3 successes and a failure at 4, want 4", got)
	}
	success()
	if got := th.current(); got != 5 {
		t.Errorf("limit %d after the 4th success at 4, want 5", got)
	}
}

// TestThrottleOldSlotsEarnNothing checks that the successes of requests
// admitted before a 429 do not earn slots back: they were sent at the old rate.
// Only requests admitted after it count.
func TestThrottleOldSlotsEarnNothing(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(8)
	var old []uint64
	for range 8 {
		epoch, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		old = append(old, epoch)
	}
	th.slowDown(ctx, 0) // the 1st of the 8 got a 429: 4
	for _, epoch := range old[1:] {
		th.release(epoch, true)
	}
	if got := th.current(); got != 4 {
		t.Fatalf("limit %d after 7 requests admitted before the 429 succeeded, want 4", got)
	}
	// Its retry holds the old slot, and succeeds: no credit either.
	th.release(old[0], true)
	if got := th.current(); got != 4 {
		t.Fatalf("limit %d after the retry of the throttled request succeeded, want 4", got)
	}
	for range 4 {
		epoch, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		th.release(epoch, true)
	}
	if got := th.current(); got != 5 {
		t.Errorf("limit %d after 4 requests admitted at 4 succeeded, want 5", got)
	}
}

// TestThrottleAcquireBlocksAtLimit checks that a pool at its limit admits no
// one until a slot is released.
func TestThrottleAcquireBlocksAtLimit(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(2)
	var epoch uint64
	for range 2 {
		var err error
		if epoch, err = th.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := make(chan error, 1)
	go func() {
		_, err := th.acquire(ctx)
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("acquire returned %v with both slots taken", err)
	case <-time.After(100 * time.Millisecond):
	}
	th.release(epoch, true)
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("acquire still blocked 5s after a slot was released")
	}
}

// TestThrottleAcquireBlocksDuringPause checks that no slot is given during a
// 429's pause, even with slots free, and that it is given when the pause ends.
func TestThrottleAcquireBlocksDuringPause(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(4)
	start := time.Now()
	th.slowDown(ctx, 300*time.Millisecond)
	if _, err := th.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 290*time.Millisecond || waited > 5*time.Second {
		t.Errorf("acquire returned %s into a 300ms pause", waited)
	}
	// waitPause, which a retry goes through, waits for the pause as well.
	start = time.Now()
	th.slowDown(ctx, 200*time.Millisecond)
	if err := th.waitPause(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 190*time.Millisecond || waited > 5*time.Second {
		t.Errorf("waitPause returned %s into a 200ms pause", waited)
	}
	// A shorter pause does not cut a longer one short.
	start = time.Now()
	th.slowDown(ctx, 300*time.Millisecond)
	th.slowDown(ctx, time.Millisecond)
	if err := th.waitPause(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 290*time.Millisecond {
		t.Errorf("waitPause returned %s into a 300ms pause followed by a 1ms one", waited)
	}
}

// TestThrottleAcquireCancelled checks that a waiter leaves when its context
// ends, at the limit and during a pause, and that it took no slot.
func TestThrottleAcquireCancelled(t *testing.T) {
	t.Run("at the limit", func(t *testing.T) {
		th := newThrottle(1)
		epoch, err := th.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan error, 1)
		go func() {
			_, err := th.acquire(ctx)
			got <- err
		}()
		time.Sleep(50 * time.Millisecond)
		cancel()
		select {
		case err := <-got:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("acquire returned %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("acquire still blocked 5s after cancel()")
		}
		th.release(epoch, true)
		// The cancelled waiter took nothing: the one slot is free.
		short, cancelShort := context.WithTimeout(context.Background(), time.Second)
		defer cancelShort()
		if _, err := th.acquire(short); err != nil {
			t.Errorf("acquire after the release: %v", err)
		}
	})
	t.Run("during a pause", func(t *testing.T) {
		th := newThrottle(4)
		th.slowDown(context.Background(), time.Hour)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := th.acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("acquire returned %v, want context.DeadlineExceeded", err)
		}
		if err := th.waitPause(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("waitPause returned %v, want context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited > 5*time.Second {
			t.Errorf("returned after %s", waited)
		}
	})
}

// TestThrottleBurstIsOneSignal checks that 429s to requests that were all sent
// before the pool slowed down halve it once, not once each, while a 429 to a
// request sent after the decrease halves it again; every 429 extends the pause.
func TestThrottleBurstIsOneSignal(t *testing.T) {
	ctx := context.Background()
	th := newThrottle(8)
	var epochs []uint64
	for range 8 {
		e, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		epochs = append(epochs, e)
	}
	for i, e := range epochs[:5] {
		th.slowDownFrom(ctx, e, time.Duration(i+1)*10*time.Millisecond)
	}
	if got := th.current(); got != 4 {
		t.Fatalf("limit %d after a burst of five 429s from one epoch, want 4", got)
	}
	th.mu.Lock()
	pause := time.Until(th.pauseUntil)
	th.mu.Unlock()
	if pause < 30*time.Millisecond {
		t.Errorf("pause %s left, want the longest wait of the burst (50ms)", pause)
	}
	th.slowDownFrom(ctx, th.currentEpoch(), 0)
	if got := th.current(); got != 2 {
		t.Errorf("limit %d after a 429 to a request sent at the new rate, want 2", got)
	}
}
