package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// Retries.
//
// What is retried: HTTP 429, 500, 502, 503 and 504; connection errors (refused,
// reset, a timeout, EOF before or in the middle of the body); and a 2xx answer
// whose body does not decode. Nothing else: another 4xx says the request itself
// is wrong, and sending it again cannot help. Every attempt is signed anew, with a
// fresh X-Sdk-Date, because the gateway refuses a date more than 15 minutes old.
//
// How long to wait: full jitter, a uniform draw below min(base*2^n, cap) (0.5 s
// and 10 s by default), which spreads the retries of many clients instead of
// synchronising them; a Retry-After header (seconds or an HTTP date) is honoured,
// up to 30 s. A wait that would end after the context's deadline is not started:
// the request fails at once with the last answer, rather than sleeping into a
// timeout.
//
// The loop is hashicorp/go-retryablehttp's, configured through its hooks:
// CheckRetry classifies, Backoff computes the wait, PrepareRetry re-signs, the
// response handler reads and decodes the body inside the attempt (so that a body
// cut off or garbled is retried like a 5xx, within the same max_retries), and
// ErrorHandler turns the last failure into the error the user sees.
//
// The credential calls (credential.go) go through the same loop and policy,
// their POSTs included: post.go's caution is for the API's POSTs, which act on
// resources; a credential POST only creates a fresh short-lived credential.

// retryPolicy is the retry part of a Client.
type retryPolicy struct {
	maxRetries    int
	baseDelay     time.Duration
	maxDelay      time.Duration
	maxRetryAfter time.Duration
	timeout       time.Duration // per attempt
}

// backoff is the full-jitter wait before retry number n+1 (n from 0).
func (p retryPolicy) backoff(n int) time.Duration {
	ceiling := p.maxDelay
	if n < 30 {
		if d := p.baseDelay << n; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1)) //nolint:gosec // jitter, not a secret
}

// retryAfter parses a Retry-After value, seconds or an HTTP date, as a wait from
// now. ok is false when there is none or it does not parse.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(time.Hour/time.Second) {
			s = int64(time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// retryableStatus says whether an answer's status is worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransport says whether an error without an answer is worth another
// attempt: not a bad certificate, a bad URL or a redirect loop, which fail the
// same way every time.
func retryableTransport(err error) bool {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := ue.Err.Error()
		if strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects") ||
			strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid header") {
			return false
		}
	}
	return true
}

// errRetriesExhausted is a retryable failure with no attempts left.
var errRetriesExhausted = errors.New("retries exhausted")

// errOutOfTime stops the loop when the next wait would pass the deadline.
var errOutOfTime = errors.New("out of time")

// call is the state of one Do: which attempt it is on, when that attempt
// started, and the last failure, which the final error repeats.
type call struct {
	c      *Client
	ctx    context.Context //nolint:containedctx // one call's context, for the hooks that are not given it
	method string
	path   string
	query  string
	pool   Pool
	// cred is set for a credential call; src signs its attempts (nil:
	// unsigned), http sends them, each bounded by timeout.
	cred    *credential
	src     Source
	http    *http.Client
	timeout time.Duration
	// creds signed the last attempt; credErr is a failure to get keys for
	// the next one.
	creds   sign.Credentials
	credErr error
	// body is the request's body, signed again with every retry; a request
	// with one is retried only as post.go allows.
	body []byte

	attempt   int
	start     time.Time
	waiting   bool          // between attempts
	last      error         // the last failed attempt's error
	outOfTime time.Duration // the wait that would have passed the deadline
}

// retryClient is a retryablehttp.Client for this call: cheap to make, and its
// hooks see the call's context and state.
func (k *call) retryClient() *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:     k.http,
		RetryMax:       k.c.retry.maxRetries,
		RequestLogHook: k.beforeAttempt,
		CheckRetry:     k.checkRetry,
		Backoff:        k.backoff,
		PrepareRetry:   k.prepareRetry,
		ErrorHandler:   k.giveUp,
	}
}

func (k *call) fields(extra map[string]any) map[string]any {
	f := map[string]any{"method": k.method, "path": k.path, "query": k.query, "attempt": k.attempt}
	if k.cred != nil {
		f["step"] = k.cred.step
	}
	for key, v := range extra {
		f[key] = v
	}
	return f
}

