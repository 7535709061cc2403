package fakeapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// maxClockSkew is how far X-Sdk-Date may be from the gateway's clock.
const maxClockSkew = 15 * time.Minute

func authFailed(detail string) answer {
	return errAnswer(http.StatusUnauthorized, "APIG.0301", "Incorrect IAM authentication information: "+detail)
}

// authenticate checks the request's SDK-HMAC-SHA256 signature the way the gateway
// does, with an implementation of its own (not the provider's signer). It returns
// the access key and, on failure, the 401 answer.
func (s *Server) authenticate(r *http.Request) (string, answer) {
	auth := r.Header.Get("Authorization")
	const scheme = "SDK-HMAC-SHA256 "
	if !strings.HasPrefix(auth, scheme) {
		return "", authFailed("Authorization header is missing or does not use SDK-HMAC-SHA256")
	}
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(auth, scheme), ",") {
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
	want := gatewaySignature(r, names, body, cred.SecretKey)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return ak, authFailed("verify aksk signature fail")
	}
	if a, expired := s.expired(ak); expired {
		return ak, a
	}
	return ak, answer{}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// gatewaySignature computes the signature the gateway expects for r.
func gatewaySignature(r *http.Request, signedHeaders []string, body []byte, secretKey string) string {
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
	lines = append(lines, headers, strings.Join(signedHeaders, ";"), hexSHA256(body))

	toSign := "SDK-HMAC-SHA256\n" + r.Header.Get("X-Sdk-Date") + "\n" + hexSHA256([]byte(strings.Join(lines, "\n")))
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(toSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// pct is RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~.
func pct(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
