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

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// countingFetch issues keys K1, K2, … that expire life after the clock's now.
func countingFetch(clock *fakeClock, life time.Duration, calls *atomic.Int64) Fetch {
	return func(context.Context) (Credentials, time.Time, error) {
		n := calls.Add(1)
		return Credentials{AccessKey: fmt.Sprintf("K%d", n), SecretKey: "s", SecurityToken: "t"}, clock.Now().Add(life), nil
	}
}

// Keys are used until 5 minutes before their expiry, and renewed from then on.
func TestRefreshingSourceRenewsFiveMinutesAhead(t *testing.T) {
	clock := &fakeClock{t: t0}
	var calls atomic.Int64
	s := NewRefreshingSource(RefreshingConfig{Fetch: countingFetch(clock, 15*time.Minute, &calls), Now: clock.Now})
	ctx := context.Background()
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "K1"},
		{9*time.Minute + 59*time.Second, "K1"}, // 5 min 1 s left
		{time.Second, "K2"},                    // exactly 5 min left: renewed
		{5 * time.Minute, "K2"},
		{5 * time.Minute, "K3"},
		{time.Hour, "K4"}, // long expired
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		c, err := s.Credentials(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.AccessKey != st.want {
			t.Fatalf("step %d at %s: keys %s, want %s", i, clock.Now().Sub(t0), c.AccessKey, st.want)
		}
	}
	if exp, n := s.Expiry(); n != 4 || !exp.Equal(clock.Now().Add(15*time.Minute)) {
		t.Fatalf("Expiry() = %s, %d renewals", exp, n)
	}
}

// Page workers that need keys while a renewal runs wait for it: one fetch,
// whatever the number of callers.
func TestRefreshingSourceOneRenewalAtATime(t *testing.T) {
	clock := &fakeClock{t: t0}
	var calls, inFetch, maxInFetch atomic.Int64
	release := make(chan struct{})
	s := NewRefreshingSource(RefreshingConfig{Now: clock.Now, Fetch: func(ctx context.Context) (Credentials, time.Time, error) {
		n := inFetch.Add(1)
		defer inFetch.Add(-1)
		if n > maxInFetch.Load() {
			maxInFetch.Store(n)
		}
		<-release
		calls.Add(1)
		return Credentials{AccessKey: "K", SecretKey: "s"}, clock.Now().Add(time.Hour), nil
	}})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.Credentials(context.Background())
			if err == nil && c.AccessKey != "K" {
				err = fmt.Errorf("keys %q", c.AccessKey)
			}
			errs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all queue
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 1 || maxInFetch.Load() != 1 {
		t.Fatalf("%d fetches, %d at once; want 1 and 1", calls.Load(), maxInFetch.Load())
	}
}

// A caller whose context ends while another renews gives up, saying why.
func TestRefreshingSourceWaitHonoursContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := NewRefreshingSource(RefreshingConfig{Fetch: func(context.Context) (Credentials, time.Time, error) {
		<-release
		return Credentials{AccessKey: "K"}, time.Now().Add(time.Hour), nil
	}})
	go func() { _, _ = s.Credentials(context.Background()) }()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := s.Credentials(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for the renewal of temporary keys") {
		t.Fatalf("err = %v", err)
	}
}

// Invalidate drops only the refused keys: keys another worker renewed
// meanwhile stay.
func TestRefreshingSourceInvalidate(t *testing.T) {
	clock := &fakeClock{t: t0}
	var calls atomic.Int64
	s := NewRefreshingSource(RefreshingConfig{Fetch: countingFetch(clock, time.Hour, &calls), Now: clock.Now})
	ctx := context.Background()
	k1, _ := s.Credentials(ctx)
	s.Invalidate(k1)
	k2, _ := s.Credentials(ctx)
	s.Invalidate(k1) // a late 401 for the old keys
	k2again, _ := s.Credentials(ctx)
	if k1.AccessKey != "K1" || k2.AccessKey != "K2" || k2again.AccessKey != "K2" || calls.Load() != 2 {
		t.Fatalf("keys %s, %s, %s after %d fetches", k1.AccessKey, k2.AccessKey, k2again.AccessKey, calls.Load())
	}
	if StaticCredentials(k1).Renewable() || !s.Renewable() {
		t.Fatal("Renewable")
	}
}

