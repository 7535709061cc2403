package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Where temporary keys come from: the ECS/CCE metadata service, an IAM agency
// (IAM securitytokens by domain name, or STS by domain ID), and OIDC federation.
// Each is a Fetch for a RefreshingSource. A credential request is sent once,
// bounded by its own timeout, and never logged with its body: bodies hold id
// tokens, subject tokens and secret keys. Its failure is a *CredentialError that
// names the step.

// Timeouts of the credential requests.
const (
	// MetadataTimeout bounds each metadata request, so that a machine without
	// the service (or a firewall that drops the packets) fails in seconds.
	MetadataTimeout = 2 * time.Second
	// CredentialTimeout bounds each IAM and STS request.
	CredentialTimeout = 30 * time.Second
)

// DefaultMetadataEndpoint is the ECS metadata service.
const DefaultMetadataEndpoint = "http://169.254.169.254"

// Header names and paths of the credential APIs: names, not credentials.
//
//nolint:gosec // G101 takes "Token" in a name for a secret
const (
	HeaderSubjectToken   = "X-Subject-Token"
	HeaderAuthToken      = "X-Auth-Token"
	HeaderIdpID          = "X-Idp-Id"
	HeaderMetadataToken  = "X-Metadata-Token"
	HeaderMetadataTTL    = "X-Metadata-Token-Ttl-Seconds"
	metadataTokenTTL     = "21600"
	metadataTokenPath    = "/meta-data/latest/api/token"
	metadataKeyPath      = "/openstack/latest/securitykey"
	iamSecurityTokenPath = "/v3.0/OS-CREDENTIAL/securitytokens"
	iamIDTokenPath       = "/v3.0/OS-AUTH/id-token/tokens"
	stsAssumePath        = "/v5/agencies/assume"
)

// CredentialError is a failed step of obtaining keys.
type CredentialError struct {
	// Step names it: "assuming agency X in domain Y through IAM".
	Step string
	Err  error
}

func (e *CredentialError) Error() string { return e.Step + ": " + e.Err.Error() }

func (e *CredentialError) Unwrap() error { return e.Err }

// credRequest is one credential call.
type credRequest struct {
	step    string
	method  string
	base    string // endpoint base URL
	path    string
	header  http.Header
	body    any          // JSON, or nil
	signer  *Credentials // nil: unsigned
	timeout time.Duration
	// noAnswer lists statuses that are not errors (the metadata token's 404).
	noAnswer []int
}

// credAnswer is a credential call's answer.
type credAnswer struct {
	status int
	header http.Header
	body   []byte
}

