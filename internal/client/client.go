// Package client is the Huawei Cloud API client the provider uses: request
// signing (the official SDK's four algorithms), the IAM project lookup and the
// Workspace ListDesktopSnapshot listing with its paging. It retries what a flaky
// gateway gets wrong (see retry.go), uses the standard library's HTTP client
// through hashicorp/go-retryablehttp, and honours the context of every call: no
// request, backoff sleep or goroutine outlives it.
package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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
	// asked for before every attempt (credsource.go).
	Credentials Credentials
	Source      CredentialSource
	// SigningAlgorithm signs every request; "" means DefaultAlgorithm
	// (HmacSHA256). An invalid one fails every request before it is sent.
	SigningAlgorithm Algorithm
	// UserAgent is sent on every request.
	UserAgent string
	// TLSConfig configures TLS (trusted CAs, insecure = true); nil means Go's
	// defaults. New uses a copy.
	TLSConfig *tls.Config
	// HTTPClient replaces the default client; tests leave it nil. Its Timeout is
	// the per-attempt timeout.
	HTTPClient *http.Client
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
	src         CredentialSource
	signer      *Signer
	userAgent   string
	http        *http.Client
	now         func() time.Time
	concurrency int
	retry       retryPolicy
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	timeout := orDefault(cfg.RequestTimeout, DefaultRequestTimeout)
	hc := cfg.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's documented type
		if cfg.TLSConfig != nil {
			tr.TLSClientConfig = cfg.TLSConfig.Clone()
		}
		// Keep a connection per concurrent page, not the default two.
		tr.MaxIdleConnsPerHost = 32
		hc = &http.Client{Transport: tr, Timeout: timeout}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	concurrency := cfg.MaxConcurrency
	if concurrency <= 0 {
		concurrency = DefaultMaxConcurrency
	}
	var src CredentialSource = StaticCredentials(cfg.Credentials)
	if cfg.Source != nil {
		src = cfg.Source
	}
	return &Client{
		src: src, signer: NewSigner(cfg.SigningAlgorithm), userAgent: cfg.UserAgent, http: hc, now: now, concurrency: concurrency,
		retry: retryPolicy{
			maxRetries:    max(cfg.MaxRetries, 0),
			baseDelay:     orDefault(cfg.RetryBaseDelay, DefaultRetryBaseDelay),
			maxDelay:      orDefault(cfg.RetryMaxDelay, DefaultRetryMaxDelay),
			maxRetryAfter: orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
			timeout:       hc.Timeout,
		},
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Query is an ordered list of query parameters. A key may repeat, as the API's
// array filters want (desktop_ids=a&desktop_ids=b).
type Query []QueryParam

// QueryParam is one key=value pair of a Query.
type QueryParam struct{ Key, Value string }

// Add appends key=value once per value.
func (q *Query) Add(key string, values ...string) {
	for _, v := range values {
		*q = append(*q, QueryParam{key, v})
	}
}

// Encode writes the query for the wire, every key and value escaped as the signer
// escapes them.
func (q Query) Encode() string {
	var b strings.Builder
	for i, p := range q {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(Escape(p.Key))
		b.WriteByte('=')
		b.WriteString(Escape(p.Value))
	}
	return b.String()
}

// joinURL appends path to the base endpoint, which may or may not end in "/" and
// may carry a path prefix of its own.
func joinURL(endpoint, path string, q Query) (*url.URL, error) {
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

// getJSON sends a signed GET of endpoint+path?query, retrying as retry.go
// describes, and decodes a 2xx JSON answer into a new T. A non-2xx answer is an
// *APIError; a 2xx answer that does not decode is a *DecodeError; either is
// wrapped in a *RequestError once retries were made. projectID, when set, is sent
// (and signed) as X-Project-Id. sl, when set, is the request's place in the
// listing's shared pool, which a 429 slows down.
//
// extra headers are set (when their value is not empty) before signing.
// Keys come from the client's CredentialSource before every attempt. When the
// API refuses renewable keys as expired (see expiredKeys), the source renews
// them and the request is sent once more, outside the retry budget.
func getJSON[T any](ctx context.Context, c *Client, endpoint, path string, q Query, projectID string, sl *slot, extra ...[2]string) (*T, error) {
	return get(ctx, c, endpoint, path, q, projectID, sl, decodeJSON[T], extra...)
}

// get is getJSON with a 2xx answer decoded by decode, and the renewal of
// expired keys.
func get[T any](ctx context.Context, c *Client, endpoint, path string, q Query, projectID string, sl *slot, decode func([]byte) (*T, error), extra ...[2]string) (*T, error) {
	return send(ctx, c, http.MethodGet, endpoint, path, q, projectID, sl, nil, decode, extra)
}

// send is get for any method, with body (nil for none) sent as JSON and
// signed; post.go says which failures of a request with a body are retried.
// A 401 for expired keys was not processed, so it is sent once more whatever
// the method.
func send[T any](ctx context.Context, c *Client, method, endpoint, path string, q Query, projectID string, sl *slot, body []byte, decode func([]byte) (*T, error), extra [][2]string) (*T, error) {
	v, refused, err := sendOnce(ctx, c, method, endpoint, path, q, projectID, sl, body, decode, extra)
	if refused == nil {
		return v, err
	}
	tflog.Debug(ctx, "Huawei Cloud API refused the temporary keys as expired: renewing them and sending the request again", map[string]any{"path": path})
	c.src.Invalidate(*refused)
	v, _, err = sendOnce(ctx, c, method, endpoint, path, q, projectID, sl, body, decode, extra)
	return v, err
}

// sendOnce is send without the renewal: refused is set when the answer was a
// 401 for expired keys that the source can renew.
func sendOnce[T any](ctx context.Context, c *Client, method, endpoint, path string, q Query, projectID string, sl *slot, body []byte, decode func([]byte) (*T, error), extra [][2]string) (_ *T, refused *Credentials, _ error) {
	u, err := joinURL(endpoint, path, q)
	if err != nil {
		return nil, nil, err
	}
	creds, err := c.src.Credentials(ctx)
	if err != nil {
		return nil, nil, err
	}
	ctx = maskSecrets(ctx, creds)
	var reqBody any // a nil []byte in an interface is not a nil body
	if body != nil {
		reqBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), reqBody)
	if err != nil {
		return nil, nil, fmt.Errorf("building request for %s: %w", u.Path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if projectID != "" {
		req.Header.Set(HeaderProjectID, projectID)
	}
	for _, h := range extra {
		if h[1] != "" {
			req.Header.Set(h[0], h[1])
		}
	}
	if err := c.signer.Sign(req.Request, creds, body, c.now()); err != nil {
		return nil, nil, err
	}

	k := &call{c: c, ctx: ctx, method: method, path: u.Path, query: u.RawQuery, slot: sl, creds: creds, body: body}
	var result *T
	req.SetResponseHandler(func(resp *http.Response) error {
		v, err := handleAnswer(k, resp, decode)
		result = v
		return err
	})
	resp, err := k.retryClient().Do(req)
	if err != nil {
		err = k.failure(err)
		if c.src.Renewable() && expiredKeys(err) {
			return nil, &k.creds, err
		}
		return nil, nil, err
	}
	_ = resp.Body.Close()
	return result, nil, nil
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
func maskSecrets(ctx context.Context, creds Credentials) context.Context {
	for _, s := range []string{creds.SecretKey, creds.SecurityToken} {
		if s != "" {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, s)
			ctx = tflog.MaskMessageStrings(ctx, s)
		}
	}
	return ctx
}
