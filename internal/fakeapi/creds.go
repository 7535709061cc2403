package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The credential services: the ECS metadata service, IAM's securitytokens (by
// assume_role, signed; by token, unsigned), IAM's OIDC id-token exchange and
// STS's agency assumption. They issue temporary keys that the fake then accepts
// for every signed request until they expire, and records: which service issued
// them, to whom, and when they expire, so that tests can tell which identity
// signed each Workspace request.
//
// Error answers follow IAM's and STS's shape ({"error_code", "error_msg"}):
// a refused agency is a 403 with IAMRefusedCode (STSRefusedCode through STS), a
// key used after its expiry a 401 with ExpiredCode.

// Error codes of the credential services.
const (
	// ExpiredCode is the gateway's "The token must be updated": temporary keys
	// used after their expiry.
	ExpiredCode      = "APIG.0307"
	IAMRefusedCode   = "IAM.0003"
	STSRefusedCode   = "STS.0004"
	IAMNotFoundCode  = "IAM.0011"
	IAMBadTokenCode  = "IAM.0306"
	IAMBadBodyCode   = "IAM.0001"
	MetadataNoAgency = "Please configure Cloud Service Agency first"
)

// Agency is an agency the fake's IAM and STS let callers assume.
type Agency struct {
	Name       string
	DomainName string // for IAM's securitytokens
	DomainID   string // for STS's agency_urn
	// Refused agencies answer 403: the caller may not assume them.
	Refused bool
}

// Issued is a temporary key the fake issued.
type Issued struct {
	Credential
	// Origin is "metadata", "iam-token" (OIDC's intermediate keys), or
	// "iam-agency:{domain_name}/{agency}" or "sts-agency:{domain_id}/{agency}".
	Origin string
	// Parent is the access key that signed the request that obtained it; ""
	// for unsigned requests.
	Parent  string
	Expires time.Time
	// Duration is the duration_seconds the request asked for, 0 when none.
	Duration int64
}

type credState struct {
	metadata      bool
	metadataToken bool
	metaTokens    []string
	agencies      []Agency
	idps          map[string][]string // idp id -> accepted id tokens
	subjects      map[string]string   // subject token -> idp id
	issued        []*Issued
	lifetime      time.Duration
	refuseAfter   int
	uses          map[string]int
	seq           int
}

func (s *Server) credState() *credState {
	if s.creds == nil {
		s.creds = &credState{idps: map[string][]string{}, subjects: map[string]string{}, uses: map[string]int{}}
	}
	return s.creds
}

// EnableMetadata serves the metadata service, with a token service
// (PUT /meta-data/latest/api/token) or without one (the PUT answers 404).
func (s *Server) EnableMetadata(tokenService bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.credState()
	c.metadata, c.metadataToken = true, tokenService
}

// AddAgency lets callers assume a.
func (s *Server) AddAgency(a Agency) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credState().agencies = append(s.credState().agencies, a)
}

// AddIdentityProvider accepts idTokens from the OIDC identity provider id.
func (s *Server) AddIdentityProvider(id string, idTokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.credState()
	c.idps[id] = append(c.idps[id], idTokens...)
}

// SetIssuedLifetime makes every key issued from now on expire d after it was
// issued, whatever duration was asked; 0 restores the durations (900 s by
// default, 1 h for the metadata service).
func (s *Server) SetIssuedLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credState().lifetime = d
}

// SetRefuseAfterUses makes the fake refuse each issued key as expired (401,
// ExpiredCode) after it signed n requests, before its announced expiry, as a
// gateway whose clock runs ahead would; 0 turns this off.
func (s *Server) SetRefuseAfterUses(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credState().refuseAfter = n
}

// Issued lists the keys issued so far, oldest first.
func (s *Server) Issued() []Issued {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.creds == nil {
		return nil
	}
	out := make([]Issued, len(s.creds.issued))
	for i, k := range s.creds.issued {
		out[i] = *k
	}
	return out
}

