package sign_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// sdkSigner is what the SDK's four signers have in common.
type sdkSigner interface {
	Sign(req *sdkrequest.DefaultHttpRequest, ak, sk string) (map[string]string, error)
}

// sdkSigners are the official SDK's signers of each algorithm: the oracle.
var sdkSigners = map[sign.Algorithm]sdkSigner{
	sign.HmacSHA256:      sdksigner.Signer{},
	sign.HmacSM3:         sdksigner.SM3Signer{},
	sign.EcdsaP256SHA256: sdksigner.P256SHA256Signer{},
	sign.SM2SM3:          sdksigner.SM2SM3Signer{},
}

// sdkVerifier is the SDK's key derived from an access key pair.
func sdkVerifier(t *testing.T, alg sign.Algorithm, ak, sk string) sdksigner.ISigningKey {
	t.Helper()
	var (
		key sdksigner.ISigningKey
		err error
	)
	switch alg {
	case sign.EcdsaP256SHA256:
		key, err = sdksigner.P256SHA256Signer{}.GetSigningKey(ak, sk)
	case sign.SM2SM3:
		key, err = sdksigner.SM2SM3Signer{}.GetSigningKey(ak, sk)
	default:
		t.Fatalf("%s derives no key", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// signCase is a request of the oracle table, with a method and body.
type signCase struct {
	oracleCase
	method      string
	contentType string
	body        string
}

// signCases are the requests of oracleCases (GETs) and signed POSTs with JSON
// bodies, as IAM and STS take them, and a body that is not JSON.
func signCases() []signCase {
	var cases []signCase
	for _, c := range oracleCases() {
		cases = append(cases, signCase{oracleCase: c, method: http.MethodGet})
	}
	const jsonCT = "application/json;charset=UTF-8"
	cases = append(cases,
		signCase{oracleCase{name: "POST JSON body", path: "/v3/auth/tokens"}, http.MethodPost, jsonCT,
			`{"auth":{"identity":{"methods":["password"]},"scope":{"project":{"name":"cn-north-4"}}}}`},
		signCase{oracleCase{name: "POST JSON body with unicode and a token", path: "/v3.0/OS-CREDENTIAL/securitytokens", token: "tok/en+"}, http.MethodPost, jsonCT,
			`{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"代理 agency","duration_seconds":900}}}}`},
		signCase{oracleCase{name: "PUT JSON body with query and project", path: "/v2/p/desktops", query: sign.Query{{"b", "2"}, {"a", "1"}}, project: "p"}, http.MethodPut, "application/json", `{"x":[1,2,3]}`},
		signCase{oracleCase{name: "POST empty JSON body", path: "/v3/x"}, http.MethodPost, "application/json", ``},
		signCase{oracleCase{name: "POST text body is unsigned", path: "/v3/upload"}, http.MethodPost, "text/plain", "not hashed"},
	)
	return cases
}

// ours signs tc with alg as the client does.
func (tc signCase) ours(t *testing.T, s *sign.Signer, ak, sk string) *http.Request {
	t.Helper()
	u := &url.URL{Scheme: "https", Host: "workspace.cn-north-4.myhuaweicloud.com", Path: tc.path, RawQuery: tc.query.Encode()}
	req, err := http.NewRequest(tc.method, u.String(), strings.NewReader(tc.body))
	if err != nil {
		t.Fatal(err)
	}
	if tc.project != "" {
		req.Header.Set("X-Project-Id", tc.project)
	}
	if tc.contentType != "" {
		req.Header.Set("Content-Type", tc.contentType)
	}
	if err := s.Sign(req, sign.Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: tc.token}, []byte(tc.body), knownDate); err != nil {
		t.Fatal(err)
	}
	return req
}

// sdk signs tc with the SDK's signer of alg and returns its Authorization.
func (tc signCase) sdk(t *testing.T, alg sign.Algorithm, ak, sk string) string {
	t.Helper()
	b := sdkrequest.NewHttpRequestBuilder().WithEndpoint("https://workspace.cn-north-4.myhuaweicloud.com").
		WithPath(tc.path).WithMethod(tc.method)
	for k, vs := range sdkQueryParams(tc.query) {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	b.AddHeaderParam("X-Sdk-Date", "20060102T150405Z")
	if tc.project != "" {
		b.AddHeaderParam("X-Project-Id", tc.project)
	}
	if tc.token != "" {
		b.AddHeaderParam("X-Security-Token", tc.token)
	}
	if tc.contentType != "" {
		b.AddHeaderParam("Content-Type", tc.contentType)
		b.WithBody("json", tc.body)
	}
	headers, err := sdkSigners[alg].Sign(b.Build(), ak, sk)
	if err != nil {
		t.Fatal(err)
	}
	if headers["Authorization"] == "" {
		t.Fatalf("SDK gave no Authorization: %v", headers)
	}
	return headers["Authorization"]
}

// splitAuthorization cuts an Authorization header before its signature, and
// hex-decodes the signature.
func splitAuthorization(t *testing.T, auth string) (head string, sig []byte) {
	t.Helper()
	head, hexSig, ok := strings.Cut(auth, ", Signature=")
	if !ok {
		t.Fatalf("no signature in %q", auth)
	}
	sig, err := hex.DecodeString(hexSig)
	if err != nil {
		t.Fatalf("signature of %q: %v", auth, err)
	}
	return head, sig
}

const oracleAK, oracleSK = "HPUAXXXXXXXXXXXXXXXX", "sEcReTkEy/with+specials="

// TestHMACSignersMatchSDK checks SDK-HMAC-SHA256 and SDK-HMAC-SM3 against the
// official SDK's Signer and SM3Signer over the request table, GETs and signed
// bodies: the Authorization headers must be byte-identical.
func TestHMACSignersMatchSDK(t *testing.T) {
	for _, alg := range []sign.Algorithm{sign.HmacSHA256, sign.HmacSM3} {
		s := sign.NewSigner(alg)
		for _, tc := range signCases() {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				req := tc.ours(t, s, oracleAK, oracleSK)
				got, want := req.Header.Get("Authorization"), tc.sdk(t, alg, oracleAK, oracleSK)
				if !strings.HasPrefix(got, alg.Scheme()+" Access="+oracleAK+", SignedHeaders=") {
					t.Errorf("Authorization %q does not start with the scheme %s", got, alg.Scheme())
				}
				if got != want {
					t.Errorf("Authorization differs from the SDK's\n ours %q\n  sdk %q", got, want)
				}
			})
		}
	}
}

// TestECCSignersVerifyWithSDKKeys checks SDK-ECDSA-P256-SHA256 and SDK-SM2-SM3
// against the SDK over the request table. ECC signatures are randomized, so
// instead of equal bytes: the Authorization matches the SDK's up to the
// signature; our signature verifies with the public key the SDK derives from the
// same AK/SK, over our string to sign; and the SDK's signature verifies with our
// derived key over our string to sign, so both signed the same string.
func TestECCSignersVerifyWithSDKKeys(t *testing.T) {
	for _, alg := range []sign.Algorithm{sign.EcdsaP256SHA256, sign.SM2SM3} {
		s := sign.NewSigner(alg)
		sdkKey := sdkVerifier(t, alg, oracleAK, oracleSK)
		ourKey, err := sign.DeriveKey(alg, oracleAK, oracleSK)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range signCases() {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				req := tc.ours(t, s, oracleAK, oracleSK)
				sts := sign.StringToSign(s, req, []byte(tc.body))
				if !strings.HasPrefix(sts, alg.Scheme()+"\n20060102T150405Z\n") {
					t.Errorf("string to sign %q", sts)
				}
				head, sig := splitAuthorization(t, req.Header.Get("Authorization"))
				sdkHead, sdkSig := splitAuthorization(t, tc.sdk(t, alg, oracleAK, oracleSK))
				if head != sdkHead {
					t.Errorf("Authorization before the signature\n ours %q\n  sdk %q", head, sdkHead)
				}
				if !sdkKey.Verify(sig, []byte(sts)) {
					t.Errorf("our signature does not verify with the SDK's key")
				}
				if sdkKey.Verify(sig, []byte(sts+" ")) {
					t.Errorf("our signature verifies over a changed string to sign")
				}
				if !verifyWith(ourKey, sdkSig, sts) {
					t.Errorf("the SDK's signature does not verify with our key over our string to sign")
				}
			})
		}
	}
}

