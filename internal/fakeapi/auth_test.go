package fakeapi_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

func TestAuthAcceptsCorrectSignatures(t *testing.T) {
	f := start(t)
	cases := []struct {
		name string
		req  func() *http.Request
		ak   string
	}{
		{"permanent", func() *http.Request {
			return f.signed(t, snapshotsPath, q("limit", "1"), permanent, t0)
		}, fakeapi.AccessKey},
		{"permanent with X-Project-Id signed", func() *http.Request {
			r := f.newRequest(t, snapshotsPath, q("limit", "1"))
			r.Header.Set("X-Project-Id", fakeapi.ProjectID)
			signHMAC(r, permanent, t0)
			return r
		}, fakeapi.AccessKey},
		{"X-Sdk-Date 14 minutes behind", func() *http.Request {
			return f.signed(t, snapshotsPath, "", permanent, t0.Add(-14*time.Minute))
		}, fakeapi.AccessKey},
		{"X-Sdk-Date 14 minutes ahead", func() *http.Request {
			return f.signed(t, snapshotsPath, "", permanent, t0.Add(14*time.Minute))
		}, fakeapi.AccessKey},
		{"temporary with the token signed", func() *http.Request {
			r := f.signed(t, snapshotsPath, "", temporary, t0)
			if r.Header.Get("X-Security-Token") != fakeapi.SecurityToken {
				t.Fatal("signHMAC did not send the security token")
			}
			return r
		}, fakeapi.TempAccessKey},
		{"query with reserved characters, unicode and repeated keys", func() *http.Request {
			return f.signed(t, snapshotsPath, q(
				"snapshot_names", "a&b=c+d%e?f#g/h;i j", "snapshot_names", "财务部-每日快照 🗂",
				"desktop_ids", desktopOps, "desktop_ids", desktopFinanz,
			), permanent, t0)
		}, fakeapi.AccessKey},
		{"IAM", func() *http.Request {
			return f.signed(t, "/v3/projects", q("name", fakeapi.Region), permanent, t0)
		}, fakeapi.AccessKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.Reset()
			r := send(t, c.req())
			if r.Status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", r.Status, r.Body)
			}
			if r.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id on a 200 answer")
			}
			reqs := f.Requests()
			if len(reqs) != 1 || reqs[0].AccessKey != c.ak || reqs[0].Status != http.StatusOK || reqs[0].ErrorCode != "" {
				t.Errorf("recorded %+v, want one 200 by %s", reqs, c.ak)
			}
		})
	}
}

