package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Header names and formats of the SDK-HMAC-SHA256 scheme used by Huawei Cloud's
// API gateway (APIG).
const (
	SigningAlgorithm    = "SDK-HMAC-SHA256"
	HeaderSdkDate       = "X-Sdk-Date"
	HeaderProjectID     = "X-Project-Id"
	HeaderSecurityToken = "X-Security-Token"
	HeaderAuthorization = "Authorization"
	SdkDateFormat       = "20060102T150405Z"
)

// emptyPayloadHash is the hex SHA-256 of the empty string: every request this
// client sends is a GET without a body.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Credentials are an access key pair, optionally temporary (with a security token).
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
}

// signedHeaderNames lists the headers this client signs, lower-cased and sorted, as
// the canonical request wants them. Host is deliberately not signed: proxies and
// custom endpoints may rewrite it, and the gateway does not require it.
func signedHeaderNames(h http.Header) []string {
	names := []string{strings.ToLower(HeaderSdkDate)}
	if h.Get(HeaderProjectID) != "" {
		names = append(names, strings.ToLower(HeaderProjectID))
	}
	if h.Get(HeaderSecurityToken) != "" {
		names = append(names, strings.ToLower(HeaderSecurityToken))
	}
	if h.Get(HeaderDomainID) != "" {
		names = append(names, strings.ToLower(HeaderDomainID))
	}
	sort.Strings(names)
	return names
}

// Sign sets X-Sdk-Date (from t), X-Security-Token (for temporary credentials) and
// Authorization on req. The query must already be on req.URL (RawQuery); the path
// is taken decoded from req.URL.Path. Only bodiless requests are supported.
func Sign(req *http.Request, creds Credentials, t time.Time) {
	req.Header.Set(HeaderSdkDate, t.UTC().Format(SdkDateFormat))
	if creds.SecurityToken != "" {
		req.Header.Set(HeaderSecurityToken, creds.SecurityToken)
	} else {
		req.Header.Del(HeaderSecurityToken)
	}
	names := signedHeaderNames(req.Header)
	canonical := canonicalRequest(req.Method, req.URL.Path, req.URL.Query(), req.Header, names)
	req.Header.Set(HeaderAuthorization, SigningAlgorithm+" Access="+creds.AccessKey+
		", SignedHeaders="+strings.Join(names, ";")+
		", Signature="+signature(canonical, req.Header.Get(HeaderSdkDate), creds.SecretKey))
}

// signature is the lower-case hex HMAC-SHA256, keyed with the secret key, of the
// string to sign built from the canonical request.
func signature(canonicalRequest, sdkDate, secretKey string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	stringToSign := SigningAlgorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// canonicalRequest joins method, URI, query, headers, signed header list and
// payload hash as the SDK-HMAC-SHA256 scheme defines them.
func canonicalRequest(method, path string, query map[string][]string, h http.Header, names []string) string {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(path))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query))
	b.WriteByte('\n')
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(h.Get(name)))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(names, ";"))
	b.WriteByte('\n')
	b.WriteString(emptyPayloadHash)
	return b.String()
}

// canonicalURI escapes each path segment and makes the result end in "/".
func canonicalURI(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = Escape(s)
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// canonicalQuery sorts keys, and the values of a repeated key, and writes one
// escaped k=v per value.
func canonicalQuery(query map[string][]string) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		values := append([]string(nil), query[k]...)
		sort.Strings(values)
		for _, v := range values {
			parts = append(parts, Escape(k)+"="+Escape(v))
		}
	}
	return strings.Join(parts, "&")
}

// Escape keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as %XY with
// upper-case hex (a space is %20). It is used both for signing and on the wire, so
// that what is signed is exactly what the gateway decodes.
func Escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	out := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			out = append(out, c)
			continue
		}
		out = append(out, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(out)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
