// Package client is the Huawei Cloud API client the provider uses: SDK-HMAC-SHA256
// signing, the IAM project lookup and the Workspace ListDesktopSnapshot listing with
// its paging. It uses the standard library's HTTP client and honours the context of
// every call.
package client

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxBodyBytes bounds what one answer may hold. A full page of 1000 snapshots is
// well under 1 MiB.
const maxBodyBytes = 64 << 20

// Config is what a Client needs.
type Config struct {
	Credentials Credentials
	// UserAgent is sent on every request.
	UserAgent string
	// TLSConfig configures TLS (trusted CAs, insecure = true); nil means Go's
	// defaults. New uses a copy.
	TLSConfig *tls.Config
	// HTTPClient replaces the default client; tests leave it nil.
	HTTPClient *http.Client
	// Now replaces time.Now for the signature date; tests leave it nil.
	Now func() time.Time
	// MaxConcurrency bounds how many pages of one listing are fetched at once;
	// 0 means DefaultMaxConcurrency.
	MaxConcurrency int
}

// DefaultMaxConcurrency is how many pages of one listing are fetched at once when
// Config.MaxConcurrency is 0.
const DefaultMaxConcurrency = 4

// Client sends signed requests. It is safe for concurrent use.
type Client struct {
	creds     Credentials
	userAgent string
	http      *http.Client
	now       func() time.Time
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	hc := cfg.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if cfg.TLSConfig != nil {
			tr.TLSClientConfig = cfg.TLSConfig.Clone()
		}
		hc = &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{creds: cfg.Credentials, userAgent: cfg.UserAgent, http: hc, now: now}
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

// getJSON sends a signed GET of endpoint+path?query and decodes a 2xx JSON answer
// into out. A non-2xx answer is an *APIError; a 2xx answer that does not decode is
// a *DecodeError. projectID, when set, is sent (and signed) as X-Project-Id.
func (c *Client) getJSON(ctx context.Context, endpoint, path string, q Query, projectID string, out any) error {
	u, err := joinURL(endpoint, path, q)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("building request for %s: %w", u.Path, err)
	}
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if projectID != "" {
		req.Header.Set(HeaderProjectID, projectID)
	}
	Sign(req, c.creds, c.now())

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		tflog.Debug(ctx, "Huawei Cloud API request failed", map[string]any{
			"method": req.Method, "path": u.Path, "query": u.RawQuery,
			"duration_ms": time.Since(start).Milliseconds(), "error": err.Error(),
		})
		return fmt.Errorf("%s %s: %w", req.Method, u.Path, err)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	requestID := resp.Header.Get("X-Request-Id")
	tflog.Debug(ctx, "Huawei Cloud API request", map[string]any{
		"method": req.Method, "path": u.Path, "query": u.RawQuery, "status": resp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(), "request_id": requestID, "bytes": len(body),
	})
	if readErr != nil {
		return fmt.Errorf("%s %s: HTTP %d, reading the body: %w (request id %q)", req.Method, u.Path, resp.StatusCode, readErr, requestID)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(req.Method, u.Path, resp.StatusCode, requestID, resp.Header.Get("Content-Type"), body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &DecodeError{
			Method: req.Method, Path: u.Path, StatusCode: resp.StatusCode, RequestID: requestID,
			ContentType: resp.Header.Get("Content-Type"), BodyExcerpt: excerpt(body), Err: err,
		}
	}
	return nil
}
