package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// retryableFaults are the failures the client retries, each as the fake gives it,
// with the kind the fake records and the error the client reports when it has no
// retry left.
func retryableFaults() []struct {
	name  string
	fault fakeapi.Fault
	kind  string
	check func(*testing.T, error)
} {
	status := func(code int) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			t.Helper()
			var e *transport.APIError
			if !errors.As(err, &e) || e.StatusCode != code {
				t.Errorf("error %v, want an *APIError with HTTP %d", err, code)
			}
		}
	}
	return []struct {
		name  string
		fault fakeapi.Fault
		kind  string
		check func(*testing.T, error)
	}{
		{"429", fakeapi.Fault{Status: 429, Body: apiErrorBody("APIG.0308", "The request is throttled"), ContentType: "application/json"}, fakeapi.FaultStatus, status(429)},
		{"500", fakeapi.Fault{Status: 500, Body: apiErrorBody("WKS.0500", "Internal error"), ContentType: "application/json"}, fakeapi.FaultStatus, status(500)},
		{"502 from a proxy, in HTML", fakeapi.Fault{Status: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>", ContentType: "text/html"}, fakeapi.FaultStatus, status(502)},
		{"503", fakeapi.Fault{Status: 503, Body: apiErrorBody("APIG.0503", "Service unavailable")}, fakeapi.FaultStatus, status(503)},
		{"504 with an empty body", fakeapi.Fault{Status: 504}, fakeapi.FaultStatus, status(504)},
		{"dropped connection", fakeapi.Fault{Drop: true}, fakeapi.FaultDrop, func(t *testing.T, err error) {
			t.Helper()
			var e *transport.NetworkError
			if !errors.As(err, &e) {
				t.Errorf("error %v, want a *NetworkError", err)
			}
		}},
		{"truncated body", fakeapi.Fault{Truncate: 100}, fakeapi.FaultTruncate, func(t *testing.T, err error) {
			t.Helper()
			var e *transport.BodyError
			if !errors.As(err, &e) || e.StatusCode != 200 || e.Read != 100 {
				t.Errorf("error %v, want a *BodyError of HTTP 200 after 100 bytes", err)
			}
		}},
		{"200 with an HTML body", fakeapi.Fault{Status: 200, Body: "<html><body>Gateway maintenance</body></html>", ContentType: "text/html"}, fakeapi.FaultStatus, func(t *testing.T, err error) {
			t.Helper()
			var e *transport.DecodeError
			if !errors.As(err, &e) || e.StatusCode != 200 || e.ContentType != "text/html" {
				t.Errorf("error %v, want a *DecodeError of HTTP 200, text/html", err)
			}
		}},
	}
}

// TestRetryThenSuccess checks that each retryable failure, followed by a normal
// answer, gives the exact listing after exactly 2 attempts; and, as the control,
// that with max_retries 0 the same failure is the error after 1 attempt, so that
// it is the client that retried (not, for a dropped connection, Go's transport).
// Each test starts a new Client, so the first attempt is on a fresh connection
// and a Drop reaches the client.
func TestRetryThenSuccess(t *testing.T) {
	for _, tc := range retryableFaults() {
		t.Run(tc.name, func(t *testing.T) {
			env := startDefaultFake(t)
			f := tc.fault
			f.Path = samplePath
			env.api.Fail(f)
			out, err := list(context.Background(), fakeClient(transport.Config{MaxRetries: 3}), env)
			if err != nil {
				t.Fatal(err)
			}
			checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.ProjectID))
			if out.Requests != 1 || out.Passes != 1 || len(out.Warnings) != 0 {
				t.Errorf("Requests %d, Passes %d, Warnings %q; want 1, 1, none", out.Requests, out.Passes, out.Warnings)
			}
			reqs := env.api.Requests()
			if got, want := faultKinds(reqs), []string{tc.kind, ""}; !reflect.DeepEqual(got, want) {
				t.Fatalf("the fake saw faults %q, want %q", got, want)
			}
			for i, r := range reqs {
				if r.Path != samplePath || r.RawQuery != firstPageQuery {
					t.Errorf("attempt %d: %s?%s, want %s?%s", i+1, r.Path, r.RawQuery, samplePath, firstPageQuery)
				}
			}
			if reqs[1].Status != 200 {
				t.Errorf("second attempt: HTTP %d, want 200", reqs[1].Status)
			}
		})
		t.Run(tc.name+", max_retries 0", func(t *testing.T) {
			env := startDefaultFake(t)
			f := tc.fault
			f.Path = samplePath
			env.api.Fail(f)
			out, err := list(context.Background(), fakeClient(transport.Config{MaxRetries: 0}), env)
			if err == nil {
				t.Fatalf("no error, %d snapshots", len(out.Snapshots))
			}
			tc.check(t, err)
			mustContain(t, err.Error(), "(gave up after 1 attempt: max_retries is 0)")
			if got := faultKinds(env.api.Requests()); !reflect.DeepEqual(got, []string{tc.kind}) {
				t.Errorf("the fake saw faults %q, want exactly one %q", got, tc.kind)
			}
		})
	}
}