func TestAuthRejectsBadRequests(t *testing.T) {
	f := start(t)
	cases := []struct {
		name string
		req  func() *http.Request
		ak   string // recorded access key
	}{
		{"wrong secret key", func() *http.Request {
			return f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey + "x"}, t0)
		}, fakeapi.AccessKey},
		{"temporary access key with the permanent secret key", func() *http.Request {
			return f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.TempAccessKey, SecretKey: fakeapi.SecretKey, SecurityToken: fakeapi.SecurityToken}, t0)
		}, fakeapi.TempAccessKey},
		{"unknown access key", func() *http.Request {
			return f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: "NOSUCHAK", SecretKey: fakeapi.SecretKey}, t0)
		}, "NOSUCHAK"},
		{"missing Authorization", func() *http.Request {
			r := f.newRequest(t, snapshotsPath, "")
			r.Header.Set("X-Sdk-Date", t0.Format("20060102T150405Z"))
			return r
		}, ""},
		{"Authorization of another scheme", func() *http.Request {
			r := f.signed(t, snapshotsPath, "", permanent, t0)
			r.Header.Set("Authorization", "Basic "+r.Header.Get("Authorization"))
			return r
		}, ""},
		{"X-Sdk-Date 16 minutes behind", func() *http.Request {
			return f.signed(t, snapshotsPath, "", permanent, t0.Add(-16*time.Minute))
		}, fakeapi.AccessKey},
		{"X-Sdk-Date 16 minutes ahead", func() *http.Request {
			return f.signed(t, snapshotsPath, "", permanent, t0.Add(16*time.Minute))
		}, fakeapi.AccessKey},
		{"X-Sdk-Date missing", func() *http.Request {
			r := f.signed(t, snapshotsPath, "", permanent, t0)
			r.Header.Del("X-Sdk-Date")
			return r
		}, fakeapi.AccessKey},
		{"X-Sdk-Date changed after signing", func() *http.Request {
			r := f.signed(t, snapshotsPath, "", permanent, t0)
			r.Header.Set("X-Sdk-Date", t0.Add(time.Second).Format("20060102T150405Z"))
			return r
		}, fakeapi.AccessKey},
		{"x-sdk-date not signed", func() *http.Request {
			r := f.newRequest(t, snapshotsPath, "")
			r.Header.Set("X-Project-Id", fakeapi.ProjectID)
			signHMAC(r, permanent, t0)
			// Sign the same request again claiming only x-project-id: the
			// gateway insists on the date being signed.
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+fakeapi.AccessKey+
				", SignedHeaders=x-project-id, Signature=00")
			return r
		}, fakeapi.AccessKey},
		{"temporary without the token", func() *http.Request {
			return f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.TempAccessKey, SecretKey: fakeapi.TempSecretKey}, t0)
		}, fakeapi.TempAccessKey},
		{"temporary with the token sent but not signed", func() *http.Request {
			r := f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.TempAccessKey, SecretKey: fakeapi.TempSecretKey}, t0)
			r.Header.Set("X-Security-Token", fakeapi.SecurityToken)
			return r
		}, fakeapi.TempAccessKey},
		{"temporary with another token, signed", func() *http.Request {
			return f.signed(t, snapshotsPath, "", sign.Credentials{AccessKey: fakeapi.TempAccessKey, SecretKey: fakeapi.TempSecretKey, SecurityToken: "other-token"}, t0)
		}, fakeapi.TempAccessKey},
		{"temporary with the token changed after signing", func() *http.Request {
			r := f.signed(t, snapshotsPath, "", temporary, t0)
			r.Header.Set("X-Security-Token", "x"+fakeapi.SecurityToken)
			return r
		}, fakeapi.TempAccessKey},
		{"tampered query value", func() *http.Request {
			r := f.signed(t, snapshotsPath, q("limit", "1"), permanent, t0)
			r.URL.RawQuery = q("limit", "2")
			return r
		}, fakeapi.AccessKey},
		{"query added after signing", func() *http.Request {
			r := f.signed(t, snapshotsPath, q("desktop_ids", desktopAA), permanent, t0)
			r.URL.RawQuery = q("desktop_ids", desktopAA, "desktop_ids", desktopXZX03)
			return r
		}, fakeapi.AccessKey},
		{"query dropped after signing", func() *http.Request {
			r := f.signed(t, snapshotsPath, q("status", "creating"), permanent, t0)
			r.URL.RawQuery = ""
			return r
		}, fakeapi.AccessKey},
		{"path changed after signing", func() *http.Request {
			r := f.signed(t, "/v2/"+fakeapi.LargeProjectID+"/snapshots", "", permanent, t0)
			r.URL.Path = snapshotsPath
			return r
		}, fakeapi.AccessKey},
		{"signed X-Project-Id changed after signing", func() *http.Request {
			r := f.newRequest(t, snapshotsPath, "")
			r.Header.Set("X-Project-Id", fakeapi.LargeProjectID)
			signHMAC(r, permanent, t0)
			r.Header.Set("X-Project-Id", fakeapi.ProjectID)
			return r
		}, fakeapi.AccessKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.Reset()
			r := send(t, c.req())
			r.wantError(t, http.StatusUnauthorized, "APIG.0301")
			reqs := f.Requests()
			if len(reqs) != 1 {
				t.Fatalf("recorded %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if got.Status != http.StatusUnauthorized || got.ErrorCode != "APIG.0301" || got.AccessKey != c.ak ||
				got.RequestID != r.Header.Get("X-Request-Id") {
				t.Errorf("recorded status %d, code %q, access key %q, request id %q; want 401, APIG.0301, %q, %q",
					got.Status, got.ErrorCode, got.AccessKey, got.RequestID, c.ak, r.Header.Get("X-Request-Id"))
			}
		})
	}
}

