package client

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// The tests of this file end a read by its context or by the per-request
// timeout, and check what it says and that nothing it started is left running.

// TestDeadlineWhileWaitingForAnswer checks a request that never gets an answer:
// the read ends at its context's deadline, with a *WaitError that says where.
func TestDeadlineWhileWaitingForAnswer(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Hang: true})
	c := fakeClient(transport.Config{MaxRetries: 3})
	baseline := goroutineBaseline()

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := list(ctx, c, env)
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("no error")
	}
	if elapsed < 250*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("returned after %s, want about 300ms", elapsed)
	}
	mustContain(t, err.Error(), "the read reached its deadline while waiting for the answer to attempt 1 of GET "+samplePath+"?"+firstPageQuery+" (")
	var we *transport.WaitError
	if !errors.As(err, &we) || we.Attempt != 1 || we.Retrying || we.Previous != nil {
		t.Errorf("error %v (%#v), want a *WaitError for attempt 1, not retrying, with nothing before it", err, we)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v is not context.DeadlineExceeded", err)
	}
	if got := faultKinds(env.api.Requests()); !reflect.DeepEqual(got, []string{fakeapi.FaultHang}) {
		t.Errorf("the fake saw %q, want one hang", got)
	}
	checkNoGoroutineLeft(t, c, baseline)
	// The fake saw the client go away.
	if r := env.api.Requests()[0]; r.End.IsZero() {
		t.Error("the hung request is still held by the fake")
	}
}

// TestCancelWhileWaitingToRetry checks that cancelling the context during the
// wait before a retry ends the read at once, not when the wait would have.
func TestCancelWhileWaitingToRetry(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Times: -1, Status: 503, RetryAfter: "5", Body: apiErrorBody("APIG.0503", "busy")})
	c := fakeClient(transport.Config{MaxRetries: 3})
	baseline := goroutineBaseline()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		err     error
		elapsed time.Duration
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		_, err := list(ctx, c, env)
		done <- result{err, time.Since(start)}
	}()
	reqs := waitForRequests(t, env.api, 1)
	time.Sleep(100 * time.Millisecond) // well into the 5s wait
	cancelled := time.Now()
	cancel()
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not return within 10s of cancel()")
	}
	if since := time.Since(cancelled); since > 2*time.Second || r.elapsed > 4*time.Second {
		t.Errorf("returned %s after cancel() (%s after the start), want promptly", since, r.elapsed)
	}
	mustContain(t, r.err.Error(),
		"the read was cancelled while waiting to retry GET "+samplePath+"?"+firstPageQuery+" after attempt 1 failed: ",
		"HTTP 503", "request id "+reqs[0].RequestID)
	var we *transport.WaitError
	if !errors.As(r.err, &we) || !we.Retrying || we.Attempt != 1 {
		t.Errorf("error %v (%#v), want a *WaitError while retrying after attempt 1", r.err, we)
	}
	if !errors.Is(r.err, context.Canceled) {
		t.Errorf("error %v is not context.Canceled", r.err)
	}
	if n := len(env.api.Requests()); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	checkNoGoroutineLeft(t, c, baseline)
}

// TestRequestTimeoutThenSuccess checks that an attempt with no answer within
// Config.RequestTimeout is abandoned and retried, within the same read.
func TestRequestTimeoutThenSuccess(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Hang: true})
	c := fakeClient(transport.Config{MaxRetries: 2, RequestTimeout: 200 * time.Millisecond})
	baseline := goroutineBaseline()

	out, err := list(context.Background(), c, env)
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.ProjectID))
	reqs := env.api.Requests()
	if got := faultKinds(reqs); !reflect.DeepEqual(got, []string{fakeapi.FaultHang, ""}) {
		t.Fatalf("the fake saw %q, want a hang and then a normal answer", got)
	}
	// The timeout runs from the client's sending, a little before the fake's
	// Start: the bound below leaves room for that on a loaded machine.
	if gap := reqs[1].Start.Sub(reqs[0].Start); gap < 100*time.Millisecond || gap > 5*time.Second {
		t.Errorf("the retry started %s after the hung attempt, want about 200ms", gap)
	}
	checkNoGoroutineLeft(t, c, baseline)
}

// TestRequestTimeoutEveryAttempt checks the error when every attempt times out:
// it names the per-request timeout, not the read's deadline (there is none).
func TestRequestTimeoutEveryAttempt(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Times: -1, Hang: true})
	c := fakeClient(transport.Config{MaxRetries: 1, RequestTimeout: 200 * time.Millisecond})
	baseline := goroutineBaseline()

	_, err := list(context.Background(), c, env)
	if err == nil {
		t.Fatal("no error")
	}
	mustContain(t, err.Error(),
		"GET "+samplePath+": no answer within the per-request timeout of 200ms",
		"(gave up after 2 attempts: max_retries is 1)")
	var te *transport.NetworkError
	if !errors.As(err, &te) {
		t.Errorf("error %v, want a *NetworkError", err)
	}
	var we *transport.WaitError
	if errors.As(err, &we) {
		t.Errorf("error %v is a *WaitError, but the read's context did not end", err)
	}
	if got := faultKinds(env.api.Requests()); !reflect.DeepEqual(got, []string{fakeapi.FaultHang, fakeapi.FaultHang}) {
		t.Errorf("the fake saw %q, want two hangs", got)
	}
	checkNoGoroutineLeft(t, c, baseline)
}
