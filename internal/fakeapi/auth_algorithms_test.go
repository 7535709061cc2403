package fakeapi_test

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// schemes are the Authorization schemes of the four algorithms, written out
// here rather than taken from the client.
var schemes = map[sign.Algorithm]string{
	sign.HmacSHA256:      "SDK-HMAC-SHA256",
	sign.HmacSM3:         "SDK-HMAC-SM3",
	sign.EcdsaP256SHA256: "SDK-ECDSA-P256-SHA256",
	sign.SM2SM3:          "SDK-SM2-SM3",
}

var sdkSigners = map[sign.Algorithm]interface {
	Sign(*sdkrequest.DefaultHttpRequest, string, string) (map[string]string, error)
}{
	sign.HmacSHA256:      sdksigner.Signer{},
	sign.HmacSM3:         sdksigner.SM3Signer{},
	sign.EcdsaP256SHA256: sdksigner.P256SHA256Signer{},
	sign.SM2SM3:          sdksigner.SM2SM3Signer{},
}

// signedWith builds a request signed by the client's signer of alg at t0.
func (f *fake) signedWith(t *testing.T, alg sign.Algorithm, method, path, rawQuery string, creds sign.Credentials, body string) *http.Request {
	t.Helper()
	req := f.newRequest(t, path, rawQuery)
	req.Method = method
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Body = httpBody(body)
	}
	if err := sign.NewSigner(alg).Sign(req, creds, []byte(body), t0); err != nil {
		t.Fatal(err)
	}
	return req
}

func httpBody(s string) *readCloser { return &readCloser{bytes.NewReader([]byte(s))} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// sdkSigned builds a GET of path?query signed by the official SDK's signer of
// alg: a second signer, independent of the client, that the fake must accept.
func (f *fake) sdkSigned(t *testing.T, alg sign.Algorithm, path string, query sign.Query, creds sign.Credentials, projectID string) *http.Request {
	t.Helper()
	b := sdkrequest.NewHttpRequestBuilder().WithEndpoint(f.URL).WithPath(path).WithMethod(http.MethodGet)
	grouped := map[string][]string{}
	for _, p := range query {
		grouped[p.Key] = append(grouped[p.Key], p.Value)
	}
	for k, vs := range grouped {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	b.AddHeaderParam("X-Sdk-Date", t0.Format("20060102T150405Z"))
	if projectID != "" {
		b.AddHeaderParam("X-Project-Id", projectID)
	}
	if creds.SecurityToken != "" {
		b.AddHeaderParam("X-Security-Token", creds.SecurityToken)
	}
	headers, err := sdkSigners[alg].Sign(b.Build(), creds.AccessKey, creds.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	req := f.newRequest(t, path, query.Encode())
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if projectID != "" {
		req.Header.Set("X-Project-Id", projectID)
	}
	if creds.SecurityToken != "" {
		req.Header.Set("X-Security-Token", creds.SecurityToken)
	}
	return req
}

// Every algorithm, signed by the client and by the official SDK, is accepted,
// and the fake records the scheme that signed each request.
func TestAuthAcceptsEveryAlgorithm(t *testing.T) {
	f := start(t)
	reserved := sign.Query{
		{Key: "snapshot_names", Value: "a&b=c+d%e?f#g/h;i j"}, {Key: "snapshot_names", Value: "财务部-每日快照 🗂"},
		{Key: "desktop_ids", Value: desktopOps}, {Key: "desktop_ids", Value: desktopFinanz},
	}
	for _, alg := range sign.Algorithms() {
		cases := []struct {
			name string
			req  func() *http.Request
			ak   string
		}{
			{"client, permanent", func() *http.Request {
				return f.signedWith(t, alg, http.MethodGet, snapshotsPath, q("limit", "1"), permanent, "")
			}, fakeapi.AccessKey},
			{"client, temporary", func() *http.Request {
				return f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", temporary, "")
			}, fakeapi.TempAccessKey},
			{"client, reserved characters and repeated keys", func() *http.Request {
				return f.signedWith(t, alg, http.MethodGet, snapshotsPath, reserved.Encode(), permanent, "")
			}, fakeapi.AccessKey},
			{"client, IAM", func() *http.Request {
				return f.signedWith(t, alg, http.MethodGet, "/v3/projects", q("name", fakeapi.Region), permanent, "")
			}, fakeapi.AccessKey},
			{"SDK, permanent with X-Project-Id", func() *http.Request {
				return f.sdkSigned(t, alg, snapshotsPath, sign.Query{{Key: "limit", Value: "1"}}, permanent, fakeapi.ProjectID)
			}, fakeapi.AccessKey},
			{"SDK, temporary, reserved characters", func() *http.Request {
				return f.sdkSigned(t, alg, snapshotsPath, reserved, temporary, "")
			}, fakeapi.TempAccessKey},
		}
		for _, c := range cases {
			t.Run(string(alg)+"/"+c.name, func(t *testing.T) {
				f.Reset()
				r := send(t, c.req())
				if r.Status != http.StatusOK {
					t.Fatalf("status = %d, want 200; body %s", r.Status, r.Body)
				}
				reqs := f.Requests()
				if len(reqs) != 1 || reqs[0].AccessKey != c.ak || reqs[0].SigningAlgorithm != schemes[alg] {
					t.Errorf("recorded %+v, want one 200 by %s signed with %s", reqs, c.ak, schemes[alg])
				}
			})
		}
	}
}

// For every algorithm, a wrong key or a request changed after signing gets the
// gateway's 401 APIG.0301, and the scheme is recorded all the same.
func TestAuthRejectsEveryAlgorithmTampered(t *testing.T) {
	f := start(t)
	const jsonBody = `{"auth":{"identity":{"methods":["hw_ak_sk"]}}}`
	for _, alg := range sign.Algorithms() {
		cases := []struct {
			name string
			req  func() *http.Request
		}{
			{"wrong secret key", func() *http.Request {
				return f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey + "x"}, "")
			}},
			{"another pair's secret key", func() *http.Request {
				return f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.TempSecretKey}, "")
			}},
			{"query changed after signing", func() *http.Request {
				r := f.signedWith(t, alg, http.MethodGet, snapshotsPath, q("limit", "1"), permanent, "")
				r.URL.RawQuery = q("limit", "2")
				return r
			}},
			{"path changed after signing", func() *http.Request {
				r := f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", permanent, "")
				r.URL.Path = "/v2/" + strings.Repeat("0", 32) + "/snapshots"
				return r
			}},
			{"signed header changed after signing", func() *http.Request {
				r := f.newRequest(t, snapshotsPath, "")
				r.Header.Set("X-Project-Id", fakeapi.ProjectID)
				if err := sign.NewSigner(alg).Sign(r, permanent, nil, t0); err != nil {
					t.Fatal(err)
				}
				r.Header.Set("X-Project-Id", "x"+fakeapi.ProjectID)
				return r
			}},
			{"X-Sdk-Date changed after signing", func() *http.Request {
				r := f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", permanent, "")
				r.Header.Set("X-Sdk-Date", t0.Add(time.Second).Format("20060102T150405Z"))
				return r
			}},
			{"signature changed", func() *http.Request {
				r := f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", permanent, "")
				auth := r.Header.Get("Authorization")
				last := auth[len(auth)-1]
				flipped := byte('0')
				if last == '0' {
					flipped = '1'
				}
				r.Header.Set("Authorization", auth[:len(auth)-1]+string(flipped))
				return r
			}},
			{"body changed after signing", func() *http.Request {
				r := f.signedWith(t, alg, http.MethodPost, "/v3/auth/tokens", "", permanent, jsonBody)
				r.Body = httpBody(strings.Replace(jsonBody, "hw_ak_sk", "password", 1))
				return r
			}},
		}
		// Claiming another scheme for the same signature.
		for _, other := range sign.Algorithms() {
			if other == alg {
				continue
			}
			cases = append(cases, struct {
				name string
				req  func() *http.Request
			}{"claimed as " + schemes[other], func() *http.Request {
				r := f.signedWith(t, alg, http.MethodGet, snapshotsPath, "", permanent, "")
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), schemes[alg], schemes[other], 1))
				return r
			}})
		}
		for _, c := range cases {
			t.Run(string(alg)+"/"+c.name, func(t *testing.T) {
				f.Reset()
				req := c.req()
				r := send(t, req)
				if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), `"error_code":"APIG.0301"`) ||
					!strings.Contains(string(r.Body), "verify aksk signature fail") {
					t.Fatalf("status %d, body %s; want 401 APIG.0301 verify aksk signature fail", r.Status, r.Body)
				}
				scheme, _, _ := strings.Cut(req.Header.Get("Authorization"), " ")
				if reqs := f.Requests(); len(reqs) != 1 || reqs[0].SigningAlgorithm != scheme || reqs[0].ErrorCode != "APIG.0301" {
					t.Errorf("recorded %+v, want one APIG.0301 signed with %s", reqs, scheme)
				}
			})
		}
	}
}

