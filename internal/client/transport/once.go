package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// Header names of the credential APIs whose values a log line never shows:
// names, not credentials.
//
//nolint:gosec // G101 takes "Token" in a name for a secret
const (
	HeaderSubjectToken  = "X-Subject-Token"
	HeaderAuthToken     = "X-Auth-Token"
	HeaderMetadataToken = "X-Metadata-Token"
)

// OnceRequest is a credential call: built by the code that builds every API
// request, signed with Keys (not the client's Source, which the call is
// renewing) or not at all, and sent once.
type OnceRequest struct {
	Method   string
	Endpoint string // base URL
	Path     string
	Header   map[string]string
	Body     any               // JSON, or nil
	Keys     *sign.Credentials // nil: unsigned
	Timeout  time.Duration
	// Accept lists statuses besides 2xx that are answers, not errors (the
	// metadata token's 404).
	Accept []int
	// Step names the call in logs.
	Step string
}

// Answer is a credential call's answer. Its body is never logged.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// maxCredentialBody bounds a credential answer.
const maxCredentialBody = 1 << 20

// Once sends r once, bounded by its timeout, and returns a 2xx answer (or one
// of r.Accept's statuses); anything else is an *APIError, a *NetworkError or
// a *BodyError. Credential calls are not retried: their usual failures
// (trust, names, permissions) do not heal. Neither the request's body nor the
// answer's is logged, since they hold id tokens, subject tokens and keys.
func (c *Client) Once(ctx context.Context, r OnceRequest) (Answer, error) {
	u, err := joinURL(r.Endpoint, r.Path, nil)
	if err != nil {
		return Answer{}, err
	}
	var raw []byte
	if r.Body != nil {
		if raw, err = json.Marshal(r.Body); err != nil {
			return Answer{}, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, r.Method, u, raw, "", r.Header)
	if err != nil {
		return Answer{}, err
	}
	if r.Keys != nil {
		if err := c.signer.Sign(req, *r.Keys, raw, c.now()); err != nil {
			return Answer{}, err
		}
	}
	fields := map[string]any{"step": r.Step, "method": r.Method, "path": u.Path}
	tflog.Trace(ctx, "Huawei Cloud credential request sent", with(fields, "headers", maskedHeaders(req.Header)))
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return Answer{}, &NetworkError{Method: r.Method, Path: u.Path, Err: err, Note: fmt.Sprintf("no answer within %s", r.Timeout)}
		}
		return Answer{}, &NetworkError{Method: r.Method, Path: u.Path, Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCredentialBody))
	requestID := resp.Header.Get("X-Request-Id")
	fields["status"] = resp.StatusCode
	fields["request_id"] = requestID
	fields["duration_ms"] = time.Since(start).Milliseconds()
	tflog.Debug(ctx, "Huawei Cloud credential request", fields)
	tflog.Trace(ctx, "Huawei Cloud credential answer headers", with(fields, "headers", maskedHeaders(resp.Header)))
	if err != nil {
		return Answer{}, &BodyError{Method: r.Method, Path: u.Path, StatusCode: resp.StatusCode, RequestID: requestID, Read: len(data), Err: err}
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	for _, s := range r.Accept {
		ok = ok || resp.StatusCode == s
	}
	if !ok {
		return Answer{}, newAPIError(r.Method, u.Path, resp.StatusCode, requestID, resp.Header.Get("Content-Type"), data)
	}
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

func with(m map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}
