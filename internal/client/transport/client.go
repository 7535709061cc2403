// Package transport sends signed requests to Huawei Cloud APIs: Do (and its
// GetJSON and PostJSON forms) sends API calls, a signed GET or a signed POST
// with a JSON body, with the keys of a Source asked for before every attempt;
// Credential sends the credential calls, signed with their own keys or not at
// all. Both go through one path, send: built by the same code, retried as
// retry.go describes through hashicorp/go-retryablehttp, under one policy.
// Every call honours its context: no request, backoff sleep or goroutine
// outlives it.
//
// It sits above sign and below everything else of the client: listing, creds,
// iam and workspace import it, and it imports none of them.
package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// maxBodyBytes bounds what one answer may hold. A full page of 1000 snapshots is
// well under 1 MiB.
const maxBodyBytes = 64 << 20

// Defaults of the retry and timeout settings of Config.
const (
	// DefaultRetryBaseDelay is the first retry's largest wait; each retry doubles
	// it, and the wait is drawn uniformly below that ("full jitter").
	DefaultRetryBaseDelay = 500 * time.Millisecond
	// DefaultRetryMaxDelay caps the doubling.
	DefaultRetryMaxDelay = 10 * time.Second
	// DefaultMaxRetryAfter caps how long a Retry-After header may make us wait.
	DefaultMaxRetryAfter = 30 * time.Second
	// DefaultRequestTimeout bounds one attempt, from sending it to the last byte
	// of its answer, so that one stuck connection cannot eat the whole read.
	DefaultRequestTimeout = 60 * time.Second
)

// Config is what a Client needs.
type Config struct {
	// Credentials are static keys; Source, when set, replaces them with keys
	// asked for before every attempt (package creds renews them).
	Credentials sign.Credentials
	Source      Source
	// SigningAlgorithm signs every request; "" means sign.DefaultAlgorithm
	// (HmacSHA256). An invalid one fails every request before it is sent.
	SigningAlgorithm sign.Algorithm
	// UserAgent is sent on every request.
	UserAgent string
	// TLSConfig configures TLS (trusted CAs, insecure = true); nil means Go's
	// defaults. New uses a copy.
	TLSConfig *tls.Config
	// Now replaces time.Now for the signature date; tests leave it nil.
	Now func() time.Time
	// MaxConcurrency bounds how many pages of one listing are fetched at once;
	// 0 means DefaultMaxConcurrency.
	MaxConcurrency int

	// MaxRetries is how many times a failed request is retried: MaxRetries+1
	// attempts at most. 0 means no retry.
	MaxRetries int
	// RetryBaseDelay, RetryMaxDelay, MaxRetryAfter and RequestTimeout replace
	// their Default* values when not zero.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	MaxRetryAfter  time.Duration
	RequestTimeout time.Duration
}

// DefaultMaxConcurrency is how many pages of one listing are fetched at once when
// Config.MaxConcurrency is 0. With 25 ms of latency per request, 50 pages take
// 1 + ⌈49/c⌉ round trips: 4 leaves too little room for the client's own
// decoding to keep the fetch window under 0.35 of the sequential floor on a
// 2-core machine (0.38 measured), 6 keeps it at 0.29 (BENCHMARKS.md). It stays
// safe against throttling because a 429 halves the pool.
const DefaultMaxConcurrency = 6

// Client sends signed requests. It is safe for concurrent use.
type Client struct {
	src         Source
	signer      *sign.Signer
	userAgent   string
	http        *http.Client
	now         func() time.Time
	concurrency int
	retry       retryPolicy
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	timeout := orDefault(cfg.RequestTimeout, DefaultRequestTimeout)
	tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's documented type
	if cfg.TLSConfig != nil {
		tr.TLSClientConfig = cfg.TLSConfig.Clone()
	}
	// Keep a connection per concurrent page, not the default two.
	tr.MaxIdleConnsPerHost = 32
	hc := &http.Client{Transport: tr, Timeout: timeout}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	concurrency := cfg.MaxConcurrency
	if concurrency <= 0 {
		concurrency = DefaultMaxConcurrency
	}
	var src Source = Static(cfg.Credentials)
	if cfg.Source != nil {
		src = cfg.Source
	}
	return &Client{
		src: src, signer: sign.NewSigner(cfg.SigningAlgorithm), userAgent: cfg.UserAgent, http: hc, now: now, concurrency: concurrency,
		retry: retryPolicy{
			maxRetries:    max(cfg.MaxRetries, 0),
			baseDelay:     orDefault(cfg.RetryBaseDelay, DefaultRetryBaseDelay),
			maxDelay:      orDefault(cfg.RetryMaxDelay, DefaultRetryMaxDelay),
			maxRetryAfter: orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
			timeout:       hc.Timeout,
		},
	}
}

