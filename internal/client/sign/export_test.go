package sign

import (
	"net/http"
	"time"
)

// Sign signs a bodiless req with the default algorithm, SDK-HMAC-SHA256: it sets
// X-Sdk-Date (from t), X-Security-Token (for temporary credentials) and
// Authorization. The tests' shorthand for (*Signer).Sign, which signs with the
// other algorithms, and bodies.
func Sign(req *http.Request, creds Credentials, t time.Time) {
	_ = NewSigner(DefaultAlgorithm).Sign(req, creds, nil, t) // HMAC signing cannot fail
}

// CanonicalQuery and CanonicalURI are the canonical request's query and path.
var (
	CanonicalQuery = canonicalQuery
	CanonicalURI   = canonicalURI
)

// StringToSign is what s signs for req with body.
func StringToSign(s *Signer, req *http.Request, body []byte) string {
	return s.stringToSign(req, signedHeaderNames(req.Header), body)
}