// do sends r once, bounded by its timeout, and returns a 2xx answer (or one of
// noAnswer's statuses); anything else is a *CredentialError.
func (c *Client) credentialCall(ctx context.Context, r credRequest) (credAnswer, error) {
	fail := func(err error) (credAnswer, error) { return credAnswer{}, &CredentialError{Step: r.step, Err: err} }
	u, err := joinURL(r.base, r.path, nil)
	if err != nil {
		return fail(err)
	}
	var raw []byte
	if r.body != nil {
		if raw, err = json.Marshal(r.body); err != nil {
			return fail(err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var body io.Reader = http.NoBody
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return fail(err)
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if r.signer != nil {
		if err := c.signer.Sign(req, *r.signer, raw, c.now()); err != nil {
			return fail(err)
		}
	}
	fields := map[string]any{"step": r.step, "method": r.method, "path": u.Path}
	tflog.Trace(ctx, "Huawei Cloud credential request sent", with(fields, "headers", maskedHeaders(req.Header)))
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return fail(&TransportError{Method: r.method, Path: u.Path, Err: err, Note: fmt.Sprintf("no answer within %s", r.timeout)})
		}
		return fail(&TransportError{Method: r.method, Path: u.Path, Err: err})
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	fields["status"] = resp.StatusCode
	fields["request_id"] = resp.Header.Get("X-Request-Id")
	fields["duration_ms"] = time.Since(start).Milliseconds()
	tflog.Debug(ctx, "Huawei Cloud credential request", fields)
	tflog.Trace(ctx, "Huawei Cloud credential answer headers", with(fields, "headers", maskedHeaders(resp.Header)))
	if err != nil {
		return fail(&BodyError{Method: r.method, Path: u.Path, StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Request-Id"), Read: len(data), Err: err})
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	for _, s := range r.noAnswer {
		ok = ok || resp.StatusCode == s
	}
	if !ok {
		return fail(newAPIError(r.method, u.Path, resp.StatusCode, resp.Header.Get("X-Request-Id"), resp.Header.Get("Content-Type"), data))
	}
	return credAnswer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func with(m map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// wireCredential is IAM's and the metadata service's credential object.
type wireCredential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`
}

// stsCredential is STS's.
type stsCredential struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SecurityToken   string `json:"security_token"`
	Expiration      string `json:"expiration"`
}

// temporaryKeys checks and converts an answer's keys. The error names the
// missing field, never a value.
func temporaryKeys(step, path string, a credAnswer, prefix, akField, skField, tokenField, expField, ak, sk, token, exp string) (Credentials, time.Time, error) {
	for _, f := range [][2]string{{akField, ak}, {skField, sk}, {tokenField, token}, {expField, exp}} {
		if f[1] == "" {
			return Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d, but the answer has no %s.%s (request id %s)",
				path, a.status, prefix, f[0], requestIDOrNone(a.header))}
		}
	}
	t, err := time.Parse(time.RFC3339Nano, exp)
	if err != nil {
		return Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d, but %s.%s %q is not a time like 2020-01-08T03:50:07.574000Z (request id %s)",
			path, a.status, prefix, expField, exp, requestIDOrNone(a.header))}
	}
	return Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: token}, t, nil
}

func requestIDOrNone(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return "none"
}

func decodeCredential(step, path string, a credAnswer) (Credentials, time.Time, error) {
	var v struct {
		Credential wireCredential `json:"credential"`
	}
	if err := json.Unmarshal(a.body, &v); err != nil {
		return Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d with a body that is not the expected JSON (request id %s): %s",
			path, a.status, requestIDOrNone(a.header), jsonErrorOnly(err).Error())}
	}
	w := v.Credential
	return temporaryKeys(step, path, a, "credential", "access", "secret", "securitytoken", "expires_at", w.Access, w.Secret, w.SecurityToken, w.ExpiresAt)
}

// jsonErrorOnly keeps a JSON error's kind and offset, never the bytes it
// quotes: the body may hold keys.
func jsonErrorOnly(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s must not be a JSON %s", te.Field, te.Value)
	}
	return errors.New("invalid JSON")
}

// MetadataStep names the metadata step in errors.
func MetadataStep(endpoint string) string {
	return "reading keys from the metadata service at " + endpoint
}

// MetadataFetch reads the keys of the agency bound to this ECS or CCE node from
// the metadata service at endpoint: a session token first (PUT, when the
// service has a token service; a 404, 405 or 503 means it has none), then
// GET /openstack/latest/securitykey.
//
// @API ECS PUT /meta-data/latest/api/token
// @API ECS GET /openstack/latest/securitykey
func (c *Client) MetadataFetch(endpoint string) Fetch {
	step := MetadataStep(endpoint)
	return func(ctx context.Context) (Credentials, time.Time, error) {
		tok, err := c.credentialCall(ctx, credRequest{
			step: step, method: http.MethodPut, base: endpoint, path: metadataTokenPath, timeout: MetadataTimeout,
			header:   http.Header{HeaderMetadataTTL: {metadataTokenTTL}},
			noAnswer: []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusServiceUnavailable},
		})
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		h := http.Header{}
		if tok.status >= 200 && tok.status <= 299 {
			h.Set(HeaderMetadataToken, strings.TrimSpace(string(tok.body)))
		}
		a, err := c.credentialCall(ctx, credRequest{step: step, method: http.MethodGet, base: endpoint, path: metadataKeyPath, header: h, timeout: MetadataTimeout})
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		return decodeCredential(step, metadataKeyPath, a)
	}
}

// AssumeRole is one agency to assume.
type AssumeRole struct {
	AgencyName string
	// DomainName (through IAM) or DomainID (through STS) names the account
	// that owns the agency.
	DomainName, DomainID string
	// Duration is the keys' lifetime in seconds; 0 leaves it to the API
	// (IAM's and STS's default, 900).
	Duration int64
}

// Step names the assumption in errors.
func (r AssumeRole) Step() string {
	if r.DomainID != "" {
		return fmt.Sprintf("assuming agency %s in domain %s through STS", r.AgencyName, r.DomainID)
	}
	return fmt.Sprintf("assuming agency %s in domain %s through IAM", r.AgencyName, r.DomainName)
}

// AssumeRoleFetch assumes r with the keys base gives: IAM's securitytokens
// (method assume_role) at iamEndpoint when r names a domain, else STS's
// /v5/agencies/assume at stsEndpoint. Both requests are signed.
//
// @API IAM POST /v3.0/OS-CREDENTIAL/securitytokens
// @API STS POST /v5/agencies/assume
func (c *Client) AssumeRoleFetch(base CredentialSource, iamEndpoint, stsEndpoint string, r AssumeRole) Fetch {
	return func(ctx context.Context) (Credentials, time.Time, error) {
		keys, err := base.Credentials(ctx)
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		if r.DomainID != "" {
			return c.stsAssume(ctx, r.Step(), keys, stsEndpoint, r)
		}
		role := map[string]any{"agency_name": r.AgencyName, "domain_name": r.DomainName}
		if r.Duration > 0 {
			role["duration_seconds"] = r.Duration
		}
		a, err := c.credentialCall(ctx, credRequest{
			step: r.Step(), method: http.MethodPost, base: iamBase(iamEndpoint), path: iamSecurityTokenPath, signer: &keys, timeout: CredentialTimeout,
			body: map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"assume_role"}, "assume_role": role}}},
		})
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		return decodeCredential(r.Step(), iamSecurityTokenPath, a)
	}
}

func (c *Client) stsAssume(ctx context.Context, step string, keys Credentials, stsEndpoint string, r AssumeRole) (Credentials, time.Time, error) {
	body := map[string]any{"agency_urn": "iam::" + r.DomainID + ":agency:" + r.AgencyName, "agency_session_name": r.AgencyName}
	if r.Duration > 0 {
		body["duration_seconds"] = r.Duration
	}
	a, err := c.credentialCall(ctx, credRequest{
		step: step, method: http.MethodPost, base: stsEndpoint, path: stsAssumePath, signer: &keys, timeout: CredentialTimeout, body: body,
	})
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	var v struct {
		Credentials stsCredential `json:"credentials"`
	}
	if err := json.Unmarshal(a.body, &v); err != nil {
		return Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d with a body that is not the expected JSON (request id %s): %s",
			stsAssumePath, a.status, requestIDOrNone(a.header), jsonErrorOnly(err).Error())}
	}
	w := v.Credentials
	return temporaryKeys(step, stsAssumePath, a, "credentials", "access_key_id", "secret_access_key", "security_token", "expiration",
		w.AccessKeyID, w.SecretAccessKey, w.SecurityToken, w.Expiration)
}

// OIDC is an agency assumed with a CI system's OIDC id token.
type OIDC struct {
	IdpID string
	// IDToken is the token itself, or "" to read IDTokenFile at each renewal
	// (CI systems rotate the file).
	IDToken     string
	IDTokenFile string
	AgencyName  string
	DomainID    string
	Duration    int64
}

// Step names the token exchange in errors.
func (o OIDC) Step() string {
	return "exchanging the OIDC token of identity provider " + o.IdpID
}

func (o OIDC) idToken() (string, error) {
	if o.IDToken != "" {
		return o.IDToken, nil
	}
	data, err := os.ReadFile(o.IDTokenFile)
	if err != nil {
		return "", fmt.Errorf("reading id_token_file: %w", err)
	}
	tok := strings.TrimSpace(string(data))
	if tok == "" {
		return "", fmt.Errorf("id_token_file %q is empty", o.IDTokenFile)
	}
	return tok, nil
}

// OIDCFetch exchanges the id token for an IAM token (X-Subject-Token), that
// token for temporary keys, and with those assumes the agency through STS.
// The first two requests are unsigned.
//
// @API IAM POST /v3.0/OS-AUTH/id-token/tokens
// @API IAM POST /v3.0/OS-CREDENTIAL/securitytokens
// @API STS POST /v5/agencies/assume
func (c *Client) OIDCFetch(iamEndpoint, stsEndpoint string, o OIDC) Fetch {
	return func(ctx context.Context) (Credentials, time.Time, error) {
		step := o.Step()
		jwt, err := o.idToken()
		if err != nil {
			return Credentials{}, time.Time{}, &CredentialError{Step: step, Err: err}
		}
		a, err := c.credentialCall(ctx, credRequest{
			step: step, method: http.MethodPost, base: iamBase(iamEndpoint), path: iamIDTokenPath, timeout: CredentialTimeout,
			header: http.Header{HeaderIdpID: {o.IdpID}},
			body:   map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": jwt}}},
		})
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		subject := a.header.Get(HeaderSubjectToken)
		if subject == "" {
			return Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d without an X-Subject-Token header (request id %s)",
				iamIDTokenPath, a.status, requestIDOrNone(a.header))}
		}
		a, err = c.credentialCall(ctx, credRequest{
			step: step, method: http.MethodPost, base: iamBase(iamEndpoint), path: iamSecurityTokenPath, timeout: CredentialTimeout,
			body: map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": subject}}}},
		})
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		keys, _, err := decodeCredential(step, iamSecurityTokenPath, a)
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		r := AssumeRole{AgencyName: o.AgencyName, DomainID: o.DomainID, Duration: o.Duration}
		return c.stsAssume(ctx, r.Step(), keys, stsEndpoint, r)
	}
}
