package creds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// Where temporary keys come from: the ECS/CCE metadata service, an IAM agency
// (IAM securitytokens by domain name, or STS by domain ID), and OIDC federation.
// Each is a Fetch for a RefreshingSource. A credential request goes through
// the client's one request path, retried as an API GET is (429, 5xx,
// connection failures; never another 4xx) with the client's backoff and
// max_retries, each attempt bounded by its own timeout, and it is never logged
// with its body: bodies hold id tokens, subject tokens and secret keys. Its
// POSTs are safe to retry: each creates a fresh short-lived token or temporary
// keys and nothing else. Its failure is a *CredentialError that names the
// step.
//
// The metadata requests are the exception for "no answer": a connection that
// cannot be made (refused, unreachable, a dial timeout) or no answer within
// MetadataTimeout is final, not retried. The metadata service is the last
// place the provider looks for keys, and one that does not answer means this
// is not an ECS or CCE node; retrying cannot change that and would only delay
// the "No access key was found" error by the whole backoff. Its 500s and a
// connection dropped after the request was sent are retried as any other.

// Timeouts of the credential requests.
const (
	// MetadataTimeout bounds each attempt of a metadata request, so that a
	// machine without the service (or a firewall that drops the packets)
	// fails in seconds per attempt.
	MetadataTimeout = 2 * time.Second
	// CredentialTimeout bounds each attempt of an IAM or STS request.
	CredentialTimeout = 30 * time.Second
)

// DefaultMetadataEndpoint is the ECS metadata service.
const DefaultMetadataEndpoint = "http://169.254.169.254"

// Header names and paths of the credential APIs: names, not credentials
// (transport has the headers it masks in logs).
//
//nolint:gosec // G101 takes "Token" in a name for a secret
const (
	HeaderIdpID          = "X-Idp-Id"
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

// call sends r through transport's Credential, the one request path with the
// API calls' retry policy: any failure is a *CredentialError naming step.
func call(ctx context.Context, c *transport.Client, step string, r transport.CredentialRequest) (transport.Answer, error) {
	r.Step = step
	a, err := c.Credential(ctx, r)
	if err != nil {
		return transport.Answer{}, &CredentialError{Step: step, Err: err}
	}
	return a, nil
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
func temporaryKeys(step, path string, a transport.Answer, prefix, akField, skField, tokenField, expField, ak, sk, token, exp string) (sign.Credentials, time.Time, error) {
	for _, f := range [][2]string{{akField, ak}, {skField, sk}, {tokenField, token}, {expField, exp}} {
		if f[1] == "" {
			return sign.Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d, but the answer has no %s.%s (request id %s)",
				path, a.Status, prefix, f[0], requestIDOrNone(a.Header))}
		}
	}
	t, err := time.Parse(time.RFC3339Nano, exp)
	if err != nil {
		return sign.Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d, but %s.%s %q is not a time like 2020-01-08T03:50:07.574000Z (request id %s)",
			path, a.Status, prefix, expField, exp, requestIDOrNone(a.Header))}
	}
	return sign.Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: token}, t, nil
}

func requestIDOrNone(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return "none"
}