// TestNoRetryOnClientErrors checks that 400, 401, 403 and 404 are never retried,
// whatever max_retries, and come back as the *APIError itself.
func TestNoRetryOnClientErrors(t *testing.T) {
	for _, tc := range []struct {
		status    int
		code, msg string
	}{
		{400, "WKS.0001", "Invalid parameter: limit"},
		{401, "APIG.0301", "Incorrect IAM authentication information"},
		{403, "WKS.0003", "Forbidden"},
		{404, "APIG.0101", "The API does not exist or has not been published in the environment"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			env := startDefaultFake(t)
			env.api.Fail(fakeapi.Fault{Path: samplePath, Times: -1, Status: tc.status, Body: apiErrorBody(tc.code, tc.msg), ContentType: "application/json"})
			out, err := list(context.Background(), fakeClient(transport.Config{MaxRetries: 3}), env)
			if err == nil || out != nil {
				t.Fatalf("got %v, %v; want an error", out, err)
			}
			reqs := env.api.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d attempts, want 1", len(reqs))
			}
			var apiErr *transport.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v, want an *APIError", err)
			}
			want := transport.APIError{Method: "GET", Path: samplePath, StatusCode: tc.status, RequestID: reqs[0].RequestID, ErrorCode: tc.code, ErrorMsg: tc.msg}
			if *apiErr != want {
				t.Errorf("APIError\n got %#v\nwant %#v", *apiErr, want)
			}
			var reqErr *transport.RequestError
			if errors.As(err, &reqErr) {
				t.Errorf("error %v is a *RequestError: a request that is never retried should not say it gave up", err)
			}
		})
	}
	// A real 401, from a secret key the fake does not know, is not retried either.
	t.Run("wrong secret key", func(t *testing.T) {
		env := startDefaultFake(t)
		c := fakeClient(transport.Config{MaxRetries: 3, Credentials: sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: "wrong"}})
		_, err := list(context.Background(), c, env)
		var apiErr *transport.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.ErrorCode != "APIG.0301" {
			t.Fatalf("error %v, want the fake's 401 APIG.0301", err)
		}
		if n := len(env.api.Requests()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}

// TestMaxRetriesExact checks max_retries against an API that always answers 503:
// max_retries+1 attempts, and an error that repeats the last answer in full.
func TestMaxRetriesExact(t *testing.T) {
	for _, tc := range []struct {
		maxRetries int
		attempts   int
		gaveUp     string
	}{
		{2, 3, "(gave up after 3 attempts: max_retries is 2)"},
		{0, 1, "(gave up after 1 attempt: max_retries is 0)"},
	} {
		t.Run(fmt.Sprint("max_retries ", tc.maxRetries), func(t *testing.T) {
			env := startDefaultFake(t)
			env.api.Fail(fakeapi.Fault{Path: samplePath, Times: -1, Status: 503, Body: apiErrorBody("APIG.0503", "Backend unavailable"), ContentType: "application/json"})
			out, err := list(context.Background(), fakeClient(transport.Config{MaxRetries: tc.maxRetries}), env)
			if err == nil || out != nil {
				t.Fatalf("got %v, %v; want an error", out, err)
			}
			reqs := env.api.Requests()
			if len(reqs) != tc.attempts {
				t.Fatalf("%d attempts, want %d", len(reqs), tc.attempts)
			}
			last := reqs[len(reqs)-1]
			mustContain(t, err.Error(),
				"GET "+samplePath+": HTTP 503",
				`error_code "APIG.0503"`,
				`error_msg "Backend unavailable"`,
				"request id "+last.RequestID,
				tc.gaveUp,
			)
			for _, r := range reqs[:len(reqs)-1] {
				if strings.Contains(err.Error(), r.RequestID) {
					t.Errorf("error %q names the request id %s of an earlier attempt", err, r.RequestID)
				}
			}
			var reqErr *transport.RequestError
			if !errors.As(err, &reqErr) || reqErr.Attempts != tc.attempts {
				t.Errorf("error %v, want a *RequestError of %d attempts", err, tc.attempts)
			}
			var apiErr *transport.APIError
			if !errors.As(err, &apiErr) || apiErr.RequestID != last.RequestID {
				t.Errorf("error %v does not unwrap to the last attempt's *APIError", err)
			}
		})
	}
}

// TestEveryAttemptSignedAnew checks that each retry carries a new X-Sdk-Date,
// from Config.Now at the time of that attempt, and a signature the fake accepts.
// The clock moves on with each call of Now; the fake's clock follows the latest
// time the client was given, so every attempt is checked against a current
// time. With a step of 20 minutes, more than the fake's 15-minute skew, an
// attempt that went out with an earlier attempt's date or signature would be
// refused with a 401, which is not retried.
func TestEveryAttemptSignedAnew(t *testing.T) {
	for _, step := range []time.Duration{time.Minute, 20 * time.Minute} {
		t.Run(step.String(), func(t *testing.T) {
			base := time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
			var calls atomic.Int64
			opts := fakeapi.DefaultOptions()
			opts.Now = func() time.Time { return base.Add(time.Duration(calls.Load()) * step) }
			env := startFake(t, opts)
			env.api.Fail(fakeapi.Fault{Path: samplePath, Times: 2, Status: 503, Body: apiErrorBody("APIG.0503", "busy")})
			c := fakeClient(transport.Config{MaxRetries: 2, Now: func() time.Time { return base.Add(time.Duration(calls.Add(1)) * step) }})
			out, err := list(context.Background(), c, env)
			if err != nil {
				t.Fatal(err)
			}
			checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.ProjectID))
			reqs := env.api.Requests()
			if got, want := faultKinds(reqs), []string{fakeapi.FaultStatus, fakeapi.FaultStatus, ""}; !reflect.DeepEqual(got, want) {
				t.Fatalf("the fake saw faults %q, want %q (a fault applies only once the signature passed)", got, want)
			}
			auths := map[string]bool{}
			for i, r := range reqs {
				want := base.Add(time.Duration(i+1) * step).Format(sign.SdkDateFormat)
				if got := r.Header.Get(sign.HeaderSdkDate); got != want {
					t.Errorf("attempt %d: X-Sdk-Date %s, want %s", i+1, got, want)
				}
				if r.AccessKey != fakeapi.AccessKey {
					t.Errorf("attempt %d: access key %q", i+1, r.AccessKey)
				}
				auths[r.Header.Get(sign.HeaderAuthorization)] = true
			}
			if len(auths) != 3 {
				t.Errorf("%d different Authorization headers over 3 attempts, want 3", len(auths))
			}
			if reqs[2].Status != 200 {
				t.Errorf("third attempt: HTTP %d, want 200", reqs[2].Status)
			}
		})
	}
}