// MaxConcurrency is how many requests of one listing may run at once.
func (c *Client) MaxConcurrency() int { return c.concurrency }

// CloseIdleConnections closes the connections kept alive for later requests:
// they are the client's pool, meant to outlive a call.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// joinURL appends path to the base endpoint, which may or may not end in "/" and
// may carry a path prefix of its own.
func joinURL(endpoint, path string, q sign.Query) (*url.URL, error) {
	base, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %w", endpoint, err)
	}
	if base.Scheme != "http" && base.Scheme != "https" || base.Host == "" {
		return nil, fmt.Errorf("endpoint %q must be an absolute http:// or https:// URL, such as https://workspace.cn-north-4.myhuaweicloud.com", endpoint)
	}
	u := &url.URL{
		Scheme:   base.Scheme,
		User:     base.User,
		Host:     base.Host,
		Path:     strings.TrimRight(base.Path, "/") + path,
		RawQuery: q.Encode(),
	}
	return u, nil
}

// Request is one API call: a signed GET, or a signed POST with a JSON body.
type Request struct {
	// Method is http.MethodGet or http.MethodPost; "" means GET.
	Method string
	// Endpoint is the service's base URL (it may end in "/" and carry a path
	// prefix), Path the URI below it, unescaped, and Query the parameters.
	Endpoint string
	Path     string
	Query    sign.Query
	// ProjectID, when set, is sent (and signed) as X-Project-Id.
	ProjectID string
	// Header holds extra headers, set (before signing) when their value is not
	// empty.
	Header map[string]string
	// Body is a JSON body: sent with Content-Type application/json, its hash
	// signed, and sent again unchanged by every retry.
	Body []byte
	// Pool, when set, is the request's place in a listing's shared pool,
	// which a 429 slows down.
	Pool Pool

	// cred is set for a credential call (Credential).
	cred *credential
}

// A Pool is told of the throttling a request meets, so that the requests that
// share it slow down together (package listing's pool does).
type Pool interface {
	// Throttled is told of a 429 whose retry waits wait.
	Throttled(ctx context.Context, wait time.Duration)
	// Resume returns when a retry may be sent, or ctx ends.
	Resume(ctx context.Context) error
}

// GetJSON sends r as a signed GET and decodes a 2xx JSON answer into a new T;
// see Do.
func GetJSON[T any](ctx context.Context, c *Client, r Request) (*T, error) {
	r.Method = http.MethodGet
	return Do(ctx, c, r, DecodeJSON[T])
}

// PostJSON marshals body to JSON and sends it as a signed POST of r. A POST is
// retried only when the API surely did not process it (post.go says when); a
// failure that it may have processed is told by MaybeProcessed. A 2xx JSON
// answer is decoded into a new T (an empty 2xx body gives a zero T).
func PostJSON[T any](ctx context.Context, c *Client, r Request, body any) (*T, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding the body of POST %s: %w", r.Path, err)
	}
	r.Method, r.Body = http.MethodPost, raw
	return Do(ctx, c, r, func(b []byte) (*T, error) {
		if len(bytes.TrimSpace(b)) == 0 {
			return new(T), nil
		}
		return DecodeJSON[T](b)
	})
}

// Do sends r, signed, retrying as retry.go describes, and decodes a 2xx answer
// with decode. A non-2xx answer is an *APIError; a 2xx answer that decode
// refuses is a *DecodeError; either is wrapped in a *RequestError once retries
// were made.
//
// Keys come from the client's Source before every attempt. When the API
// refuses renewable keys as expired (see expiredKeys), the source renews them
// and the request is sent once more, outside the retry budget.
func Do[T any](ctx context.Context, c *Client, r Request, decode func([]byte) (*T, error)) (*T, error) {
	v, refused, err := doOnce(ctx, c, r, decode)
	if refused == nil {
		return v, err
	}
	tflog.Debug(ctx, "Huawei Cloud API refused the temporary keys as expired: renewing them and sending the request again", map[string]any{"path": r.Path})
	c.src.Invalidate(*refused)
	v, _, err = doOnce(ctx, c, r, decode)
	return v, err
}

