package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

// sdkAuthorization recomputes, with the official SDK signer, the Authorization a
// received request should carry, from what the server saw: the path, the parsed
// query and the signed headers.
func sdkAuthorization(t *testing.T, r *http.Request, creds sign.Credentials) string {
	t.Helper()
	b := sdkrequest.NewHttpRequestBuilder().WithEndpoint("http://" + r.Host).WithPath(r.URL.Path).WithMethod(r.Method)
	for k, vs := range r.URL.Query() {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	for _, h := range []string{"X-Sdk-Date", "X-Project-Id", "X-Security-Token"} {
		if v := r.Header.Get(h); v != "" {
			b.AddHeaderParam(h, v)
		}
	}
	headers, err := sdksigner.Sign(b.Build(), creds.AccessKey, creds.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	return headers["Authorization"]
}

func TestRequestHeaders(t *testing.T) {
	for _, tc := range []struct {
		name          string
		creds         sign.Credentials
		project       string
		signedHeaders string
	}{
		{"permanent credentials", sign.Credentials{AccessKey: "AK", SecretKey: "SK"}, testProject, "x-project-id;x-sdk-date"},
		{"temporary credentials", sign.Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "sec+token/=="}, testProject, "x-project-id;x-sdk-date;x-security-token"},
		{"project needing escapes", sign.Credentials{AccessKey: "AK", SecretKey: "SK"}, "a b+c", "x-project-id;x-sdk-date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := pagingServer(t, 3, nil)
			in := workspace.ListDesktopSnapshotsInput{DesktopIDs: []string{"b", "a"}, SnapshotName: "快照 1+1;x"}
			if _, err := workspace.ListDesktopSnapshots(context.Background(), testClient(tc.creds), rec.URL, tc.project, in); err != nil {
				t.Fatal(err)
			}
			r := rec.requests()[0]
			if got := r.Header.Get("X-Sdk-Date"); got != fixedSdkDate {
				t.Errorf("X-Sdk-Date = %q, want %q", got, fixedSdkDate)
			}
			if !regexp.MustCompile(`^\d{8}T\d{6}Z$`).MatchString(r.Header.Get("X-Sdk-Date")) {
				t.Errorf("X-Sdk-Date %q is not yyyyMMddTHHmmssZ", r.Header.Get("X-Sdk-Date"))
			}
			if got := r.Header.Get("X-Project-Id"); got != tc.project {
				t.Errorf("X-Project-Id = %q, want %q", got, tc.project)
			}
			if got := r.Header.Get("User-Agent"); got != "terraform-provider-huaweicloud-test/1.2.3" {
				t.Errorf("User-Agent = %q", got)
			}
			if got := r.Header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept = %q", got)
			}
			tok, hasTok := r.Header["X-Security-Token"]
			if tc.creds.SecurityToken == "" && hasTok {
				t.Errorf("X-Security-Token sent without a token: %q", tok)
			}
			if tc.creds.SecurityToken != "" && (len(tok) != 1 || tok[0] != tc.creds.SecurityToken) {
				t.Errorf("X-Security-Token = %q, want %q", tok, tc.creds.SecurityToken)
			}
			auth := r.Header.Get("Authorization")
			prefix := "SDK-HMAC-SHA256 Access=AK, SignedHeaders=" + tc.signedHeaders + ", Signature="
			if !strings.HasPrefix(auth, prefix) {
				t.Fatalf("Authorization = %q, want prefix %q", auth, prefix)
			}
			if sig := strings.TrimPrefix(auth, prefix); !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(sig) {
				t.Errorf("signature %q is not 64 lower-case hex digits", sig)
			}
			// What the server received verifies with the SDK's signer.
			if want := sdkAuthorization(t, r, tc.creds); auth != want {
				t.Errorf("Authorization received\n %q\nSDK signature of the received request\n %q", auth, want)
			}
		})
	}
}

