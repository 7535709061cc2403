package fakeapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// clock is a fake clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startCreds(t *testing.T) (*fake, *clock) {
	t.Helper()
	c := &clock{t: t0}
	f := start(t, func(o *fakeapi.Options) { o.Now = c.now })
	f.AddAgency(fakeapi.Agency{Name: "ops", DomainName: "acme", DomainID: "dom-1"})
	f.AddAgency(fakeapi.Agency{Name: "no", DomainName: "acme", DomainID: "dom-1", Refused: true})
	f.AddIdentityProvider("idp", "jwt-ok")
	return f, c
}

// post builds a POST of body, signed with creds at at unless creds is empty.
func (f *fake) post(t *testing.T, path, body string, creds sign.Credentials, at time.Time, header ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if creds.AccessKey != "" {
		if err := sign.NewSigner(sign.DefaultAlgorithm).Sign(req, creds, []byte(body), at); err != nil {
			t.Fatal(err)
		}
	}
	return req
}

type wireCred struct {
	Credential struct {
		Access, Secret, Securitytoken string
		ExpiresAt                     string `json:"expires_at"`
	} `json:"credential"`
}

const assumeOps = `{"auth": {"identity": {"methods": ["assume_role"], "assume_role": {"agency_name": "ops", "domain_name": "acme", "duration_seconds": 3600}}}}`

// IAM's securitytokens by assume_role: the caller's signature is checked over
// the body; the keys issued sign Workspace requests until they expire.
func TestAssumeRoleThroughIAM(t *testing.T) {
	f, c := startCreds(t)
	r := send(t, f.post(t, "/v3.0/OS-CREDENTIAL/securitytokens", assumeOps, permanent, t0))
	if r.Status != 201 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var got wireCred
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Credential.Access != "FAKEISSUED0001AK" || got.Credential.ExpiresAt != "2026-11-28T05:00:00.000000Z" || got.Credential.Secret == "" || got.Credential.Securitytoken == "" {
		t.Fatalf("credential %+v", got.Credential)
	}
	k, ok := f.IssuedKey("FAKEISSUED0001AK")
	if !ok || k.Origin != "iam-agency:acme/ops" || k.Parent != fakeapi.AccessKey || k.Duration != 3600 {
		t.Fatalf("issued %+v", k)
	}
	temp := sign.Credentials{AccessKey: got.Credential.Access, SecretKey: got.Credential.Secret, SecurityToken: got.Credential.Securitytoken}
	if r := send(t, f.signed(t, snapshotsPath, "", temp, t0)); r.Status != 200 {
		t.Fatalf("the issued keys: %d %s", r.Status, r.Body)
	}
	// without their token, refused
	if r := send(t, f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: temp.AccessKey, SecretKey: temp.SecretKey}, t0)); r.Status != 401 {
		t.Fatalf("the issued keys without their token: %d", r.Status)
	}
	// once expired, refused with APIG.0307
	c.add(time.Hour)
	send(t, f.signed(t, snapshotsPath, "", temp, c.now())).wantError(t, 401, fakeapi.ExpiredCode, "The token must be updated.")
}

func TestAssumeRoleRefusals(t *testing.T) {
	f, _ := startCreds(t)
	// a body other than the one signed
	req := f.post(t, "/v3.0/OS-CREDENTIAL/securitytokens", assumeOps, permanent, t0)
	req.Body = http.NoBody
	req.ContentLength = 0
	send(t, req).wantError(t, 401, "APIG.0301", "verify aksk signature fail")
	send(t, f.post(t, "/v3.0/OS-CREDENTIAL/securitytokens", assumeOps, sign.Credentials{}, t0)).wantError(t, 401, "APIG.0301")
	send(t, f.post(t, "/v3.0/OS-CREDENTIAL/securitytokens", strings.Replace(assumeOps, `"ops"`, `"no"`, 1), permanent, t0)).
		wantError(t, 403, fakeapi.IAMRefusedCode, "iam:agencies:assume")
	send(t, f.post(t, "/v3.0/OS-CREDENTIAL/securitytokens", strings.Replace(assumeOps, `"acme"`, `"other"`, 1), permanent, t0)).
		wantError(t, 404, fakeapi.IAMNotFoundCode, "The agency ops of domain other does not exist.")
	send(t, f.post(t, "/v3.0/OS-CREDENTIAL/securitytokens", strings.Replace(assumeOps, "3600", "60", 1), permanent, t0)).
		wantError(t, 400, fakeapi.IAMBadBodyCode, "duration_seconds must be from 900 to 43200")
	send(t, f.post(t, "/v5/agencies/assume", `{"agency_urn": "iam::dom-1:agency:no", "agency_session_name": "no"}`, permanent, t0)).
		wantError(t, 403, fakeapi.STSRefusedCode)
	send(t, f.post(t, "/v5/agencies/assume", `{"agency_urn": "dom-1/ops", "agency_session_name": "ops"}`, permanent, t0)).
		wantError(t, 400, "STS.0001", "agency_urn")
	if n := len(f.Issued()); n != 0 {
		t.Fatalf("%d keys issued, want none", n)
	}
}

