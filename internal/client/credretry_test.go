package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// Credential calls go through the API calls' one path and retry policy: a
// transient failure (429, 5xx, a dropped connection) is retried with the same
// backoff and max_retries, even for the POSTs that create temporary keys;
// another 4xx is returned at once, as it always was. The fake verifies the
// signature of every attempt before it applies a fault.

const securityTokensPath = "/v3.0/OS-CREDENTIAL/securitytokens"

// startCredFake serves a fake that has agencies "ops" (assumable) and "no"
// (refused) in domain acme, ID dom-1.
func startCredFake(t *testing.T) *fakeEnv {
	t.Helper()
	env := startDefaultFake(t)
	env.api.AddAgency(fakeapi.Agency{Name: "ops", DomainName: "acme", DomainID: "dom-1"})
	env.api.AddAgency(fakeapi.Agency{Name: "no", DomainName: "acme", DomainID: "dom-1", Refused: true})
	return env
}

// assume assumes r at env with the fake's permanent keys through a client
// with maxRetries.
func assume(env *fakeEnv, maxRetries int, r creds.AssumeRole) (string, error) {
	c := fakeClient(transport.Config{MaxRetries: maxRetries})
	k, _, err := creds.AssumeRoleFetch(c, transport.Static(fakePermanent), env.URL+"/v3", env.URL, r)(context.Background())
	return k.AccessKey, err
}

// requestLines is what the fake saw: method, path, signing key, status and
// fault of each request.
func requestLines(api *fakeapi.Server) string {
	var lines []string
	for _, r := range api.Requests() {
		lines = append(lines, fmt.Sprintf("%s %s %s %d %s", r.Method, r.Path, r.AccessKey, r.Status, r.Fault))
	}
	return strings.Join(lines, "\n")
}

// A 503 on IAM's securitytokens POST is retried once, signed anew, and the
// keys of the second attempt are returned: two requests, one issued key.
func TestCredentialCallRetriedAfter503(t *testing.T) {
	env := startCredFake(t)
	env.api.Fail(fakeapi.Fault{Path: securityTokensPath, Status: 503, Body: apiErrorBody("APIG.0503", "Backend unavailable")})
	ak, err := assume(env, 2, creds.AssumeRole{AgencyName: "ops", DomainName: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	want := "POST " + securityTokensPath + " " + fakeapi.AccessKey + " 503 status\n" +
		"POST " + securityTokensPath + " " + fakeapi.AccessKey + " 201 "
	if got := requestLines(env.api); got != want {
		t.Fatalf("requests:\n%s\nwant\n%s", got, want)
	}
	issued, ok := env.api.IssuedKey(ak)
	if !ok || issued.Origin != "iam-agency:acme/ops" || len(env.api.Issued()) != 1 {
		t.Fatalf("keys %s: %+v (%d issued), want the one key of agency acme/ops", ak, issued, len(env.api.Issued()))
	}
}

// A connection dropped without an answer on STS's assume POST is retried:
// two requests, the second answered.
func TestCredentialCallRetriedAfterDrop(t *testing.T) {
	env := startCredFake(t)
	env.api.Fail(fakeapi.Fault{Path: "/v5/agencies/assume", Drop: true})
	ak, err := assume(env, 2, creds.AssumeRole{AgencyName: "ops", DomainID: "dom-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := "POST /v5/agencies/assume " + fakeapi.AccessKey + " 0 drop\n" +
		"POST /v5/agencies/assume " + fakeapi.AccessKey + " 200 "
	if got := requestLines(env.api); got != want {
		t.Fatalf("requests:\n%s\nwant\n%s", got, want)
	}
	if issued, ok := env.api.IssuedKey(ak); !ok || issued.Origin != "sts-agency:dom-1/ops" {
		t.Fatalf("keys %s: %+v", ak, issued)
	}
}

// A 403 (the agency's trust refuses the caller) is not retried, whatever
// max_retries: one request, and the error keeps the status, error_code,
// error_msg and request id, unwrapped, as before.
func TestCredentialCall403NotRetried(t *testing.T) {
	env := startCredFake(t)
	_, err := assume(env, 3, creds.AssumeRole{AgencyName: "no", DomainName: "acme"})
	reqs := env.api.Requests()
	if len(reqs) != 1 || reqs[0].Status != 403 {
		t.Fatalf("requests:\n%s\nwant one 403", requestLines(env.api))
	}
	want := "assuming agency no in domain acme through IAM: POST " + securityTokensPath + ": HTTP 403, error_code \"" + fakeapi.IAMRefusedCode +
		"\", error_msg \"Policy doesn't allow iam:agencies:assume to be performed.\", request id " + reqs[0].RequestID
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var apiErr *transport.APIError
	var reqErr *transport.RequestError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || errors.As(err, &reqErr) {
		t.Fatalf("err = %#v, want an *APIError 403 not wrapped in a *RequestError", err)
	}
}

// Retries stop at max_retries: a securitytokens POST that always gets a 503
// is sent max_retries+1 times, and the error says so.
func TestCredentialCallRetriesStopAtMaxRetries(t *testing.T) {
	env := startCredFake(t)
	env.api.Fail(fakeapi.Fault{Path: securityTokensPath, Status: 503, Times: -1, Body: apiErrorBody("APIG.0503", "Backend unavailable")})
	_, err := assume(env, 2, creds.AssumeRole{AgencyName: "ops", DomainName: "acme"})
	reqs := env.api.Requests()
	if len(reqs) != 3 || len(env.api.Issued()) != 0 {
		t.Fatalf("requests:\n%s\nwant 3, with no key issued", requestLines(env.api))
	}
	want := "assuming agency ops in domain acme through IAM: POST " + securityTokensPath + `: HTTP 503, error_code "APIG.0503", error_msg "Backend unavailable", ` +
		"request id " + reqs[2].RequestID + " (gave up after 3 attempts: max_retries is 2)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var reqErr *transport.RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 3 {
		t.Fatalf("err = %#v, want a *RequestError of 3 attempts", err)
	}
}

// The metadata token's 404, 405 and 503 are answers (no token service), not
// failures: not retried. A 500 is retried, and so is a dropped connection on
// the unsigned keys request: only "no answer" (no connection, or a timeout)
// is final for the metadata service.
func TestMetadataCallsRetried(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		tokenStatus            int
		dropKeys               int
		wantTokens, wantKeyReq int64
	}{
		{"token 503 accepted", 503, 0, 1, 1},
		{"token 404 accepted", 404, 0, 1, 1},
		{"token 500 retried", 500, 0, 3, 0},
		{"keys dropped once", 404, 1, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tokens, keys atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/meta-data/latest/api/token":
					tokens.Add(1)
					// The keys request comes on a new connection, whose drop
					// Go's transport does not resend by itself: the client's
					// retry does.
					w.Header().Set("Connection", "close")
					w.WriteHeader(tc.tokenStatus)
				case "/openstack/latest/securitykey":
					if keys.Add(1) <= int64(tc.dropKeys) {
						hj, _ := w.(http.Hijacker)
						conn, _, _ := hj.Hijack()
						_ = conn.Close()
						return
					}
					_, _ = w.Write([]byte(`{"credential": {"access": "MAK", "secret": "msk", "securitytoken": "mtok", "expires_at": "2020-01-08T03:50:07.574000Z"}}`))
				}
			}))
			defer srv.Close()
			_, _, err := creds.MetadataFetch(fakeClient(transport.Config{MaxRetries: 2}), srv.URL)(context.Background())
			if tokens.Load() != tc.wantTokens || keys.Load() != tc.wantKeyReq {
				t.Fatalf("%d token and %d key requests, want %d and %d (err %v)", tokens.Load(), keys.Load(), tc.wantTokens, tc.wantKeyReq, err)
			}
			if (tc.tokenStatus == 500) != (err != nil) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// A metadata service that never answers is asked once: the token request
// times out after MetadataTimeout and is not retried, whatever max_retries,
// and the keys are never asked for. The error is the one attempt's, without
// an attempt count.
func TestMetadataNoAnswerNotRetried(t *testing.T) {
	var tokens, others atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/meta-data/latest/api/token" {
			others.Add(1)
			return
		}
		tokens.Add(1)
		<-r.Context().Done() // until the client gives up
	}))
	defer srv.Close()
	_, _, err := creds.MetadataFetch(fakeClient(transport.Config{MaxRetries: 5}), srv.URL)(context.Background())
	if tokens.Load() != 1 || others.Load() != 0 {
		t.Fatalf("%d token and %d other requests, want 1 and 0 (err %v)", tokens.Load(), others.Load(), err)
	}
	want := creds.MetadataStep(srv.URL) + ": PUT /meta-data/latest/api/token: no answer within 2s: Put \"" + srv.URL +
		"/meta-data/latest/api/token\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var reqErr *transport.RequestError
	if errors.As(err, &reqErr) {
		t.Fatalf("err = %#v, want one attempt's error, not a *RequestError", err)
	}
}