func TestRequestHeadersWithoutUserAgentOrProject(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) })
	c := transport.New(transport.Config{Credentials: testCreds, Now: func() time.Time { return fixedNow }})
	if _, err := transport.GetJSON[struct{}](context.Background(), c, transport.Request{Endpoint: rec.URL, Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if _, ok := r.Header["X-Project-Id"]; ok {
		t.Errorf("X-Project-Id sent without a project: %q", r.Header.Get("X-Project-Id"))
	}
	if got, want := r.Header.Get("Authorization"), "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature="; !strings.HasPrefix(got, want) {
		t.Errorf("Authorization = %q, want prefix %q", got, want)
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query %q, want none", r.URL.RawQuery)
	}
}

// listError runs ListDesktopSnapshots against a server answering status, headers
// and body, and returns its error.
func listError(t *testing.T, status int, header map[string]string, body string) error {
	t.Helper()
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
	out, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL, "p1", workspace.ListDesktopSnapshotsInput{})
	if err == nil {
		t.Fatalf("no error, output %+v", out)
	}
	if out != nil {
		t.Errorf("output %+v with the error", out)
	}
	if rec.count() != 1 {
		t.Errorf("%d requests, want 1", rec.count())
	}
	return err
}

func TestAPIErrorJSON(t *testing.T) {
	err := listError(t, http.StatusForbidden,
		map[string]string{"X-Request-Id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "Content-Type": "application/json"},
		`{"error_code":"Workspace.0403","error_msg":"Policy doesn't allow workspace:desktops:listSnapshot to be performed.",`+
			`"error_detail":"detail here","encoded_authorization_message":"ENC+MSG/=="}`)
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	want := &transport.APIError{
		Method: "GET", Path: "/v2/p1/snapshots", StatusCode: 403, RequestID: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		ErrorCode: "Workspace.0403", ErrorMsg: "Policy doesn't allow workspace:desktops:listSnapshot to be performed.",
		ErrorDetail: "detail here", EncodedAuthorizationMessage: "ENC+MSG/==",
	}
	if !reflect.DeepEqual(apiErr, want) {
		t.Errorf("APIError\n got %#v\nwant %#v", apiErr, want)
	}
	const wantText = `GET /v2/p1/snapshots: HTTP 403, error_code "Workspace.0403", ` +
		`error_msg "Policy doesn't allow workspace:desktops:listSnapshot to be performed.", error_detail "detail here", ` +
		`encoded_authorization_message "ENC+MSG/==" (decode it with the STS decode-authorization-message API), ` +
		`request id 0f1e2d3c4b5a69788796a5b4c3d2e1f0`
	if got := apiErr.Error(); got != wantText {
		t.Errorf("Error()\n got %s\nwant %s", got, wantText)
	}
	for _, s := range []string{"HTTP 403", "Workspace.0403", "Policy doesn't allow", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "offset 0"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
}

func TestAPIErrorHTML(t *testing.T) {
	const page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
	err := listError(t, http.StatusBadGateway, map[string]string{"Content-Type": "text/html"}, "\n  "+page+"\n")
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	want := &transport.APIError{Method: "GET", Path: "/v2/p1/snapshots", StatusCode: 502, BodyExcerpt: page, ContentType: "text/html"}
	if !reflect.DeepEqual(apiErr, want) {
		t.Errorf("APIError\n got %#v\nwant %#v", apiErr, want)
	}
	const wantText = `GET /v2/p1/snapshots: HTTP 502, non-JSON body (Content-Type "text/html"): ` +
		`"<html><body><h1>502 Bad Gateway</h1></body></html>", no X-Request-Id header`
	if got := apiErr.Error(); got != wantText {
		t.Errorf("Error()\n got %s\nwant %s", got, wantText)
	}
	if strings.Contains(apiErr.Error(), "error_code") {
		t.Errorf("Error() %q mentions an error_code", apiErr.Error())
	}
}

func TestAPIErrorJSONWithoutAPIFields(t *testing.T) {
	for _, body := range []string{`{"message":"not the API shape"}`, `{"error_code":123}`, `[]`, `null`} {
		err := listError(t, http.StatusInternalServerError, map[string]string{"X-Request-Id": "r1"}, body)
		var apiErr *transport.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s: error %v (%T) is not an *APIError", body, err, err)
		}
		if apiErr.ErrorCode != "" || apiErr.ErrorMsg != "" || apiErr.BodyExcerpt != body || apiErr.RequestID != "r1" {
			t.Errorf("%s: got %#v", body, apiErr)
		}
	}
}

func TestAPIErrorBodyTruncated(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		// Byte 512 is the second byte of an "é": the cut moves back to 511.
		{"two-byte runes", "a" + strings.Repeat("é", 300), "a" + strings.Repeat("é", 255) + "…"},
		// Byte 512 is the third byte of a "华" starting at 510.
		{"three-byte runes", strings.Repeat("华", 200), strings.Repeat("华", 170) + "…"},
		// Byte 512 starts a rune: cut exactly at 512.
		{"four-byte runes", strings.Repeat("📸", 200), strings.Repeat("📸", 128) + "…"},
		{"ascii", strings.Repeat("x", 513), strings.Repeat("x", 512) + "…"},
		{"exactly 512 bytes is kept whole", strings.Repeat("y", 512), strings.Repeat("y", 512)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := listError(t, http.StatusServiceUnavailable, map[string]string{"Content-Type": "text/plain"}, tc.body)
			var apiErr *transport.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.BodyExcerpt != tc.want {
				t.Errorf("BodyExcerpt (%d bytes)\n got %q\nwant %q", len(apiErr.BodyExcerpt), apiErr.BodyExcerpt, tc.want)
			}
			if !utf8.ValidString(apiErr.BodyExcerpt) {
				t.Errorf("BodyExcerpt is not valid UTF-8")
			}
			if n := len(strings.TrimSuffix(apiErr.BodyExcerpt, "…")); n > 512 {
				t.Errorf("excerpt keeps %d bytes of the body", n)
			}
		})
	}
}

