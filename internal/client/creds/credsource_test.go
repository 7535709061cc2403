package creds_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds/credstest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// Keys are used until 5 minutes before their expiry, and renewed from then on.
func TestRefreshingSourceRenewsFiveMinutesAhead(t *testing.T) {
	clock := credstest.NewFakeClock(credstest.T0)
	var calls atomic.Int64
	s := creds.NewRefreshingSource(creds.RefreshingConfig{Fetch: credstest.CountingFetch(clock, 15*time.Minute, &calls), Now: clock.Now})
	ctx := context.Background()
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "K1"},
		{9*time.Minute + 59*time.Second, "K1"}, // 5 min 1 s left
		{time.Second, "K2"},                    // exactly 5 min left: renewed
		{5 * time.Minute, "K2"},
		{5 * time.Minute, "K3"},
		{time.Hour, "K4"}, // long expired
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		c, err := s.Credentials(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.AccessKey != st.want {
			t.Fatalf("step %d at %s: keys %s, want %s", i, clock.Now().Sub(credstest.T0), c.AccessKey, st.want)
		}
	}
	if exp, n := s.Expiry(); n != 4 || !exp.Equal(clock.Now().Add(15*time.Minute)) {
		t.Fatalf("Expiry() = %s, %d renewals", exp, n)
	}
}

// Page workers that need keys while a renewal runs wait for it: one fetch,
// whatever the number of callers.
func TestRefreshingSourceOneRenewalAtATime(t *testing.T) {
	clock := credstest.NewFakeClock(credstest.T0)
	var calls, inFetch, maxInFetch atomic.Int64
	release := make(chan struct{})
	s := creds.NewRefreshingSource(creds.RefreshingConfig{Now: clock.Now, Fetch: func(ctx context.Context) (sign.Credentials, time.Time, error) {
		n := inFetch.Add(1)
		defer inFetch.Add(-1)
		if n > maxInFetch.Load() {
			maxInFetch.Store(n)
		}
		<-release
		calls.Add(1)
		return sign.Credentials{AccessKey: "K", SecretKey: "s"}, clock.Now().Add(time.Hour), nil
	}})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.Credentials(context.Background())
			if err == nil && c.AccessKey != "K" {
				err = fmt.Errorf("keys %q", c.AccessKey)
			}
			errs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all queue
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 1 || maxInFetch.Load() != 1 {
		t.Fatalf("%d fetches, %d at once; want 1 and 1", calls.Load(), maxInFetch.Load())
	}
}

// A caller whose context ends while another renews gives up, saying why.
func TestRefreshingSourceWaitHonoursContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := creds.NewRefreshingSource(creds.RefreshingConfig{Fetch: func(context.Context) (sign.Credentials, time.Time, error) {
		<-release
		return sign.Credentials{AccessKey: "K"}, time.Now().Add(time.Hour), nil
	}})
	go func() { _, _ = s.Credentials(context.Background()) }()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := s.Credentials(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for the renewal of temporary keys") {
		t.Fatalf("err = %v", err)
	}
}

// Invalidate drops only the refused keys: keys another worker renewed
// meanwhile stay.
func TestRefreshingSourceInvalidate(t *testing.T) {
	clock := credstest.NewFakeClock(credstest.T0)
	var calls atomic.Int64
	s := creds.NewRefreshingSource(creds.RefreshingConfig{Fetch: credstest.CountingFetch(clock, time.Hour, &calls), Now: clock.Now})
	ctx := context.Background()
	k1, _ := s.Credentials(ctx)
	s.Invalidate(k1)
	k2, _ := s.Credentials(ctx)
	s.Invalidate(k1) // a late 401 for the old keys
	k2again, _ := s.Credentials(ctx)
	if k1.AccessKey != "K1" || k2.AccessKey != "K2" || k2again.AccessKey != "K2" || calls.Load() != 2 {
		t.Fatalf("keys %s, %s, %s after %d fetches", k1.AccessKey, k2.AccessKey, k2again.AccessKey, calls.Load())
	}
	if transport.Static(k1).Renewable() || !s.Renewable() {
		t.Fatal("Renewable")
	}
}
