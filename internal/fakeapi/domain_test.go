package fakeapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// GET /v3/auth/domains lists the one account of the credentials.
func TestIAMAuthDomains(t *testing.T) {
	f := start(t)
	r := f.get(t, "/v3/auth/domains", "")
	var l struct {
		Domains []struct {
			ID, Name string
			Enabled  bool
		} `json:"domains"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &l) != nil || len(l.Domains) != 1 ||
		l.Domains[0].ID != fakeapi.DomainID || l.Domains[0].Name != fakeapi.DomainName || !l.Domains[0].Enabled {
		t.Fatalf("status %d, body %s", r.Status, r.Body)
	}
}

// X-Domain-Id on the project list: the account's, signed, passes; another
// account's is a 403; one sent but not signed is a 401 like any tampering.
func TestIAMProjectsDomainHeader(t *testing.T) {
	f := start(t)
	withDomain := func(id string, signed bool) response {
		req := f.newRequest(t, "/v3/projects", q("name", fakeapi.Region))
		if signed {
			req.Header.Set(sign.HeaderDomainID, id)
			signHMAC(req, permanent, t0)
		} else {
			signHMAC(req, permanent, t0)
			req.Header.Set(sign.HeaderDomainID, id)
		}
		return send(t, req)
	}
	if r := withDomain(fakeapi.DomainID, true); r.Status != http.StatusOK {
		t.Errorf("the account's X-Domain-Id: status %d, body %s", r.Status, r.Body)
	}
	withDomain("0123456789abcdef0123456789abcdef", true).wantError(t, http.StatusForbidden, "IAM.0003",
		"X-Domain-Id 0123456789abcdef0123456789abcdef is not the account of the access key")
	withDomain(fakeapi.DomainID, false).wantError(t, http.StatusUnauthorized, "APIG.0301", "X-Domain-Id is sent but not signed")
}
