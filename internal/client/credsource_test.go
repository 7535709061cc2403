package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds/credstest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// Every attempt asks the source: keys that come due between two attempts are
// renewed, and the retry is signed with the new ones.
func TestRetrySignedWithRenewedKeys(t *testing.T) {
	opts := fakeapi.DefaultOptions()
	opts.Credentials = append(opts.Credentials, fakeapi.Credential{AccessKey: "K1", SecretKey: "s", SecurityToken: "t"},
		fakeapi.Credential{AccessKey: "K2", SecretKey: "s", SecurityToken: "t"})
	env := startFake(t, opts)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Status: 503, Body: apiErrorBody("APIG.0503", "Backend unavailable")})
	clock := credstest.NewFakeClock(credstest.T0)
	var calls atomic.Int64
	fetch := credstest.CountingFetch(clock, 6*time.Minute, &calls)
	src := creds.NewRefreshingSource(creds.RefreshingConfig{Now: clock.Now, Fetch: func(ctx context.Context) (sign.Credentials, time.Time, error) {
		c, exp, err := fetch(ctx)
		return c, exp, err
	}})
	c := fakeClient(transport.Config{Source: src, MaxRetries: 2})
	// The first attempt's answer moves the clock past the renewal point.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.api.ServeHTTP(w, r)
		clock.Advance(2 * time.Minute)
	}))
	t.Cleanup(srv.Close)
	if _, err := workspace.ListDesktopSnapshots(context.Background(), c, srv.URL, fakeapi.ProjectID, workspace.ListDesktopSnapshotsInput{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range env.api.Requests() {
		got = append(got, fmt.Sprintf("%s %d", r.AccessKey, r.Status))
	}
	if strings.Join(got, ", ") != "K1 503, K2 200" {
		t.Fatalf("attempts %s, want K1 503, K2 200", strings.Join(got, ", "))
	}
}

// A 401 that says the keys expired renews them once and resends the request,
// outside the retry budget; static keys get no such second try.
func TestExpiredKeysRenewedOnce(t *testing.T) {
	env := startDefaultFake(t)
	env.api.EnableMetadata(true)
	env.api.SetRefuseAfterUses(1)
	c := fakeClient(transport.Config{MaxRetries: 0})
	src := creds.NewRefreshingSource(creds.RefreshingConfig{Fetch: creds.MetadataFetch(c, env.URL)})
	c = fakeClient(transport.Config{Source: src, MaxRetries: 0})
	ctx := context.Background()
	for range 2 {
		if _, err := iam.ProjectID(ctx, c, env.URL, fakeapi.Region); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range env.api.Requests() {
		got = append(got, fmt.Sprintf("%s %s %d", r.Path, r.AccessKey, r.Status))
	}
	want := "/meta-data/latest/api/token  200, /openstack/latest/securitykey  200, /v3/projects FAKEISSUED0001AK 200, /v3/projects FAKEISSUED0001AK 401, " +
		"/meta-data/latest/api/token  200, /openstack/latest/securitykey  200, /v3/projects FAKEISSUED0002AK 200"
	if strings.Join(got, ", ") != want {
		t.Fatalf("requests:\n%s\nwant\n%s", strings.Join(got, ", "), want)
	}

	// Once more refused after the renewal: the error is the 401, not a loop.
	env.api.Reset()
	env.api.SetRefuseAfterUses(0)
	env.api.Fail(fakeapi.Fault{Path: "/v3/projects", Status: 401, Times: -1, Body: apiErrorBody(fakeapi.ExpiredCode, "The token must be updated.")})
	_, err := iam.ProjectID(ctx, c, env.URL, fakeapi.Region)
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != fakeapi.ExpiredCode || len(env.api.Requests()) != 4 {
		t.Fatalf("err = %v after %d requests, want the 401 after 4 (2 to renew)", err, len(env.api.Requests()))
	}

	env.api.Reset()
	env.api.Fail(fakeapi.Fault{Path: "/v3/projects", Status: 401, Times: -1, Body: apiErrorBody(fakeapi.ExpiredCode, "The token must be updated.")})
	static := fakeClient(transport.Config{MaxRetries: 3})
	if _, err := iam.ProjectID(ctx, static, env.URL, fakeapi.Region); !errors.As(err, &apiErr) || len(env.api.Requests()) != 1 {
		t.Fatalf("static keys: err = %v after %d requests, want the 401 after 1", err, len(env.api.Requests()))
	}
}

// id_token_file is read again at each renewal: a CI system that rotates the
// file is followed.
func TestOIDCRereadsTokenFile(t *testing.T) {
	env := startDefaultFake(t)
	env.api.AddIdentityProvider("idp", "jwt-1", "jwt-2")
	env.api.AddAgency(fakeapi.Agency{Name: "ci", DomainID: "dom"})
	var mu sync.Mutex
	var sent []string
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v3.0/OS-AUTH/id-token/tokens" {
			var v struct {
				Auth struct {
					IDToken struct {
						ID string `json:"id"`
					} `json:"id_token"`
				} `json:"auth"`
			}
			_ = json.Unmarshal(body, &v)
			mu.Lock()
			sent = append(sent, v.Auth.IDToken.ID+" "+r.Header.Get(creds.HeaderIdpID))
			mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		env.api.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.Close)
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("jwt-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	clock := credstest.NewFakeClock(time.Now())
	c := fakeClient(transport.Config{})
	src := creds.NewRefreshingSource(creds.RefreshingConfig{Now: clock.Now, Fetch: creds.OIDCFetch(c, rec.URL+"/v3", rec.URL, creds.OIDC{IdpID: "idp", IDTokenFile: file, AgencyName: "ci", DomainID: "dom", Duration: 900})})
	ctx := context.Background()
	k1, err := src.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("jwt-2"), 0o600); err != nil {
		t.Fatal(err)
	}
	clock.Advance(11 * time.Minute) // 900 s keys: due 5 minutes ahead
	k2, err := src.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sent, ", ") != "jwt-1 idp, jwt-2 idp" || k1 == k2 {
		t.Fatalf("id tokens sent: %q; keys %s then %s", sent, k1.AccessKey, k2.AccessKey)
	}
	for _, k := range []sign.Credentials{k1, k2} {
		issued, ok := env.api.IssuedKey(k.AccessKey)
		if !ok || issued.Origin != "sts-agency:dom/ci" || issued.Duration != 900 || issued.SecurityToken != k.SecurityToken {
			t.Fatalf("keys %s: %+v", k.AccessKey, issued)
		}
		parent, _ := env.api.IssuedKey(issued.Parent)
		if parent.Origin != "iam-token" {
			t.Fatalf("keys %s were assumed with %+v, want keys from IAM's token exchange", k.AccessKey, parent)
		}
	}
}