// verifyWith verifies a DER signature of sts with the public half of key.
func verifyWith(key any, sig []byte, sts string) bool {
	switch k := key.(type) {
	case *sm2.PrivateKey:
		return sm2.VerifyASN1WithSM2(&k.PublicKey, nil, []byte(sts), sig)
	case *ecdsa.PrivateKey:
		digest := sha256.Sum256([]byte(sts))
		return ecdsa.VerifyASN1(&k.PublicKey, digest[:], sig)
	}
	return false
}

// A Signer keeps the key of the last pair, and derives a new one when the
// credentials change (refreshed temporary keys).
func TestECCSignerFollowsNewCredentials(t *testing.T) {
	for _, alg := range []sign.Algorithm{sign.EcdsaP256SHA256, sign.SM2SM3} {
		t.Run(string(alg), func(t *testing.T) {
			s := sign.NewSigner(alg)
			tc := signCases()[1]
			for _, pair := range [][2]string{{"AK1", "SK1"}, {"AK2", "SK2"}, {"AK1", "SK1"}} {
				req := tc.ours(t, s, pair[0], pair[1])
				sts := sign.StringToSign(s, req, nil)
				_, sig := splitAuthorization(t, req.Header.Get("Authorization"))
				if !sdkVerifier(t, alg, pair[0], pair[1]).Verify(sig, []byte(sts)) {
					t.Errorf("signed with %s: does not verify with the SDK's key of that pair", pair[0])
				}
				other := "AK2"
				if pair[0] == "AK2" {
					other = "AK1"
				}
				if sdkVerifier(t, alg, other, "SK"+other[2:]).Verify(sig, []byte(sts)) {
					t.Errorf("signed with %s: verifies with the key of %s", pair[0], other)
				}
			}
		})
	}
}