// OIDC: id token → subject token → keys → STS assume.
func TestOIDCExchange(t *testing.T) {
	f, _ := startCreds(t)
	const idPath, stPath = "/v3.0/OS-AUTH/id-token/tokens", "/v3.0/OS-CREDENTIAL/securitytokens"
	send(t, f.post(t, idPath, `{"auth": {"id_token": {"id": "jwt-ok"}}}`, sign.Credentials{}, t0, "X-Idp-Id", "other")).wantError(t, 404, fakeapi.IAMNotFoundCode, `"other"`)
	send(t, f.post(t, idPath, `{"auth": {"id_token": {"id": "jwt-bad"}}}`, sign.Credentials{}, t0, "X-Idp-Id", "idp")).wantError(t, 401, fakeapi.IAMBadTokenCode)
	r := send(t, f.post(t, idPath, `{"auth": {"id_token": {"id": "jwt-ok"}}}`, sign.Credentials{}, t0, "X-Idp-Id", "idp"))
	sub := r.Header.Get("X-Subject-Token")
	if r.Status != 201 || !strings.HasPrefix(sub, "fake-subject-token-") {
		t.Fatalf("%d, X-Subject-Token %q", r.Status, sub)
	}
	send(t, f.post(t, stPath, `{"auth": {"identity": {"methods": ["token"], "token": {"id": "nope"}}}}`, sign.Credentials{}, t0)).wantError(t, 401, fakeapi.IAMBadTokenCode)
	r = send(t, f.post(t, stPath, `{"auth": {"identity": {"methods": ["token"], "token": {"id": "`+sub+`"}}}}`, sign.Credentials{}, t0))
	var got wireCred
	if err := json.Unmarshal(r.Body, &got); err != nil || r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	keys := sign.Credentials{AccessKey: got.Credential.Access, SecretKey: got.Credential.Secret, SecurityToken: got.Credential.Securitytoken}
	r = send(t, f.post(t, "/v5/agencies/assume", `{"agency_urn": "iam::dom-1:agency:ops", "agency_session_name": "ops"}`, keys, t0))
	var sts struct {
		Credentials struct {
			AccessKeyID string `json:"access_key_id"`
			Expiration  string `json:"expiration"`
		} `json:"credentials"`
	}
	if err := json.Unmarshal(r.Body, &sts); err != nil || r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	k, _ := f.IssuedKey(sts.Credentials.AccessKeyID)
	if k.Origin != "sts-agency:dom-1/ops" || k.Parent != keys.AccessKey || sts.Credentials.Expiration != "2026-11-28T04:15:00.000000Z" {
		t.Fatalf("issued %+v, expiration %s", k, sts.Credentials.Expiration)
	}
	secrets := strings.Join(f.Secrets(), " ")
	for _, s := range []string{"jwt-ok", sub, keys.SecretKey, keys.SecurityToken} {
		if !strings.Contains(secrets, s) {
			t.Errorf("Secrets() misses %q", s)
		}
	}
}

// The metadata service, with and without its token service.
func TestMetadataService(t *testing.T) {
	for _, withToken := range []bool{true, false} {
		f, _ := startCreds(t)
		f.EnableMetadata(withToken)
		get := func(token string) response {
			req := f.newRequest(t, "/openstack/latest/securitykey", "")
			if token != "" {
				req.Header.Set("X-Metadata-Token", token)
			}
			return send(t, req)
		}
		put, err := http.NewRequest(http.MethodPut, f.URL+"/meta-data/latest/api/token", nil)
		if err != nil {
			t.Fatal(err)
		}
		put.Header.Set("X-Metadata-Token-Ttl-Seconds", "21600")
		tok := send(t, put)
		if !withToken {
			if tok.Status != 404 || get("").Status != 200 {
				t.Fatalf("without a token service: PUT %d", tok.Status)
			}
			continue
		}
		if tok.Status != 200 || get("").Status != 401 || get("forged").Status != 401 {
			t.Fatalf("with a token service: PUT %d", tok.Status)
		}
		r := get(string(tok.Body))
		var got wireCred
		if err := json.Unmarshal(r.Body, &got); err != nil || r.Status != 200 || got.Credential.ExpiresAt != "2026-11-28T05:00:00.000000Z" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	}
}