// newRequest is the unsigned request of every call, API or credential: the
// URL, Accept, User-Agent, the project and extra headers, and a JSON body's
// Content-Type.
func (c *Client) newRequest(ctx context.Context, method string, u *url.URL, body []byte, projectID string, header map[string]string) (*http.Request, error) {
	var rd io.Reader = http.NoBody
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("building request for %s: %w", u.Path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if projectID != "" {
		req.Header.Set(sign.HeaderProjectID, projectID)
	}
	for name, v := range header {
		if v != "" {
			req.Header.Set(name, v)
		}
	}
	return req, nil
}

// doOnce is Do without the renewal: refused is set when the answer was a 401
// for expired keys that the source can renew.
func doOnce[T any](ctx context.Context, c *Client, r Request, decode func([]byte) (*T, error)) (_ *T, refused *sign.Credentials, _ error) {
	var result *T
	refused, err := send(ctx, c, r, func(k *call, resp *http.Response) error {
		v, err := handleAnswer(k, resp, decode)
		result = v
		return err
	})
	if err != nil {
		return nil, refused, err
	}
	return result, nil, nil
}

// send is the one HTTP path of the client, for API and credential calls
// alike: it builds r, signs it with the call's keys, sends it through the
// retry loop (retry.go classifies every attempt), and gives each answer that
// is not retried for its status to handle, which reads it. refused is set
// when the final error is a 401 for expired keys that the source can renew.
func send(ctx context.Context, c *Client, r Request, handle func(*call, *http.Response) error) (refused *sign.Credentials, _ error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	u, err := joinURL(r.Endpoint, r.Path, r.Query)
	if err != nil {
		return nil, err
	}
	k := &call{c: c, method: method, path: u.Path, query: u.RawQuery, pool: r.Pool, body: r.Body, cred: r.cred, src: c.source(r)}
	k.http, k.timeout = c.httpClient(r)
	if k.src != nil {
		if k.creds, err = k.src.Credentials(ctx); err != nil {
			return nil, err
		}
		ctx = maskSecrets(ctx, k.creds)
	}
	k.ctx = ctx
	hreq, err := c.newRequest(ctx, method, u, r.Body, r.ProjectID, r.Header)
	if err != nil {
		return nil, err
	}
	if k.src != nil {
		if err := c.signer.Sign(hreq, k.creds, r.Body, c.now()); err != nil {
			return nil, err
		}
	}
	req, err := retryablehttp.FromRequest(hreq)
	if err != nil {
		return nil, fmt.Errorf("building request for %s: %w", u.Path, err)
	}
	req.SetResponseHandler(func(resp *http.Response) error { return handle(k, resp) })
	resp, err := k.retryClient().Do(req)
	if err != nil {
		err = k.failure(err)
		if k.src != nil && k.src.Renewable() && expiredKeys(err) {
			return &k.creds, err
		}
		return nil, err
	}
	_ = resp.Body.Close()
	return nil, nil
}

// expiredKeys says whether err is the gateway refusing temporary keys because
// they expired: a 401 with APIG.0307 ("The token must be updated"), or one whose
// error_msg says the token or keys expired.
func expiredKeys(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		return false
	}
	msg := strings.ToLower(apiErr.ErrorMsg)
	return apiErr.ErrorCode == "APIG.0307" || strings.Contains(msg, "expired") || strings.Contains(msg, "expires")
}

// maskSecrets makes sure that no log line of ctx shows the secret key or the
// security token, whatever a field or message holds: the client never logs them,
// and this keeps it so.
func maskSecrets(ctx context.Context, creds sign.Credentials) context.Context {
	for _, s := range []string{creds.SecretKey, creds.SecurityToken} {
		if s != "" {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, s)
			ctx = tflog.MaskMessageStrings(ctx, s)
		}
	}
	return ctx
}
