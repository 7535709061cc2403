package transport

import (
	"net/http"
	"testing"
	"time"
)

// TestBackoffFullJitter checks the default waits: retry n+1 waits a uniform draw
// in [0, min(0.5s·2^n, 10s)]. Over 2000 draws each, every draw is in range, they
// are not all equal, and the largest comes near the ceiling (the chance that
// 2000 uniform draws all stay below 90% of it is 0.9^2000, nil).
func TestBackoffFullJitter(t *testing.T) {
	p := New(Config{}).retry
	ceilings := []time.Duration{
		500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
		10 * time.Second, 10 * time.Second, 10 * time.Second, 10 * time.Second, 10 * time.Second, 10 * time.Second,
	}
	for n, ceiling := range ceilings {
		seen := map[time.Duration]bool{}
		var largest time.Duration
		for range 2000 {
			d := p.backoff(n)
			if d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %s, want within [0, %s]", n, d, ceiling)
			}
			seen[d] = true
			largest = max(largest, d)
		}
		if len(seen) < 2 {
			t.Errorf("backoff(%d): 2000 draws, all %s", n, largest)
		}
		if largest < ceiling*9/10 {
			t.Errorf("backoff(%d): largest of 2000 draws %s, want near %s", n, largest, ceiling)
		}
	}
	// Far past the doubling, the wait stays capped and never overflows.
	for _, n := range []int{29, 30, 31, 62, 63, 64, 1000} {
		for range 100 {
			if d := p.backoff(n); d < 0 || d > DefaultRetryMaxDelay {
				t.Fatalf("backoff(%d) = %s, want within [0, %s]", n, d, DefaultRetryMaxDelay)
			}
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"1", time.Second, true},
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"3600", time.Hour, true},
		{"99999999", time.Hour, true}, // capped at an hour; the client caps it further
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},       // a date in the past: retry now
		{now.Add(time.Hour).Format(time.RFC850), time.Hour, true},    // the obsolete forms http.ParseTime knows
		{now.Add(time.Minute).Format(time.ANSIC), time.Minute, true}, //
		{now.Add(time.Minute).Format(time.RFC3339), 0, false},        // not an HTTP date
		{"", 0, false},
		{"   ", 0, false},
		{"-1", 0, false},
		{"-3600", 0, false},
		{"1.5", 0, false},
		{"5s", 0, false},
		{"soon", 0, false},
		{"99999999999999999999", 0, false}, // does not fit an int64
	} {
		got, ok := retryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
