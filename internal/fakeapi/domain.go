package fakeapi

import (
	"net/http"
	"strings"
)

// checkDomainHeader answers an account-level IAM call whose X-Domain-Id names
// another account than the credentials' (every credential of the fake belongs
// to DomainID), or is sent unsigned, as IAM refuses them. ok is true when the
// call may go on: without the header, or with DomainID, signed.
func checkDomainHeader(r *http.Request) (answer, bool) {
	got := r.Header.Get("X-Domain-Id")
	if got == "" {
		return answer{}, true
	}
	_, signed, _ := strings.Cut(r.Header.Get("Authorization"), "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	if !contains(strings.Split(signed, ";"), "x-domain-id") {
		return authFailed("X-Domain-Id is sent but not signed"), false
	}
	if got != DomainID {
		return errAnswer(http.StatusForbidden, "IAM.0003", "X-Domain-Id "+got+" is not the account of the access key"), false
	}
	return answer{}, true
}

type iamDomain struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
}

// listDomains is IAM's GET /v3/auth/domains: the one account the credentials
// belong to.
func listDomains() answer {
	return answer{status: http.StatusOK, body: map[string]any{
		"domains": []iamDomain{{ID: DomainID, Name: DomainName, Enabled: true}},
		"links":   map[string]any{"self": nil},
	}}
}