// The clock check is against Options.Now, not the machine's clock.
func TestAuthClockIsOptionsNow(t *testing.T) {
	past := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	f := start(t, func(o *fakeapi.Options) { o.Now = func() time.Time { return past } })
	if r := send(t, f.signed(t, snapshotsPath, "", permanent, past.Add(5*time.Minute))); r.Status != http.StatusOK {
		t.Errorf("signed at the fake's clock: status %d, body %s", r.Status, r.Body)
	}
	send(t, f.signed(t, snapshotsPath, "", permanent, time.Now())).wantError(t, http.StatusUnauthorized, "APIG.0301")
}

// The API README's known vector (from the SDK's own tests), checked against the
// fake's verifier with the fake's clock at the vector's date: /path is no API, so
// a 404 APIG.0101 proves the signature passed; a bad one would be a 401.
func TestAuthKnownVector(t *testing.T) {
	date := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)
	f := start(t, func(o *fakeapi.Options) {
		o.Now = func() time.Time { return date }
		o.Credentials = append(o.Credentials, fakeapi.Credential{AccessKey: "AccessKey", SecretKey: "SecretKey"})
	})
	const sig = "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
	vector := func(rawQuery, signature string) *http.Request {
		r := f.newRequest(t, "/path", rawQuery)
		r.Header.Set("X-Sdk-Date", "20060102T150405Z")
		r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature="+signature)
		return r
	}
	send(t, vector("limit=1", sig)).wantError(t, http.StatusNotFound, "APIG.0101")
	send(t, vector("limit=2", sig)).wantError(t, http.StatusUnauthorized, "APIG.0301")
	send(t, vector("limit=1", sig[:63]+"5")).wantError(t, http.StatusUnauthorized, "APIG.0301")

	// The same request signed by the official SDK gives the vector.
	b := sdkrequest.NewHttpRequestBuilder().WithMethod("GET").WithEndpoint("https://example.huaweicloud.com").WithPath("/path").
		AddQueryParam("limit", reflect.ValueOf(1)).AddHeaderParam("X-Sdk-Date", "20060102T150405Z")
	h, err := sdksigner.Sign(b.Build(), "AccessKey", "SecretKey")
	if err != nil {
		t.Fatal(err)
	}
	if want := "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=" + sig; h["Authorization"] != want {
		t.Errorf("SDK Authorization = %q, want %q", h["Authorization"], want)
	}
}

// sdkSend builds a GET with the official SDK's request type, signs it with the
// official SDK signer and sends it to the fake.
func sdkSend(t *testing.T, f *fake, path string, queries map[string]any, headers map[string]string, ak, sk string) response {
	t.Helper()
	b := sdkrequest.NewHttpRequestBuilder().WithMethod("GET").WithEndpoint(f.URL).WithPath(path)
	for k, v := range queries {
		b.AddQueryParam(k, reflect.ValueOf(v))
	}
	for k, v := range headers {
		b.AddHeaderParam(k, v)
	}
	req := b.Build()
	add, err := sdksigner.Sign(req, ak, sk)
	if err != nil {
		t.Fatal(err)
	}
	hr, err := req.ConvertRequest()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range add {
		hr.Header.Set(k, v)
	}
	return send(t, hr)
}