// IssuedKey returns the issued key with access key ak.
func (s *Server) IssuedKey(ak string) (Issued, bool) {
	for _, k := range s.Issued() {
		if k.AccessKey == ak {
			return k, true
		}
	}
	return Issued{}, false
}

// Secrets lists every secret the credential services hold or handed out:
// issued secret keys and security tokens, subject tokens, metadata tokens and
// the id tokens they accept; for tests that logs hold none of them.
func (s *Server) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.creds == nil {
		return nil
	}
	c := s.creds
	out := slices.Clone(c.metaTokens)
	for _, k := range c.issued {
		out = append(out, k.SecretKey, k.SecurityToken)
	}
	for sub := range c.subjects {
		out = append(out, sub)
	}
	for _, toks := range c.idps {
		out = append(out, toks...)
	}
	return out
}

// issuedCredential is authenticate's lookup of an issued key; called without
// s.mu held.
func (s *Server) issuedCredential(ak string) *Credential {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.creds == nil {
		return nil
	}
	for _, k := range s.creds.issued {
		if k.AccessKey == ak {
			c := k.Credential
			return &c
		}
	}
	return nil
}

// expired is the 401 for an issued key used after its expiry (or after
// SetRefuseAfterUses uses); it counts the use.
func (s *Server) expired(ak string) (answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.creds == nil {
		return answer{}, false
	}
	for _, k := range s.creds.issued {
		if k.AccessKey != ak {
			continue
		}
		s.creds.uses[ak]++
		if !s.opts.Now().Before(k.Expires) || (s.creds.refuseAfter > 0 && s.creds.uses[ak] > s.creds.refuseAfter) {
			return errAnswer(http.StatusUnauthorized, ExpiredCode, "The token must be updated."), true
		}
	}
	return answer{}, false
}

// issue makes a temporary key; called with s.mu held.
func (s *Server) issue(origin, parent string, duration int64, def time.Duration) *Issued {
	c := s.credState()
	c.seq++
	life := def
	if duration > 0 {
		life = time.Duration(duration) * time.Second
	}
	if c.lifetime > 0 {
		life = c.lifetime
	}
	k := &Issued{
		Credential: Credential{
			AccessKey:     fmt.Sprintf("FAKEISSUED%04dAK", c.seq),
			SecretKey:     fmt.Sprintf("fake-issued-secret-%04d-do-not-log", c.seq),
			SecurityToken: fmt.Sprintf("fake-issued-token-%04d-do-not-log", c.seq),
		},
		Origin: origin, Parent: parent, Expires: s.opts.Now().Add(life).UTC(), Duration: duration,
	}
	c.issued = append(c.issued, k)
	return k
}