// The body-hash header is the algorithm's, and a body that is not JSON is sent
// as UNSIGNED-PAYLOAD with that header signed.
func TestSignBodyHashHeader(t *testing.T) {
	for _, tc := range []struct {
		alg        sign.Algorithm
		header     string
		signedName string
	}{
		{sign.HmacSHA256, "X-Sdk-Content-Sha256", "x-sdk-content-sha256"},
		{sign.EcdsaP256SHA256, "X-Sdk-Content-Sha256", "x-sdk-content-sha256"},
		{sign.HmacSM3, "X-Sdk-Content-Sm3", "x-sdk-content-sm3"},
		{sign.SM2SM3, "X-Sdk-Content-Sm3", "x-sdk-content-sm3"},
	} {
		t.Run(string(tc.alg), func(t *testing.T) {
			if got := tc.alg.ContentHeader(); got != tc.header {
				t.Errorf("ContentHeader() = %q, want %q", got, tc.header)
			}
			text := signCases()[len(signCases())-1]
			req := text.ours(t, sign.NewSigner(tc.alg), "AK", "SK")
			if got := req.Header.Get(tc.header); got != "UNSIGNED-PAYLOAD" {
				t.Errorf("%s = %q, want UNSIGNED-PAYLOAD", tc.header, got)
			}
			want := tc.alg.Scheme() + " Access=AK, SignedHeaders=" + tc.signedName + ";x-sdk-date, Signature="
			if got := req.Header.Get("Authorization"); !strings.HasPrefix(got, want) {
				t.Errorf("Authorization = %q, want prefix %q", got, want)
			}
			// A JSON body is hashed, not marked.
			jsonReq := signCases()[len(oracleCases())].ours(t, sign.NewSigner(tc.alg), "AK", "SK")
			for _, h := range []string{"X-Sdk-Content-Sha256", "X-Sdk-Content-Sm3"} {
				if v := jsonReq.Header.Get(h); v != "" {
					t.Errorf("JSON body: %s = %q, want unset", h, v)
				}
			}
		})
	}
}

