package transport

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
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

// CredentialRequest is a credential call: the metadata service's token and
// keys, IAM's and STS's token and temporary-key calls. It goes through the one
// path of every request (send): built, signed, sent, classified and retried
// as an API GET is, except that it is signed with Keys (not the client's
// Source, which the call is renewing) or not at all, and that its bodies are
// never logged.
type CredentialRequest struct {
	Method   string
	Endpoint string // base URL
	Path     string
	Header   map[string]string
	Body     any               // JSON, or nil
	Keys     *sign.Credentials // nil: unsigned
	// Timeout bounds each attempt; 0 means the client's per-request timeout.
	Timeout time.Duration
	// Accept lists statuses besides 2xx that are answers, not errors (the
	// metadata token's 404); they are not retried.
	Accept []int
	// Step names the call in logs.
	Step string
	// NoAnswerIsFinal makes "no answer" final: an attempt whose connection
	// could not be made (refused, unreachable, a dial timeout) or that got
	// no answer within Timeout is not retried. A service that does not
	// answer at all is not there (the metadata service off an ECS), and
	// asking again only makes the caller wait. Answered transient statuses
	// and connections dropped after the request was sent are still retried.
	NoAnswerIsFinal bool
}

// Answer is a credential call's answer. Its body is never logged.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// maxCredentialBody bounds a credential answer.
const maxCredentialBody = 1 << 20

// credential is what a credential call adds to a Request.
type credential struct {
	keys    *sign.Credentials
	timeout time.Duration
	accept  []int
	step    string
	// noAnswerIsFinal: see CredentialRequest.NoAnswerIsFinal.
	noAnswerIsFinal bool
}

// accepts says whether status is an answer of the call rather than an error.
func (cr *credential) accepts(status int) bool {
	return status >= 200 && status <= 299 || slices.Contains(cr.accept, status)
}

// Credential sends r through the one request path and returns a 2xx answer
// (or one of r.Accept's statuses); anything else is an *APIError, a
// *NetworkError or a *BodyError, wrapped in a *RequestError once retries were
// made.
//
// It is retried as a GET is (retry.go): 429, 5xx and connection failures,
// with the client's backoff and max_retries (but not a connection that could
// not be made or an attempt that timed out, when r.NoAnswerIsFinal); another
// 4xx (a refused trust, an unknown agency or identity provider, bad keys) is
// returned at once. That
// holds for its POSTs too, unlike the API's: each one creates a new
// short-lived token or temporary keys and changes nothing else, so one that
// was processed and is sent again only leaves an unused credential to expire.
// Neither the request's body nor the answer's is logged, since they hold id
// tokens, subject tokens and keys.
func (c *Client) Credential(ctx context.Context, r CredentialRequest) (Answer, error) {
	var raw []byte
	if r.Body != nil {
		var err error
		if raw, err = json.Marshal(r.Body); err != nil {
			return Answer{}, err
		}
	}
	req := Request{
		Method: r.Method, Endpoint: r.Endpoint, Path: r.Path, Header: r.Header, Body: raw,
		cred: &credential{keys: r.Keys, timeout: orDefault(r.Timeout, c.retry.timeout), accept: r.Accept, step: r.Step,
			noAnswerIsFinal: r.NoAnswerIsFinal},
	}
	var a Answer
	_, err := send(ctx, c, req, func(k *call, resp *http.Response) error {
		return k.readCredential(resp, &a)
	})
	if err != nil {
		return Answer{}, err
	}
	return a, nil
}

// readCredential reads a credential answer that is not retried for its
// status into a.
func (k *call) readCredential(resp *http.Response, a *Answer) error {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCredentialBody))
	k.logAnswer(resp, len(data), err)
	requestID := resp.Header.Get("X-Request-Id")
	if err != nil {
		return &BodyError{Method: k.method, Path: k.path, StatusCode: resp.StatusCode, RequestID: requestID, Read: len(data), Err: err}
	}
	if !k.cred.accepts(resp.StatusCode) {
		return newAPIError(k.method, k.path, resp.StatusCode, requestID, resp.Header.Get("Content-Type"), data)
	}
	*a = Answer{Status: resp.StatusCode, Header: resp.Header, Body: data}
	return nil
}

// source is what signs the call's attempts: the client's Source for an API
// call, a credential call's own keys, or nothing (nil) for an unsigned one.
func (c *Client) source(r Request) Source {
	switch {
	case r.cred == nil:
		return c.src
	case r.cred.keys != nil:
		return Static(*r.cred.keys)
	}
	return nil
}

// httpClient is the http.Client of the call's attempts: the client's, or for
// a credential call one that shares its connections under the call's own
// per-attempt timeout.
func (c *Client) httpClient(r Request) (*http.Client, time.Duration) {
	if r.cred == nil || r.cred.timeout == c.retry.timeout {
		return c.http, c.retry.timeout
	}
	return &http.Client{Transport: c.http.Transport, Timeout: r.cred.timeout}, r.cred.timeout
}

// noun names the call's kind in log messages: "API" or "credential".
func (k *call) noun() string {
	if k.cred != nil {
		return "credential"
	}
	return "API"
}

// logCredentialHeaders logs a credential answer's headers, masked, at trace
// level, as the credential calls always have.
func (k *call) logCredentialHeaders(resp *http.Response) {
	if k.cred != nil {
		tflog.Trace(k.ctx, "Huawei Cloud credential answer headers", k.fields(map[string]any{"status": resp.StatusCode, "headers": maskedHeaders(resp.Header)}))
	}
}