// wireExpiry is expires_at as IAM writes it: 2020-01-08T03:50:07.574000Z.
func wireExpiry(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func credentialBody(k *Issued) map[string]any {
	return map[string]any{"credential": map[string]any{
		"access": k.AccessKey, "secret": k.SecretKey, "securitytoken": k.SecurityToken, "expires_at": wireExpiry(k.Expires),
	}}
}

type bodyKey struct{}

// keepBody reads r's body once, so that both the signature check and the
// credential routes can read it.
func keepBody(r *http.Request) *http.Request {
	if r.Body == nil || r.Body == http.NoBody {
		return r
	}
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r.WithContext(context.WithValue(r.Context(), bodyKey{}, body))
}

func requestBody(r *http.Request) []byte {
	b, _ := r.Context().Value(bodyKey{}).([]byte)
	return b
}

// securityTokensBody is the body of IAM's securitytokens, either method.
type securityTokensBody struct {
	Auth struct {
		Identity struct {
			Methods    []string `json:"methods"`
			AssumeRole *struct {
				AgencyName      string `json:"agency_name"`
				DomainName      string `json:"domain_name"`
				DomainID        string `json:"domain_id"`
				DurationSeconds int64  `json:"duration_seconds"`
			} `json:"assume_role"`
			Token *struct {
				ID string `json:"id"`
			} `json:"token"`
		} `json:"identity"`
	} `json:"auth"`
}

// unsigned answers the requests that carry no signature: the metadata
// service, the OIDC exchange and securitytokens by token. ok is false for
// every other request, which goes through the signature check.
func (s *Server) unsigned(r *http.Request, requestID string) (answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creds
	if c == nil {
		return answer{}, false
	}
	switch {
	case c.metadata && r.URL.Path == "/meta-data/latest/api/token":
		if !c.metadataToken {
			return errAnswer(http.StatusNotFound, "", "404 page not found"), true
		}
		if r.Method != http.MethodPut || r.Header.Get("X-Metadata-Token-Ttl-Seconds") == "" {
			return errAnswer(http.StatusBadRequest, "", "PUT with X-Metadata-Token-Ttl-Seconds"), true
		}
		tok := fmt.Sprintf("fake-metadata-token-%s-do-not-log", requestID)
		c.metaTokens = append(c.metaTokens, tok)
		return answer{status: http.StatusOK, raw: tok, ctype: "text/plain"}, true
	case c.metadata && r.URL.Path == "/openstack/latest/securitykey":
		if r.Method != http.MethodGet {
			return errAnswer(http.StatusMethodNotAllowed, "", "GET only"), true
		}
		if c.metadataToken && !slices.Contains(c.metaTokens, r.Header.Get("X-Metadata-Token")) {
			return errAnswer(http.StatusUnauthorized, "", "X-Metadata-Token is missing or invalid"), true
		}
		return answer{status: http.StatusOK, body: credentialBody(s.issue("metadata", "", 0, time.Hour))}, true
	case r.Method == http.MethodPost && r.URL.Path == "/v3.0/OS-AUTH/id-token/tokens":
		return s.idTokenExchange(r), true
	case r.Method == http.MethodPost && r.URL.Path == "/v3.0/OS-CREDENTIAL/securitytokens" && r.Header.Get("Authorization") == "":
		var b securityTokensBody
		err := json.Unmarshal(requestBody(r), &b)
		if err == nil && slices.Contains(b.Auth.Identity.Methods, "assume_role") {
			return authFailed("Authorization header is missing or does not use SDK-HMAC-SHA256"), true
		}
		if err != nil || !slices.Equal(b.Auth.Identity.Methods, []string{"token"}) || b.Auth.Identity.Token == nil {
			return errAnswer(http.StatusBadRequest, IAMBadBodyCode, "unsigned securitytokens requests need methods [\"token\"] and token.id"), true
		}
		if _, ok := c.subjects[b.Auth.Identity.Token.ID]; !ok {
			return errAnswer(http.StatusUnauthorized, IAMBadTokenCode, "The token is invalid or has expired."), true
		}
		return answer{status: http.StatusCreated, body: credentialBody(s.issue("iam-token", "", 0, 15*time.Minute))}, true
	}
	return answer{}, false
}

// idTokenExchange is POST /v3.0/OS-AUTH/id-token/tokens; called with s.mu held.
func (s *Server) idTokenExchange(r *http.Request) answer {
	c := s.creds
	idp := r.Header.Get("X-Idp-Id")
	toks, ok := c.idps[idp]
	if !ok {
		return errAnswer(http.StatusNotFound, IAMNotFoundCode, fmt.Sprintf("The identity provider %q does not exist.", idp))
	}
	var b struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	if err := json.Unmarshal(requestBody(r), &b); err != nil || b.Auth.IDToken.ID == "" {
		return errAnswer(http.StatusBadRequest, IAMBadBodyCode, "the body needs auth.id_token.id")
	}
	if !slices.Contains(toks, b.Auth.IDToken.ID) {
		return errAnswer(http.StatusUnauthorized, IAMBadTokenCode, "The id_token is invalid or has expired.")
	}
	c.seq++
	sub := fmt.Sprintf("fake-subject-token-%04d-do-not-log", c.seq)
	c.subjects[sub] = idp
	return answer{status: http.StatusCreated, body: map[string]any{"token": map[string]any{
		"expires_at": wireExpiry(s.opts.Now().Add(time.Hour)), "methods": []string{"mapped"},
	}}, subjectToken: sub}
}

// credentialRoute answers the signed credential requests: securitytokens by
// assume_role and STS's assume. ak signed the request.
func (s *Server) credentialRoute(r *http.Request, ak string) (answer, bool) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v3.0/OS-CREDENTIAL/securitytokens":
		var b securityTokensBody
		if err := json.Unmarshal(requestBody(r), &b); err != nil || !slices.Equal(b.Auth.Identity.Methods, []string{"assume_role"}) || b.Auth.Identity.AssumeRole == nil {
			return errAnswer(http.StatusBadRequest, IAMBadBodyCode, "signed securitytokens requests need methods [\"assume_role\"] and assume_role"), true
		}
		ar := b.Auth.Identity.AssumeRole
		if ar.DurationSeconds != 0 && (ar.DurationSeconds < 900 || ar.DurationSeconds > 43200) {
			return errAnswer(http.StatusBadRequest, IAMBadBodyCode, "duration_seconds must be from 900 to 43200"), true
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.agency(func(a Agency) bool { return a.Name == ar.AgencyName && a.DomainName == ar.DomainName })
		switch {
		case !ok:
			return errAnswer(http.StatusNotFound, IAMNotFoundCode, fmt.Sprintf("The agency %s of domain %s does not exist.", ar.AgencyName, ar.DomainName)), true
		case a.Refused:
			return errAnswer(http.StatusForbidden, IAMRefusedCode, "Policy doesn't allow iam:agencies:assume to be performed."), true
		}
		k := s.issue("iam-agency:"+a.DomainName+"/"+a.Name, ak, ar.DurationSeconds, 15*time.Minute)
		return answer{status: http.StatusCreated, body: credentialBody(k)}, true
	case r.Method == http.MethodPost && r.URL.Path == "/v5/agencies/assume":
		var b struct {
			AgencyURN         string `json:"agency_urn"`
			AgencySessionName string `json:"agency_session_name"`
			DurationSeconds   int64  `json:"duration_seconds"`
		}
		parts := []string{}
		if err := json.Unmarshal(requestBody(r), &b); err == nil {
			parts = strings.Split(b.AgencyURN, ":")
		}
		if len(parts) != 5 || parts[0] != "iam" || parts[1] != "" || parts[3] != "agency" || b.AgencySessionName == "" {
			return errAnswer(http.StatusBadRequest, "STS.0001", "the body needs agency_urn iam::{domain_id}:agency:{name} and agency_session_name"), true
		}
		if b.DurationSeconds != 0 && (b.DurationSeconds < 900 || b.DurationSeconds > 43200) {
			return errAnswer(http.StatusBadRequest, "STS.0001", "duration_seconds must be from 900 to 43200"), true
		}
		domainID, name := parts[2], parts[4]
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.agency(func(a Agency) bool { return a.Name == name && a.DomainID == domainID })
		switch {
		case !ok:
			return errAnswer(http.StatusNotFound, "STS.0011", fmt.Sprintf("The agency %s does not exist.", b.AgencyURN)), true
		case a.Refused:
			return errAnswer(http.StatusForbidden, STSRefusedCode, "You are not allowed to assume agency "+b.AgencyURN+"."), true
		}
		k := s.issue("sts-agency:"+a.DomainID+"/"+a.Name, ak, b.DurationSeconds, 15*time.Minute)
		return answer{status: http.StatusOK, body: map[string]any{"credentials": map[string]any{
			"access_key_id": k.AccessKey, "secret_access_key": k.SecretKey, "security_token": k.SecurityToken, "expiration": wireExpiry(k.Expires),
		}}}, true
	}
	return answer{}, false
}

// agency finds an agency; called with s.mu held.
func (s *Server) agency(match func(Agency) bool) (Agency, bool) {
	if s.creds == nil {
		return Agency{}, false
	}
	for _, a := range s.creds.agencies {
		if match(a) {
			return a, true
		}
	}
	return Agency{}, false
}