// beforeAttempt runs before each attempt is sent.
func (k *call) beforeAttempt(_ retryablehttp.Logger, req *http.Request, n int) {
	k.attempt = n + 1
	k.start = time.Now()
	k.waiting = false
	tflog.Trace(k.ctx, "Huawei Cloud "+k.noun()+" request sent", k.fields(map[string]any{"headers": maskedHeaders(req.Header)}))
}

// maskedHeaders is h as a log line may show it: the Authorization,
// X-Security-Token, X-Subject-Token, X-Auth-Token and X-Metadata-Token values
// replaced.
func maskedHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, vs := range h {
		v := strings.Join(vs, ", ")
		switch http.CanonicalHeaderKey(name) {
		case sign.HeaderAuthorization, sign.HeaderSecurityToken, HeaderSubjectToken, HeaderAuthToken, HeaderMetadataToken:
			v = "***"
		}
		out[name] = v
	}
	return out
}

// checkRetry classifies an attempt. It is called with the transport's result and,
// when that was not retried, again with the response handler's.
func (k *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if resp == nil {
			k.last = k.transportError(err)
			tflog.Debug(k.ctx, "Huawei Cloud "+k.noun()+" request failed", k.fields(map[string]any{
				"duration_ms": time.Since(k.start).Milliseconds(), "error": err.Error(),
			}))
			return k.retryableFailure(err), nil
		}
		// The response handler's error, logged there.
		k.last = err
		var apiErr *APIError
		return !errors.As(err, &apiErr) && !k.postRules(), nil // a POST's answer came: it was processed
	}
	if !k.retryableAnswer(resp.StatusCode) {
		return false, nil // the response handler reads it
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyExcerpt*4))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	e := newAPIError(k.method, k.path, resp.StatusCode, resp.Header.Get("X-Request-Id"), resp.Header.Get("Content-Type"), body)
	k.last = e
	k.logAnswer(resp, len(body), readErr)
	return true, nil
}

func (k *call) logAnswer(resp *http.Response, n int, err error) {
	f := k.fields(map[string]any{
		"status": resp.StatusCode, "duration_ms": time.Since(k.start).Milliseconds(),
		"request_id": resp.Header.Get("X-Request-Id"), "bytes": n,
	})
	if err != nil {
		f["error"] = err.Error()
	}
	tflog.Debug(k.ctx, "Huawei Cloud "+k.noun()+" request", f)
	k.logCredentialHeaders(resp)
}

// handleAnswer reads and decodes an answer that is not retried for its status.
func handleAnswer[T any](k *call, resp *http.Response, decode func([]byte) (*T, error)) (*T, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	k.logAnswer(resp, len(body), err)
	requestID := resp.Header.Get("X-Request-Id")
	if err != nil {
		return nil, &BodyError{Method: k.method, Path: k.path, StatusCode: resp.StatusCode, RequestID: requestID, Read: len(body), Err: err}
	}
	return decodeAnswer(k.method, k.path, resp.StatusCode, resp.Header, body, decode)
}

// DecodeJSON decodes body into a new T with encoding/json.
func DecodeJSON[T any](body []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeAnswer turns a whole answer into a value or an error: a non-2xx status
// into an *APIError, a 2xx body that decode refuses into a *DecodeError.
func decodeAnswer[T any](method, path string, status int, h http.Header, body []byte, decode func([]byte) (*T, error)) (*T, error) {
	requestID := h.Get("X-Request-Id")
	if status < 200 || status > 299 {
		return nil, newAPIError(method, path, status, requestID, h.Get("Content-Type"), body)
	}
	v, err := decode(body)
	if err != nil {
		return nil, &DecodeError{
			Method: method, Path: path, StatusCode: status, RequestID: requestID,
			ContentType: h.Get("Content-Type"), BodyExcerpt: excerpt(body), Err: err,
		}
	}
	return v, nil
}

// backoff is the wait before the next attempt; see the top of this file.
func (k *call) backoff(_, _ time.Duration, n int, resp *http.Response) time.Duration {
	wait := k.c.retry.backoff(n)
	reason := "backoff"
	if resp != nil {
		if ra, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			wait, reason = min(ra, k.c.retry.maxRetryAfter), "Retry-After"
		}
		if resp.StatusCode == http.StatusTooManyRequests && k.pool != nil {
			k.pool.Throttled(k.ctx, wait)
		}
	}
	if deadline, ok := k.ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
		k.outOfTime = wait
		return 0
	}
	k.waiting = true
	tflog.Debug(k.ctx, "Huawei Cloud "+k.noun()+" request will be retried", k.fields(map[string]any{
		"wait_ms": wait.Milliseconds(), "wait_reason": reason, "retries_left": k.c.retry.maxRetries - n,
	}))
	return wait
}