func TestAPIErrorEmptyBody(t *testing.T) {
	err := listError(t, http.StatusServiceUnavailable, map[string]string{"X-Request-Id": "rid-empty"}, "")
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	if apiErr.BodyExcerpt != "(empty)" || apiErr.StatusCode != 503 || apiErr.ErrorCode != "" {
		t.Errorf("got %#v", apiErr)
	}
	const wantText = `GET /v2/p1/snapshots: HTTP 503, non-JSON body (Content-Type ""): "(empty)", request id rid-empty`
	if got := apiErr.Error(); got != wantText {
		t.Errorf("Error()\n got %s\nwant %s", got, wantText)
	}
}

func TestDecodeErrorOn200HTML(t *testing.T) {
	const page = "<html><body>Login required</body></html>"
	err := listError(t, http.StatusOK, map[string]string{"Content-Type": "text/html; charset=utf-8", "X-Request-Id": "rid-html"}, page)
	var apiErr *transport.APIError
	if errors.As(err, &apiErr) {
		t.Fatalf("a 200 gave an *APIError: %v", err)
	}
	var decErr *transport.DecodeError
	if !errors.As(err, &decErr) {
		t.Fatalf("error %v (%T) is not a *DecodeError", err, err)
	}
	if decErr.Method != "GET" || decErr.Path != "/v2/p1/snapshots" || decErr.StatusCode != 200 ||
		decErr.RequestID != "rid-html" || decErr.ContentType != "text/html; charset=utf-8" || decErr.BodyExcerpt != page || decErr.Err == nil {
		t.Errorf("got %#v", decErr)
	}
	if errors.Unwrap(decErr) == nil {
		t.Errorf("DecodeError does not unwrap to the JSON error")
	}
	for _, s := range []string{"HTTP 200", "not the expected JSON", "request id rid-html", page} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
}

func TestBadEndpoint(t *testing.T) {
	c := testClient(testCreds)
	for _, endpoint := range []string{"", "workspace.cn-north-4.myhuaweicloud.com", "ftp://h/", "https://", "://x"} {
		_, err := workspace.ListDesktopSnapshots(context.Background(), c, endpoint, "p", workspace.ListDesktopSnapshotsInput{})
		if err == nil {
			t.Errorf("endpoint %q: no error", endpoint)
		}
	}
}

func TestContextCanceled(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := workspace.ListDesktopSnapshots(ctx, testClient(testCreds), rec.URL, "p", workspace.ListDesktopSnapshotsInput{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestNon200Success checks any 2xx answer is decoded, not reported as an error.
func TestNon200Success(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNonAuthoritativeInfo)
		_, _ = w.Write([]byte(`{"total_count":1,"desktop_snapshots":[{"snapshot_id":"s-0"}]}`))
	})
	out, err := workspace.ListDesktopSnapshots(context.Background(), testClient(testCreds), rec.URL, "p", workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshotIDs(t, out.Snapshots, 1)
}