func TestAuthAcceptsOfficialSDKSigner(t *testing.T) {
	f := start(t)
	date := t0.Add(-3 * time.Minute).Format("20060102T150405Z")
	queries := map[string]any{
		"snapshot_names": []string{"财务部-每日快照 🗂", "a&b=c+d%e?f#g/h;i j", "no such name"},
		"desktop_ids":    []string{desktopOps, desktopFinanz, desktopAA},
		"desktop_name":   "ops & dev = team+1",
		"sort_field":     "snapshot_name",
		"sort_type":      "DESC",
		"limit":          1000,
		"offset":         0,
	}

	t.Run("permanent", func(t *testing.T) {
		f.Reset()
		r := sdkSend(t, f, snapshotsPath, queries,
			map[string]string{"X-Sdk-Date": date, "X-Project-Id": fakeapi.ProjectID}, fakeapi.AccessKey, fakeapi.SecretKey)
		p := r.page(t)
		// The fake decoded the same values the SDK signed: only the snapshot whose
		// name and desktop name are full of reserved characters matches.
		wantIDs(t, "SDK query", p.ids(t), []string{sReserved})
		if p.TotalCount != 1 {
			t.Errorf("total_count = %d, want 1", p.TotalCount)
		}
		reqs := f.Requests()
		if len(reqs) != 1 {
			t.Fatalf("recorded %d requests", len(reqs))
		}
		if got := reqs[0].Query["desktop_ids"]; len(got) != 3 {
			t.Errorf("desktop_ids arrived as %q, want 3 repeated keys", got)
		}
		if got := reqs[0].Query.Get("desktop_name"); got != "ops & dev = team+1" {
			t.Errorf("desktop_name arrived as %q", got)
		}
	})

	t.Run("unicode and spaces, two matches, sorted", func(t *testing.T) {
		qs := map[string]any{
			"snapshot_names": []string{"财务部-每日快照 🗂", "a&b=c+d%e?f#g/h;i j"},
			"desktop_ids":    []string{desktopFinanz, desktopOps},
			"sort_field":     "snapshot_name",
			"sort_type":      "DESC",
		}
		p := sdkSend(t, f, snapshotsPath, qs, map[string]string{"X-Sdk-Date": date}, fakeapi.AccessKey, fakeapi.SecretKey).page(t)
		wantIDs(t, "SDK query", p.ids(t), []string{sUnicode, sReserved})
	})

	t.Run("temporary", func(t *testing.T) {
		r := sdkSend(t, f, snapshotsPath, queries,
			map[string]string{"X-Sdk-Date": date, "X-Security-Token": fakeapi.SecurityToken}, fakeapi.TempAccessKey, fakeapi.TempSecretKey)
		wantIDs(t, "SDK query", r.page(t).ids(t), []string{sReserved})
	})

	t.Run("IAM", func(t *testing.T) {
		r := sdkSend(t, f, "/v3/projects", map[string]any{"name": fakeapi.Region},
			map[string]string{"X-Sdk-Date": date}, fakeapi.AccessKey, fakeapi.SecretKey)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d, body %s", r.Status, r.Body)
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		sdkSend(t, f, snapshotsPath, queries, map[string]string{"X-Sdk-Date": date}, fakeapi.AccessKey, "wrong").
			wantError(t, http.StatusUnauthorized, "APIG.0301")
	})

	t.Run("temporary without token", func(t *testing.T) {
		sdkSend(t, f, snapshotsPath, queries, map[string]string{"X-Sdk-Date": date}, fakeapi.TempAccessKey, fakeapi.TempSecretKey).
			wantError(t, http.StatusUnauthorized, "APIG.0301")
	})
}

// A project ID with reserved and non-ASCII characters puts them in the path: each
// path segment is escaped in the canonical URI, by the SDK, the client and the fake.
func TestAuthPathWithReservedCharacters(t *testing.T) {
	const weird = "proj 1+ä;x=y~z"
	f := start(t, func(o *fakeapi.Options) {
		o.Projects = append(o.Projects, fakeapi.Project{ID: weird, Name: "weird-1", Snapshots: fakeapi.Sample()})
	})
	path := "/v2/" + weird + "/snapshots"
	date := t0.Format("20060102T150405Z")

	r := sdkSend(t, f, path, map[string]any{"limit": 2}, map[string]string{"X-Sdk-Date": date}, fakeapi.AccessKey, fakeapi.SecretKey)
	wantIDs(t, "SDK, escaped path", r.page(t).ids(t), sampleOrder[:2])
	if reqs := f.Requests(); reqs[len(reqs)-1].Path != path {
		t.Errorf("recorded path %q, want %q", reqs[len(reqs)-1].Path, path)
	}

	req := f.newRequest(t, "/", q("limit", "2"))
	req.URL.Path = path
	signHMAC(req, permanent, t0)
	wantIDs(t, "client, escaped path", send(t, req).page(t).ids(t), sampleOrder[:2])

	// An unknown path full of reserved characters: auth passes, then 404.
	sdkSend(t, f, "/a b/ü+;=/c", nil, map[string]string{"X-Sdk-Date": date}, fakeapi.AccessKey, fakeapi.SecretKey).
		wantError(t, http.StatusNotFound, "APIG.0101")
	// Signed for one escaped path, sent to another: 401.
	req = f.newRequest(t, "/", "")
	req.URL.Path = path
	signHMAC(req, permanent, t0)
	req.URL.Path = "/v2/proj 1+ä;x=y~Z/snapshots"
	send(t, req).wantError(t, http.StatusUnauthorized, "APIG.0301")
}