// prepareRetry runs after the wait: it stops when the wait was skipped for the
// deadline, waits out a pause the listing's pool is in, and signs the request
// anew.
func (k *call) prepareRetry(req *http.Request) error {
	if k.outOfTime > 0 {
		return errOutOfTime
	}
	if k.pool != nil {
		if err := k.pool.Resume(k.ctx); err != nil {
			return err
		}
	}
	req.Header = req.Header.Clone() // the last attempt's request may still hold the old map
	if k.src == nil {
		return nil // an unsigned credential call
	}
	// Keys may have been renewed while this request waited, or be due now.
	creds, err := k.src.Credentials(k.ctx)
	if err != nil {
		k.credErr = err
		return err
	}
	if creds != k.creds {
		k.ctx = maskSecrets(k.ctx, creds)
		k.creds = creds
	}
	return k.c.signer.Sign(req, creds, k.body, k.c.now())
}

// giveUp is called when no more attempts will be made and the last one failed.
func (k *call) giveUp(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBodyBytes))
		_ = resp.Body.Close()
	}
	k.attempt = attempts
	if err == nil {
		// A retryable answer with no attempts left: k.last has it.
		err = errRetriesExhausted
	}
	return nil, err
}

// failure is the error Do returns for err, what the retry loop ended with.
func (k *call) failure(err error) error {
	attempt := max(k.attempt, 1)
	switch {
	case k.credErr != nil:
		return k.credErr
	case errors.Is(err, errOutOfTime):
		return &RequestError{Attempts: attempt, Last: k.last,
			Reason: fmt.Sprintf("the next retry, %s later, would start after the read's deadline", k.outOfTime.Round(time.Millisecond))}
	case k.ctx.Err() != nil:
		verb := "was cancelled"
		if errors.Is(k.ctx.Err(), context.DeadlineExceeded) {
			verb = "reached its deadline"
		}
		return &WaitError{Method: k.method, Path: k.path, Query: k.query, Attempt: attempt, Retrying: k.waiting,
			Waited: time.Since(k.start), Verb: verb, Previous: k.previous(), Err: k.ctx.Err()}
	case k.last == nil:
		return err
	case attempt > 1 || k.retried():
		reason := ""
		if k.retried() {
			reason = fmt.Sprintf("max_retries is %d", k.c.retry.maxRetries)
		}
		return &RequestError{Attempts: attempt, Last: k.last, Reason: reason}
	default:
		return k.last
	}
}

// retried says whether the last failure was a retryable one (so the attempts ran
// out) rather than one that is never retried.
func (k *call) retried() bool {
	var apiErr *APIError
	if errors.As(k.last, &apiErr) {
		return k.retryableAnswer(apiErr.StatusCode)
	}
	var te *NetworkError
	if errors.As(k.last, &te) {
		return k.retryableFailure(te.Err)
	}
	return !k.postRules()
}

// previous is the last failure, unless it is the context's own error.
func (k *call) previous() error {
	if k.last == nil || errors.Is(k.last, context.DeadlineExceeded) || errors.Is(k.last, context.Canceled) {
		return nil
	}
	return k.last
}

// transportError names a failure without an answer, saying when it was the
// per-attempt timeout. It is only called while the read's context is still
// live (checkRetry returns first otherwise), so a timeout here is the
// per-attempt one, even though http.Client reports its Timeout as an error that
// also matches context.DeadlineExceeded. A credential call's timeout is its
// own (2 s for the metadata service), and said as it always was.
func (k *call) transportError(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		note := fmt.Sprintf("no answer within the per-request timeout of %s", k.timeout)
		if k.cred != nil {
			note = fmt.Sprintf("no answer within %s", k.timeout)
		}
		return &NetworkError{Method: k.method, Path: k.path, Err: err, Note: note}
	}
	return &NetworkError{Method: k.method, Path: k.path, Err: err}
}