// A signed JSON body passes the gateway's check with every algorithm (the fake
// routes no POST, so the answer is its 404), and a text body is signed as
// UNSIGNED-PAYLOAD in the algorithm's body-hash header.
func TestAuthVerifiesBodies(t *testing.T) {
	f := start(t)
	for _, alg := range sign.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			f.Reset()
			r := send(t, f.signedWith(t, alg, http.MethodPost, "/v3/auth/tokens", "", permanent, `{"auth":{"scope":{"project":{"name":"cn-north-4"}}}}`))
			if r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "APIG.0101") {
				t.Errorf("JSON body: status %d, body %s; want the 404 of an unrouted, authenticated request", r.Status, r.Body)
			}
			req := f.newRequest(t, "/v3/upload", "")
			req.Method = http.MethodPost
			req.Header.Set("Content-Type", "text/plain")
			req.Body = httpBody("anything")
			if err := sign.NewSigner(alg).Sign(req, permanent, []byte("anything"), t0); err != nil {
				t.Fatal(err)
			}
			header := map[string]string{"SDK-HMAC-SHA256": "X-Sdk-Content-Sha256", "SDK-ECDSA-P256-SHA256": "X-Sdk-Content-Sha256",
				"SDK-HMAC-SM3": "X-Sdk-Content-Sm3", "SDK-SM2-SM3": "X-Sdk-Content-Sm3"}[schemes[alg]]
			if got := req.Header.Get(header); got != "UNSIGNED-PAYLOAD" {
				t.Errorf("%s = %q", header, got)
			}
			req.Body = httpBody("changed: not hashed")
			if r := send(t, req); r.Status != http.StatusNotFound {
				t.Errorf("unsigned payload: status %d, body %s; want 404", r.Status, r.Body)
			}
		})
	}
}