func decodeCredential(step, path string, a transport.Answer) (sign.Credentials, time.Time, error) {
	var v struct {
		Credential wireCredential `json:"credential"`
	}
	if err := json.Unmarshal(a.Body, &v); err != nil {
		return sign.Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d with a body that is not the expected JSON (request id %s): %s",
			path, a.Status, requestIDOrNone(a.Header), jsonErrorOnly(err).Error())}
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
func MetadataFetch(c *transport.Client, endpoint string) Fetch {
	step := MetadataStep(endpoint)
	return func(ctx context.Context) (sign.Credentials, time.Time, error) {
		tok, err := call(ctx, c, step, transport.CredentialRequest{
			Method: http.MethodPut, Endpoint: endpoint, Path: metadataTokenPath, Timeout: MetadataTimeout, NoAnswerIsFinal: true,
			Header: map[string]string{HeaderMetadataTTL: metadataTokenTTL},
			Accept: []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusServiceUnavailable},
		})
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
		}
		h := map[string]string{}
		if tok.Status >= 200 && tok.Status <= 299 {
			h[transport.HeaderMetadataToken] = strings.TrimSpace(string(tok.Body))
		}
		a, err := call(ctx, c, step, transport.CredentialRequest{Method: http.MethodGet, Endpoint: endpoint, Path: metadataKeyPath, Header: h, Timeout: MetadataTimeout, NoAnswerIsFinal: true})
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
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
func AssumeRoleFetch(c *transport.Client, base transport.Source, iamEndpoint, stsEndpoint string, r AssumeRole) Fetch {
	return func(ctx context.Context) (sign.Credentials, time.Time, error) {
		keys, err := base.Credentials(ctx)
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
		}
		if r.DomainID != "" {
			return stsAssume(ctx, c, r.Step(), keys, stsEndpoint, r)
		}
		role := map[string]any{"agency_name": r.AgencyName, "domain_name": r.DomainName}
		if r.Duration > 0 {
			role["duration_seconds"] = r.Duration
		}
		a, err := call(ctx, c, r.Step(), transport.CredentialRequest{
			Method: http.MethodPost, Endpoint: iam.Base(iamEndpoint), Path: iamSecurityTokenPath, Keys: &keys, Timeout: CredentialTimeout,
			Body: map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"assume_role"}, "assume_role": role}}},
		})
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
		}
		return decodeCredential(r.Step(), iamSecurityTokenPath, a)
	}
}

func stsAssume(ctx context.Context, c *transport.Client, step string, keys sign.Credentials, stsEndpoint string, r AssumeRole) (sign.Credentials, time.Time, error) {
	body := map[string]any{"agency_urn": "iam::" + r.DomainID + ":agency:" + r.AgencyName, "agency_session_name": r.AgencyName}
	if r.Duration > 0 {
		body["duration_seconds"] = r.Duration
	}
	a, err := call(ctx, c, step, transport.CredentialRequest{
		Method: http.MethodPost, Endpoint: stsEndpoint, Path: stsAssumePath, Keys: &keys, Timeout: CredentialTimeout, Body: body,
	})
	if err != nil {
		return sign.Credentials{}, time.Time{}, err
	}
	var v struct {
		Credentials stsCredential `json:"credentials"`
	}
	if err := json.Unmarshal(a.Body, &v); err != nil {
		return sign.Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d with a body that is not the expected JSON (request id %s): %s",
			stsAssumePath, a.Status, requestIDOrNone(a.Header), jsonErrorOnly(err).Error())}
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
func OIDCFetch(c *transport.Client, iamEndpoint, stsEndpoint string, o OIDC) Fetch {
	return func(ctx context.Context) (sign.Credentials, time.Time, error) {
		step := o.Step()
		jwt, err := o.idToken()
		if err != nil {
			return sign.Credentials{}, time.Time{}, &CredentialError{Step: step, Err: err}
		}
		a, err := call(ctx, c, step, transport.CredentialRequest{
			Method: http.MethodPost, Endpoint: iam.Base(iamEndpoint), Path: iamIDTokenPath, Timeout: CredentialTimeout,
			Header: map[string]string{HeaderIdpID: o.IdpID},
			Body:   map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": jwt}}},
		})
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
		}
		subject := a.Header.Get(transport.HeaderSubjectToken)
		if subject == "" {
			return sign.Credentials{}, time.Time{}, &CredentialError{Step: step, Err: fmt.Errorf("%s: HTTP %d without an X-Subject-Token header (request id %s)",
				iamIDTokenPath, a.Status, requestIDOrNone(a.Header))}
		}
		a, err = call(ctx, c, step, transport.CredentialRequest{
			Method: http.MethodPost, Endpoint: iam.Base(iamEndpoint), Path: iamSecurityTokenPath, Timeout: CredentialTimeout,
			Body: map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": subject}}}},
		})
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
		}
		keys, _, err := decodeCredential(step, iamSecurityTokenPath, a)
		if err != nil {
			return sign.Credentials{}, time.Time{}, err
		}
		r := AssumeRole{AgencyName: o.AgencyName, DomainID: o.DomainID, Duration: o.Duration}
		return stsAssume(ctx, c, r.Step(), keys, stsEndpoint, r)
	}
}
