// Package credstest holds what the tests of the credential sources share: a
// clock the test moves and a Fetch that counts its calls. Only tests import it.
package credstest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// FakeClock is a clock the test moves.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeClock is a FakeClock at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{t: t} }

// Now is the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock d ahead.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// T0 is the tests' start time.
var T0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// CountingFetch issues keys K1, K2, … that expire life after the clock's now.
func CountingFetch(clock *FakeClock, life time.Duration, calls *atomic.Int64) creds.Fetch {
	return func(context.Context) (sign.Credentials, time.Time, error) {
		n := calls.Add(1)
		return sign.Credentials{AccessKey: fmt.Sprintf("K%d", n), SecretKey: "s", SecurityToken: "t"}, clock.Now().Add(life), nil
	}
}