// The body is part of the signature: the same request with another body signs
// differently, and an empty body like no body.
func TestSignBodyChangesSignature(t *testing.T) {
	for _, alg := range sign.Algorithms() {
		if alg.Valid() && (alg == sign.EcdsaP256SHA256 || alg == sign.SM2SM3) {
			continue // randomized: TestECCSignersVerifyWithSDKKeys covers bodies
		}
		s := sign.NewSigner(alg)
		sign := func(body []byte) string {
			req, _ := http.NewRequest(http.MethodPost, "https://iam.example.com/v3/x", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if err := s.Sign(req, sign.Credentials{AccessKey: "AK", SecretKey: "SK"}, body, knownDate); err != nil {
				t.Fatal(err)
			}
			return req.Header.Get("Authorization")
		}
		if sign([]byte(`{"a":1}`)) == sign([]byte(`{"a":2}`)) {
			t.Errorf("%s: two bodies sign alike", alg)
		}
		if sign(nil) != sign([]byte{}) {
			t.Errorf("%s: nil and empty bodies sign differently", alg)
		}
	}
}

// The package-level Sign is the default algorithm's Signer.
func TestSignIsDefaultAlgorithm(t *testing.T) {
	for _, s := range []*sign.Signer{sign.NewSigner(""), sign.NewSigner(sign.HmacSHA256)} {
		a, _ := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path?limit=1", nil)
		b, _ := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path?limit=1", nil)
		sign.Sign(a, sign.Credentials{AccessKey: "AccessKey", SecretKey: "SecretKey"}, knownDate)
		if err := s.Sign(b, sign.Credentials{AccessKey: "AccessKey", SecretKey: "SecretKey"}, nil, knownDate); err != nil {
			t.Fatal(err)
		}
		if s.Algorithm() != sign.HmacSHA256 || a.Header.Get("Authorization") != b.Header.Get("Authorization") {
			t.Errorf("%s: %q, Sign: %q", s.Algorithm(), b.Header.Get("Authorization"), a.Header.Get("Authorization"))
		}
	}
}

func TestSignInvalidAlgorithm(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path", nil)
	err := sign.NewSigner("HmacSHA1").Sign(req, sign.Credentials{AccessKey: "AK", SecretKey: "SK"}, nil, knownDate)
	if !errors.Is(err, sign.ErrInvalidAlgorithm) || !strings.Contains(err.Error(), `"HmacSHA1": use one of HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3`) {
		t.Errorf("err = %v", err)
	}
	if req.Header.Get("Authorization") != "" {
		t.Errorf("Authorization set: %q", req.Header.Get("Authorization"))
	}
	if _, err := sign.DeriveKey(sign.HmacSM3, "AK", "SK"); !errors.Is(err, sign.ErrInvalidAlgorithm) {
		t.Errorf("DeriveKey(HmacSM3) err = %v", err)
	}
}

func TestAlgorithmNames(t *testing.T) {
	want := map[sign.Algorithm]string{
		sign.HmacSHA256: "SDK-HMAC-SHA256", sign.HmacSM3: "SDK-HMAC-SM3", sign.EcdsaP256SHA256: "SDK-ECDSA-P256-SHA256", sign.SM2SM3: "SDK-SM2-SM3",
	}
	if got := sign.AlgorithmNames(); !reflect.DeepEqual(got, []string{"HmacSHA256", "HmacSM3", "EcdsaP256SHA256", "SM2SM3"}) {
		t.Errorf("AlgorithmNames() = %q", got)
	}
	for alg, scheme := range want {
		if !alg.Valid() || alg.Scheme() != scheme {
			t.Errorf("%s: Valid %v, Scheme %q, want %q", alg, alg.Valid(), alg.Scheme(), scheme)
		}
	}
	for _, bad := range []sign.Algorithm{"", "hmacsha256", "SDK-HMAC-SHA256"} {
		if bad.Valid() || bad.Scheme() != "" {
			t.Errorf("%q counted valid", bad)
		}
	}
	if sign.SigningAlgorithm != sign.HmacSHA256.Scheme() {
		t.Errorf("SigningAlgorithm = %q", sign.SigningAlgorithm)
	}
}
