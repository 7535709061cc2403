// Package sign signs Huawei Cloud API requests: the canonical request, and the
// four algorithms of the official SDK (HMAC-SHA256, HMAC-SM3, ECDSA P-256 and
// SM2-SM3), with or without a body. It is the bottom layer of the client and
// imports nothing of the provider's.
package sign

import (
	"net/http"
	"sort"
	"strings"
)

// Header names and formats of the signing schemes of Huawei Cloud's API gateway
// (APIG). SigningAlgorithm is the default algorithm's scheme; algorithms.go has
// the others.
const (
	SigningAlgorithm    = "SDK-HMAC-SHA256"
	HeaderSdkDate       = "X-Sdk-Date"
	HeaderProjectID     = "X-Project-Id"
	HeaderSecurityToken = "X-Security-Token"
	HeaderAuthorization = "Authorization"
	SdkDateFormat       = "20060102T150405Z"
)

// HeaderDomainID names the account (IAM domain) on account-level IAM calls,
// signed, as the official SDK's global credentials send it.
const HeaderDomainID = "X-Domain-Id"

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
	for _, body := range []string{HeaderContentSha256, HeaderContentSm3} {
		if h.Get(body) != "" {
			names = append(names, strings.ToLower(body))
		}
	}
	sort.Strings(names)
	return names
}

// canonicalRequest joins method, URI, query, headers, signed header list and
// payload hash (hex, or UNSIGNED-PAYLOAD) as the signing schemes define them.
func canonicalRequest(method, path string, query map[string][]string, h http.Header, names []string, payloadHash string) string {
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
	b.WriteString(payloadHash)
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
