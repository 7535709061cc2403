package fakeapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// maxClockSkew is how far X-Sdk-Date may be from the gateway's clock.
const maxClockSkew = 15 * time.Minute

func authFailed(detail string) answer {
	return errAnswer(http.StatusUnauthorized, "APIG.0301", "Incorrect IAM authentication information: "+detail)
}

// gatewayScheme is one signing scheme the gateway accepts: the hash of the
// canonical request and body, the header that may carry the body's hash, and
// for the ECC schemes the curve whose key is derived from the access key pair.
type gatewayScheme struct {
	hash          func() hash.Hash
	contentHeader string
	curve         *curve // nil: an HMAC of the secret key
}

var gatewaySchemes = map[string]gatewayScheme{
	"SDK-HMAC-SHA256":       {hash: sha256.New, contentHeader: "X-Sdk-Content-Sha256"},
	"SDK-HMAC-SM3":          {hash: newSM3, contentHeader: "X-Sdk-Content-Sm3"},
	"SDK-ECDSA-P256-SHA256": {hash: sha256.New, contentHeader: "X-Sdk-Content-Sha256", curve: &curveP256},
	"SDK-SM2-SM3":           {hash: newSM3, contentHeader: "X-Sdk-Content-Sm3", curve: &curveSM2},
}

// authScheme is the scheme the request's Authorization header names, such as
// SDK-HMAC-SM3; "" when there is none.
func authScheme(r *http.Request) string {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return scheme
}

// authenticate checks the request's signature the way the gateway does, in any
// of the four schemes, with an implementation of its own (not the provider's
// signer, nor its SM2/SM3 library). It returns the access key and, on failure,
// the 401 answer.
func (s *Server) authenticate(r *http.Request) (string, answer) {
	auth := r.Header.Get("Authorization")
	name, params, _ := strings.Cut(auth, " ")
	scheme, ok := gatewaySchemes[name]
	if !ok {
		return "", authFailed("Authorization header is missing or does not use SDK-HMAC-SHA256, SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256 or SDK-SM2-SM3")
	}
	fields := map[string]string{}
	for _, part := range strings.Split(params, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			fields[k] = v
		}
	}
	ak, signed, sig := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	var cred *Credential
	for i := range s.opts.Credentials {
		if s.opts.Credentials[i].AccessKey == ak {
			cred = &s.opts.Credentials[i]
		}
	}
	if cred == nil {
		cred = s.issuedCredential(ak)
	}
	if cred == nil {
		return ak, authFailed("access key " + ak + " does not exist")
	}
	names := strings.Split(signed, ";")
	if !contains(names, "x-sdk-date") {
		return ak, authFailed("x-sdk-date is not signed")
	}
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Sdk-Date"))
	if err != nil {
		return ak, authFailed("X-Sdk-Date is missing or malformed")
	}
	if skew := s.opts.Now().Sub(date); skew > maxClockSkew || skew < -maxClockSkew {
		return ak, authFailed("X-Sdk-Date is more than 15 minutes from the server's time")
	}
	if cred.SecurityToken != "" {
		if r.Header.Get("X-Security-Token") != cred.SecurityToken || !contains(names, "x-security-token") {
			return ak, authFailed("temporary credentials need their X-Security-Token, signed")
		}
	}
	body, _ := io.ReadAll(r.Body)
	toSign := stringToSign(r, name, scheme, names, body)
	if !scheme.verify(name, cred, toSign, sig) {
		return ak, authFailed("verify aksk signature fail")
	}
	if a, expired := s.expired(ak); expired {
		return ak, a
	}
	return ak, answer{}
}

// verify checks sig, the hex signature of toSign: an HMAC keyed with the
// secret key, or an ECC signature under the key derived from the pair.
func (g gatewayScheme) verify(name string, cred *Credential, toSign, sig string) bool {
	if g.curve == nil {
		mac := hmac.New(g.hash, []byte(cred.SecretKey))
		mac.Write([]byte(toSign))
		return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
	}
	der, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	pub, ok := derivedPublicKey(g, name, cred.AccessKey, cred.SecretKey)
	if !ok {
		return false
	}
	if g.curve == &curveSM2 {
		return verifySM2(pub, []byte(toSign), der)
	}
	return verifyECDSA(pub, []byte(toSign), der)
}

// derivedKeys keeps the public keys derived from the fake's credentials: a
// derivation costs a scalar multiplication, and the credentials are few.
var derivedKeys sync.Map // scheme + "\x00" + ak + "\x00" + sk -> point

func derivedPublicKey(g gatewayScheme, name, ak, sk string) (point, bool) {
	id := name + "\x00" + ak + "\x00" + sk
	if p, ok := derivedKeys.Load(id); ok {
		pt, ok := p.(point)
		return pt, ok
	}
	p, ok := g.curve.derivePublicKey(g.hash, name, ak, sk)
	if ok {
		derivedKeys.Store(id, p)
	}
	return p, ok
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// stringToSign is what the client must have signed for r: the scheme, the date
// and the hex hash of the canonical request. The payload hash is the body-hash
// header's value when the request carries one (UNSIGNED-PAYLOAD), else the hash
// of the body.
func stringToSign(r *http.Request, name string, scheme gatewayScheme, signedHeaders []string, body []byte) string {
	hexHash := func(b []byte) string {
		h := scheme.hash()
		h.Write(b)
		return hex.EncodeToString(h.Sum(nil))
	}
	var lines []string
	lines = append(lines, r.Method)

	segs := strings.Split(r.URL.Path, "/")
	for i := range segs {
		segs[i] = pct(segs[i])
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	lines = append(lines, uri)

	query := r.URL.Query()
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		vs := append([]string(nil), query[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, pct(k)+"="+pct(v))
		}
	}
	lines = append(lines, strings.Join(pairs, "&"))

	headers := ""
	for _, name := range signedHeaders {
		v := r.Header.Get(name)
		if name == "host" {
			v = r.Host
		}
		headers += name + ":" + strings.TrimSpace(v) + "\n"
	}
	payload := r.Header.Get(scheme.contentHeader)
	if payload == "" {
		payload = hexHash(body)
	}
	lines = append(lines, headers, strings.Join(signedHeaders, ";"), payload)

	return name + "\n" + r.Header.Get("X-Sdk-Date") + "\n" + hexHash([]byte(strings.Join(lines, "\n")))
}

// pct is RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~.
func pct(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