// A metadata endpoint that refuses connections (a closed port) is tried
// once: one attempt in the logs, and its error without an attempt count.
func TestMetadataRefusedNotRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	var out lockedBuffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	endpoint := "http://" + addr
	_, _, err = creds.MetadataFetch(fakeClient(transport.Config{MaxRetries: 5}), endpoint)(ctx)
	want := creds.MetadataStep(endpoint) + ": PUT /meta-data/latest/api/token: Put \"" + endpoint +
		"/meta-data/latest/api/token\": dial tcp " + addr + ": connect: connection refused"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		msg, _ := e["@message"].(string)
		count[msg]++
	}
	want2 := map[string]int{"Huawei Cloud credential request sent": 1, "Huawei Cloud credential request failed": 1}
	if fmt.Sprint(count) != fmt.Sprint(want2) {
		t.Fatalf("log lines %v, want %v", count, want2)
	}
}

// A retried credential call logs as before, plus the retry: every line names
// the step, the retry says how many are left, and no line holds the request's
// body or the keys the answer brought.
func TestCredentialCallRetryLogs(t *testing.T) {
	env := startCredFake(t)
	env.api.Fail(fakeapi.Fault{Path: securityTokensPath, Status: 503, Body: apiErrorBody("APIG.0503", "Backend unavailable")})
	var out lockedBuffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	c := fakeClient(transport.Config{MaxRetries: 2})
	r := creds.AssumeRole{AgencyName: "ops", DomainName: "acme"}
	k, _, err := creds.AssumeRoleFetch(c, transport.Static(fakePermanent), env.URL+"/v3", env.URL, r)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw := out.Bytes()
	for _, secret := range append(env.api.Secrets(), k.SecretKey, k.SecurityToken, fakeapi.SecretKey, `"assume_role"`) {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the logs hold %q:\n%s", secret, raw)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		msg, _ := e["@message"].(string)
		count[msg]++
		if e["step"] != r.Step() {
			t.Errorf("log entry %v does not name the step %q", e, r.Step())
		}
	}
	want := map[string]int{
		"Huawei Cloud credential request sent": 2, "Huawei Cloud credential request": 2,
		"Huawei Cloud credential answer headers": 2, "Huawei Cloud credential request will be retried": 1,
	}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Fatalf("log lines %v, want %v", count, want)
	}
}