// A signed POST's body is part of the signature, as the official SDK's signer
// computes it.
func TestSignBodyMatchesSDK(t *testing.T) {
	body := `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"ops","domain_name":"acme"}}}}`
	req, err := http.NewRequest(http.MethodPost, "https://iam.example.com/v3.0/OS-CREDENTIAL/securitytokens", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	creds := sign.Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOKEN"}
	if err := sign.NewSigner(sign.DefaultAlgorithm).Sign(req, creds, []byte(body), credstest.T0); err != nil {
		t.Fatal(err)
	}
	b := sdkrequest.NewHttpRequestBuilder().WithEndpoint("https://"+req.Host).WithPath(req.URL.Path).WithMethod(req.Method).
		AddHeaderParam(sign.HeaderSdkDate, req.Header.Get(sign.HeaderSdkDate)).AddHeaderParam(sign.HeaderSecurityToken, creds.SecurityToken).
		WithBody("application/json", body).Build()
	headers, err := sdksigner.Sign(b, creds.AccessKey, creds.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(sign.HeaderAuthorization); got != headers["Authorization"] {
		t.Fatalf("Authorization\n%s\nwant (SDK)\n%s", got, headers["Authorization"])
	}
	// and the body is still there to send
	if got, _ := io.ReadAll(req.Body); string(got) != body {
		t.Fatalf("body after signing: %q", got)
	}
}

// The metadata token service: 404, 405 and 503 mean there is none (the keys
// are read without a token); another status is an error naming the step.
func TestMetadataTokenService(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string
	}{
		{404, ""}, {405, ""}, {503, ""},
		{500, "reading keys from the metadata service at URL: PUT /meta-data/latest/api/token: HTTP 500, non-JSON body"},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/meta-data/latest/api/token":
					w.WriteHeader(tc.status)
				case "/openstack/latest/securitykey":
					if r.Header.Get(transport.HeaderMetadataToken) != "" {
						w.WriteHeader(400)
						return
					}
					_, _ = w.Write([]byte(`{"credential": {"access": "MAK", "secret": "msk", "securitytoken": "mtok", "expires_at": "2020-01-08T03:50:07.574000Z"}}`))
				}
			}))
			defer srv.Close()
			c, exp, err := creds.MetadataFetch(fakeClient(transport.Config{}), srv.URL)(context.Background())
			if tc.want != "" {
				if err == nil || !strings.HasPrefix(strings.ReplaceAll(err.Error(), srv.URL, "URL"), tc.want) {
					t.Fatalf("err = %v, want %s", err, tc.want)
				}
				return
			}
			if err != nil || c != (sign.Credentials{AccessKey: "MAK", SecretKey: "msk", SecurityToken: "mtok"}) || !exp.Equal(time.Date(2020, 1, 8, 3, 50, 7, 574000000, time.UTC)) {
				t.Fatalf("MetadataFetch = %+v, %s, %v", c, exp, err)
			}
		})
	}
}

// An answer without one of the keys is an error naming the field, never a value.
func TestCredentialAnswerMissingField(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-1")
		w.WriteHeader(201)
		_, _ = w.Write([]byte(`{"credential": {"access": "AK", "secret": "very-secret", "expires_at": "2020-01-08T03:50:07.574000Z"}}`))
	}))
	defer srv.Close()
	_, _, err := creds.AssumeRoleFetch(fakeClient(transport.Config{}), transport.Static(fakePermanent), srv.URL, srv.URL, creds.AssumeRole{AgencyName: "ops", DomainName: "acme"})(context.Background())
	want := "assuming agency ops in domain acme through IAM: /v3.0/OS-CREDENTIAL/securitytokens: HTTP 201, but the answer has no credential.securitytoken (request id rid-1)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// What asking the source costs each request when the keys are fresh: the
// static source and the refreshing one's cached path, alone and with 6 page
// workers at once.
func BenchmarkCredentialSource(b *testing.B) {
	ctx := context.Background()
	refreshing := creds.NewRefreshingSource(creds.RefreshingConfig{Fetch: func(context.Context) (sign.Credentials, time.Time, error) {
		return sign.Credentials{AccessKey: "K", SecretKey: "s", SecurityToken: "t"}, time.Now().Add(time.Hour), nil
	}})
	for _, s := range []struct {
		name string
		src  transport.Source
	}{{"static", transport.Static{AccessKey: "K", SecretKey: "s"}}, {"refreshing", refreshing}} {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.src.Credentials(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"-6-workers", func(b *testing.B) {
			b.SetParallelism(3) // 2 cores × 3 = 6 goroutines
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.src.Credentials(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