// Every attempt asks the source: keys that come due between two attempts are
// renewed, and the retry is signed with the new ones.
func TestRetrySignedWithRenewedKeys(t *testing.T) {
	opts := fakeapi.DefaultOptions()
	opts.Credentials = append(opts.Credentials, fakeapi.Credential{AccessKey: "K1", SecretKey: "s", SecurityToken: "t"},
		fakeapi.Credential{AccessKey: "K2", SecretKey: "s", SecurityToken: "t"})
	env := startFake(t, opts)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Status: 503, Body: apiErrorBody("APIG.0503", "Backend unavailable")})
	clock := &fakeClock{t: t0}
	var calls atomic.Int64
	fetch := countingFetch(clock, 6*time.Minute, &calls)
	src := NewRefreshingSource(RefreshingConfig{Now: clock.Now, Fetch: func(ctx context.Context) (Credentials, time.Time, error) {
		c, exp, err := fetch(ctx)
		return c, exp, err
	}})
	c := fakeClient(Config{Source: src, MaxRetries: 2})
	// The first attempt's answer moves the clock past the renewal point.
	c.http.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		clock.Advance(2 * time.Minute)
		return resp, err
	})
	if _, err := list(context.Background(), c, env); err != nil {
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

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A 401 that says the keys expired renews them once and resends the request,
// outside the retry budget; static keys get no such second try.
func TestExpiredKeysRenewedOnce(t *testing.T) {
	env := startDefaultFake(t)
	env.api.EnableMetadata(true)
	env.api.SetRefuseAfterUses(1)
	c := fakeClient(Config{MaxRetries: 0})
	src := NewRefreshingSource(RefreshingConfig{Fetch: c.MetadataFetch(env.URL)})
	c = fakeClient(Config{Source: src, MaxRetries: 0})
	ctx := context.Background()
	for range 2 {
		if _, err := c.ProjectID(ctx, env.URL, fakeapi.Region); err != nil {
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
	_, err := c.ProjectID(ctx, env.URL, fakeapi.Region)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != fakeapi.ExpiredCode || len(env.api.Requests()) != 4 {
		t.Fatalf("err = %v after %d requests, want the 401 after 4 (2 to renew)", err, len(env.api.Requests()))
	}

	env.api.Reset()
	env.api.Fail(fakeapi.Fault{Path: "/v3/projects", Status: 401, Times: -1, Body: apiErrorBody(fakeapi.ExpiredCode, "The token must be updated.")})
	static := fakeClient(Config{MaxRetries: 3})
	if _, err := static.ProjectID(ctx, env.URL, fakeapi.Region); !errors.As(err, &apiErr) || len(env.api.Requests()) != 1 {
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
		if r.URL.Path == iamIDTokenPath {
			var v struct {
				Auth struct {
					IDToken struct {
						ID string `json:"id"`
					} `json:"id_token"`
				} `json:"auth"`
			}
			_ = json.Unmarshal(body, &v)
			mu.Lock()
			sent = append(sent, v.Auth.IDToken.ID+" "+r.Header.Get(HeaderIdpID))
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
	clock := &fakeClock{t: time.Now()}
	c := fakeClient(Config{})
	src := NewRefreshingSource(RefreshingConfig{Now: clock.Now, Fetch: c.OIDCFetch(rec.URL+"/v3", rec.URL, OIDC{IdpID: "idp", IDTokenFile: file, AgencyName: "ci", DomainID: "dom", Duration: 900})})
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
	for _, k := range []Credentials{k1, k2} {
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
	creds := Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOKEN"}
	if err := NewSigner(DefaultAlgorithm).Sign(req, creds, []byte(body), t0); err != nil {
		t.Fatal(err)
	}
	b := sdkrequest.NewHttpRequestBuilder().WithEndpoint("https://"+req.Host).WithPath(req.URL.Path).WithMethod(req.Method).
		AddHeaderParam(HeaderSdkDate, req.Header.Get(HeaderSdkDate)).AddHeaderParam(HeaderSecurityToken, creds.SecurityToken).
		WithBody("application/json", body).Build()
	headers, err := sdksigner.Sign(b, creds.AccessKey, creds.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(HeaderAuthorization); got != headers["Authorization"] {
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
				case metadataTokenPath:
					w.WriteHeader(tc.status)
				case metadataKeyPath:
					if r.Header.Get(HeaderMetadataToken) != "" {
						w.WriteHeader(400)
						return
					}
					_, _ = w.Write([]byte(`{"credential": {"access": "MAK", "secret": "msk", "securitytoken": "mtok", "expires_at": "2020-01-08T03:50:07.574000Z"}}`))
				}
			}))
			defer srv.Close()
			c, exp, err := fakeClient(Config{}).MetadataFetch(srv.URL)(context.Background())
			if tc.want != "" {
				if err == nil || !strings.HasPrefix(strings.ReplaceAll(err.Error(), srv.URL, "URL"), tc.want) {
					t.Fatalf("err = %v, want %s", err, tc.want)
				}
				return
			}
			if err != nil || c != (Credentials{AccessKey: "MAK", SecretKey: "msk", SecurityToken: "mtok"}) || !exp.Equal(time.Date(2020, 1, 8, 3, 50, 7, 574000000, time.UTC)) {
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
	_, _, err := fakeClient(Config{}).AssumeRoleFetch(StaticCredentials(fakePermanent), srv.URL, srv.URL, AssumeRole{AgencyName: "ops", DomainName: "acme"})(context.Background())
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
	refreshing := NewRefreshingSource(RefreshingConfig{Fetch: func(context.Context) (Credentials, time.Time, error) {
		return Credentials{AccessKey: "K", SecretKey: "s", SecurityToken: "t"}, time.Now().Add(time.Hour), nil
	}})
	for _, s := range []struct {
		name string
		src  CredentialSource
	}{{"static", StaticCredentials{AccessKey: "K", SecretKey: "s"}}, {"refreshing", refreshing}} {
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