// TestRetryAfterHonoured checks that a 429's Retry-After of 1 second delays the
// retry by that second (measured at the fake: from the end of the first attempt
// to the start of the second), though the backoff alone would wait at most 5ms.
func TestRetryAfterHonoured(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Status: 429, RetryAfter: "1", Body: apiErrorBody("APIG.0308", "throttled")})
	out, err := list(context.Background(), fakeClient(transport.Config{MaxRetries: 1}), env)
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.ProjectID))
	reqs := env.api.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want 2", len(reqs))
	}
	gap := reqs[1].Start.Sub(reqs[0].End)
	if gap < 950*time.Millisecond || gap > 10*time.Second {
		t.Errorf("the retry started %s after the 429, want about 1s", gap)
	}
}

// TestRetryAfterCapped checks that Config.MaxRetryAfter caps a Retry-After: an
// hour asked, 200ms waited.
func TestRetryAfterCapped(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Status: 429, RetryAfter: "3600", Body: apiErrorBody("APIG.0308", "throttled")})
	start := time.Now()
	out, err := list(context.Background(), fakeClient(transport.Config{MaxRetries: 1, MaxRetryAfter: 200 * time.Millisecond}), env)
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Fatalf("the listing took %s", elapsed)
	}
	checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.ProjectID))
	reqs := env.api.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want 2", len(reqs))
	}
	if gap := reqs[1].Start.Sub(reqs[0].End); gap < 190*time.Millisecond || gap > 10*time.Second {
		t.Errorf("the retry started %s after the 429, want about 200ms", gap)
	}
}

// TestNoWaitPastDeadline checks that a wait that would end after the context's
// deadline is not started: the read fails at once, with the last answer and why.
func TestNoWaitPastDeadline(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Times: -1, Status: 503, RetryAfter: "5", Body: apiErrorBody("APIG.0503", "busy")})
	// A deadline of 1s, not less: the first attempt must be answered before it,
	// even on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := list(ctx, fakeClient(transport.Config{MaxRetries: 3}), env)
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("no error")
	}
	if elapsed > 3*time.Second {
		t.Errorf("returned after %s, want well before the 5s wait", elapsed)
	}
	reqs := env.api.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d attempts, want 1", len(reqs))
	}
	mustContain(t, err.Error(),
		"HTTP 503", `error_code "APIG.0503"`, "request id "+reqs[0].RequestID,
		"(gave up after 1 attempt: the next retry, 5s later, would start after the read's deadline)")
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("error %v does not unwrap to the 503", err)
	}
}
