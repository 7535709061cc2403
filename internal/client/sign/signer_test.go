package sign_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

// knownDate is the X-Sdk-Date of the documented test vector, 20060102T150405Z.
var knownDate = time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)

// TestSignKnownVector checks Sign against the vector published with the
// SDK-HMAC-SHA256 algorithm (shared/api/README.md).
func TestSignKnownVector(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path?limit=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	sign.Sign(req, sign.Credentials{AccessKey: "AccessKey", SecretKey: "SecretKey"}, knownDate)

	const want = "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, " +
		"Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization\n got %q\nwant %q", got, want)
	}
	if got := req.Header.Get("X-Sdk-Date"); got != "20060102T150405Z" {
		t.Errorf("X-Sdk-Date = %q, want 20060102T150405Z", got)
	}
	if got, ok := req.Header["X-Security-Token"]; ok {
		t.Errorf("X-Security-Token set without a token: %q", got)
	}
}

// TestSignDateIsUTC checks a non-UTC time is written (and signed) in UTC.
func TestSignDateIsUTC(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path?limit=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	sign.Sign(req, sign.Credentials{AccessKey: "AccessKey", SecretKey: "SecretKey"}, knownDate.In(time.FixedZone("CST", 8*3600)))
	if got := req.Header.Get("X-Sdk-Date"); got != "20060102T150405Z" {
		t.Errorf("X-Sdk-Date = %q, want 20060102T150405Z", got)
	}
	if got, want := req.Header.Get("Authorization"), "Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"; !strings.HasSuffix(got, want) {
		t.Errorf("Authorization = %q, want suffix %q", got, want)
	}
}

// TestSignDropsStaleSecurityToken checks that signing with permanent credentials
// removes an X-Security-Token left on the request, so nothing unsigned is sent.
func TestSignDropsStaleSecurityToken(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://example.huaweicloud.com/path", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Security-Token", "stale")
	sign.Sign(req, sign.Credentials{AccessKey: "AK", SecretKey: "SK"}, knownDate)
	if _, ok := req.Header["X-Security-Token"]; ok {
		t.Errorf("X-Security-Token kept: %q", req.Header.Get("X-Security-Token"))
	}
	if got := req.Header.Get("Authorization"); !strings.HasPrefix(got, "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=") {
		t.Errorf("Authorization = %q", got)
	}
}

type oracleCase struct {
	name    string
	path    string
	query   sign.Query
	project string // X-Project-Id, when not ""
	token   string // X-Security-Token, when not ""
}

func oracleCases() []oracleCase {
	const project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	snapshots := "/v2/" + project + "/snapshots"
	var cases []oracleCase
	add := func(name string, q sign.Query) {
		cases = append(cases, oracleCase{name: name, path: snapshots, query: q, project: project})
	}
	add("no query", nil)
	add("offset and limit", sign.Query{{"offset", "0"}, {"limit", "1000"}})
	add("repeated keys unsorted", sign.Query{
		{"desktop_ids", "zeta"}, {"limit", "1000"}, {"desktop_ids", "alpha"},
		{"desktop_ids", "Mid"}, {"desktop_ids", "10"}, {"desktop_ids", "9"}, {"offset", "2000"},
	})
	add("chinese", sign.Query{{"desktop_name", "华为云桌面"}, {"snapshot_names", "快照一"}, {"snapshot_names", "快照二"}})
	add("emoji", sign.Query{{"snapshot_name", "snap 📸 ✓"}, {"description", "🙂🙃"}})
	add("spaces", sign.Query{{"desktop_name", " leading and trailing "}, {"snapshot_name", "a  b"}})
	for _, c := range []string{"&", "=", "+", "%", "?", "#", "/", ";"} {
		add("value with "+c, sign.Query{{"snapshot_name", "a" + c + "b"}, {"desktop_name", c}, {"limit", "1"}})
		add("key with "+c, sign.Query{{"k" + c + "ey", "v"}, {c, "only"}, {"limit", "1"}})
	}
	add("all specials", sign.Query{{"snapshot_name", "&=+%?#/; ~-_.!*'()[]{}|\\^`\"<>,:@$"}})
	add("percent sequences", sign.Query{{"snapshot_name", "%20%2B%zz%"}, {"desktop_name", "100%"}})
	add("empty values", sign.Query{{"desktop_id", ""}, {"snapshot_name", "x"}, {"desktop_ids", ""}, {"desktop_ids", "a"}})
	add("control and latin-1", sign.Query{{"snapshot_name", "tab\there\nnewline"}, {"desktop_name", "café naïve"}})
	add("filters like the API", workspace.ListDesktopSnapshotsInput{
		DesktopID: "d-1", DesktopIDs: []string{"c", "a", "b"}, DesktopName: "desk top",
		DesktopNames: []string{"名", "name"}, SnapshotName: "s+1", SnapshotNames: []string{"x;y", "x&y"},
		DiskType: "ALL", CreateType: "AUTO", Status: "create_success", SortField: "create_time", SortType: "DESC",
	}.Query())

	cases = append(cases,
		oracleCase{name: "without project header", path: snapshots, query: sign.Query{{"limit", "1"}}},
		oracleCase{name: "temporary credentials", path: snapshots, query: sign.Query{{"desktop_ids", "b"}, {"desktop_ids", "a"}}, project: project, token: "tok/en+with=specials=="},
		oracleCase{name: "temporary credentials without project", path: "/v3/projects", query: sign.Query{{"name", "cn-north-4"}}, token: "T0KEN"},
		oracleCase{name: "header values with surrounding spaces", path: snapshots, query: sign.Query{{"limit", "1"}}, project: "  " + project + " ", token: " tok "},
		oracleCase{name: "iam lookup", path: "/v3/projects", query: sign.Query{{"name", "cn-north-4"}}},
		oracleCase{name: "root path", path: "/", query: sign.Query{{"a", "b"}}},
		oracleCase{name: "trailing slash path", path: "/v2/" + project + "/snapshots/", query: nil, project: project},
		oracleCase{name: "path with escaped segment", path: "/v2/a b/c+d/snapshots", query: sign.Query{{"x", "y"}}, project: "a b"},
	)
	return cases
}

// sdkQueryParams groups q by key as the SDK takes it: one reflect.Value per key,
// a []string for a repeated key.
func sdkQueryParams(q sign.Query) map[string][]string {
	m := map[string][]string{}
	for _, p := range q {
		m[p.Key] = append(m[p.Key], p.Value)
	}
	return m
}

// TestSignMatchesSDK checks Sign against the official SDK's signer
// (github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer) over requests
// with repeated keys, unicode, reserved characters, empty values and temporary
// credentials: the Authorization headers must be byte-identical.
func TestSignMatchesSDK(t *testing.T) {
	const ak, sk = "HPUAXXXXXXXXXXXXXXXX", "sEcReTkEy/with+specials="
	const endpoint = "https://workspace.cn-north-4.myhuaweicloud.com"
	for _, tc := range oracleCases() {
		t.Run(tc.name, func(t *testing.T) {
			// Ours, built as client.go builds it.
			u := &url.URL{Scheme: "https", Host: "workspace.cn-north-4.myhuaweicloud.com", Path: tc.path, RawQuery: tc.query.Encode()}
			req, err := http.NewRequest(http.MethodGet, u.String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.project != "" {
				req.Header.Set("X-Project-Id", tc.project)
			}
			sign.Sign(req, sign.Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: tc.token}, knownDate)
			got := req.Header.Get("Authorization")

			// The SDK's.
			b := sdkrequest.NewHttpRequestBuilder().WithEndpoint(endpoint).WithPath(tc.path).WithMethod(http.MethodGet)
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
			headers, err := sdksigner.Sign(b.Build(), ak, sk)
			if err != nil {
				t.Fatal(err)
			}
			want := headers["Authorization"]
			if want == "" {
				t.Fatalf("SDK gave no Authorization: %v", headers)
			}
			if got != want {
				t.Errorf("Authorization differs from the SDK's\nwire query %q\n ours %q\n  sdk %q", req.URL.RawQuery, got, want)
			}
			if headers["X-Sdk-Date"] != req.Header.Get("X-Sdk-Date") {
				t.Errorf("X-Sdk-Date: ours %q, sdk %q", req.Header.Get("X-Sdk-Date"), headers["X-Sdk-Date"])
			}
			if tc.token != "" && req.Header.Get("X-Security-Token") != tc.token {
				t.Errorf("X-Security-Token = %q, want %q", req.Header.Get("X-Security-Token"), tc.token)
			}

			// The canonical query we sign, from the parsed wire URL, is the
			// canonical query of the parameters the SDK was given.
			if got, want := sign.CanonicalQuery(req.URL.Query()), sign.CanonicalQuery(sdkQueryParams(tc.query)); got != want {
				t.Errorf("canonical query from the wire %q, from the parameters %q", got, want)
			}
		})
	}
}

// TestQueryEncodeRoundTrips checks that the wire query parses back, with Go's
// url.ParseQuery (as a gateway would decode it), to exactly the original keys and
// values in order, so that "+" and ";" and the rest survive.
func TestQueryEncodeRoundTrips(t *testing.T) {
	for _, tc := range oracleCases() {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.query.Encode()
			parsed, err := url.ParseQuery(raw)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", raw, err)
			}
			want := url.Values{}
			for _, p := range tc.query {
				want[p.Key] = append(want[p.Key], p.Value)
			}
			if len(tc.query) == 0 {
				if raw != "" || len(parsed) != 0 {
					t.Fatalf("empty query encoded as %q, parsed as %v", raw, parsed)
				}
				return
			}
			if !reflect.DeepEqual(parsed, want) {
				t.Errorf("ParseQuery(%q)\n got %q\nwant %q", raw, parsed, want)
			}
			// Through a whole URL, as the client sends it.
			req, err := http.NewRequest(http.MethodGet, "https://h.example/p?"+raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if req.URL.RawQuery != raw {
				t.Errorf("RawQuery changed by parsing: %q -> %q", raw, req.URL.RawQuery)
			}
			if !reflect.DeepEqual(req.URL.Query(), want) {
				t.Errorf("URL.Query() = %q, want %q", req.URL.Query(), want)
			}
		})
	}
}

func TestQueryEncodeExact(t *testing.T) {
	for _, tc := range []struct {
		q    sign.Query
		want string
	}{
		{nil, ""},
		{sign.Query{{"a", "b"}}, "a=b"},
		{sign.Query{{"a", ""}}, "a="},
		{sign.Query{{"k", "a+b"}, {"k", "a;b"}, {"k", "a b"}}, "k=a%2Bb&k=a%3Bb&k=a%20b"},
		{sign.Query{{"k&=", "v&=?#/%"}}, "k%26%3D=v%26%3D%3F%23%2F%25"},
		{sign.Query{{"名", "é"}}, "%E5%90%8D=%C3%A9"},
	} {
		if got := tc.q.Encode(); got != tc.want {
			t.Errorf("%v.Encode() = %q, want %q", tc.q, got, tc.want)
		}
	}
	var q sign.Query
	q.Add("k", "1", "2")
	q.Add("none")
	q.Add("j", "3")
	if got, want := q.Encode(), "k=1&k=2&j=3"; got != want {
		t.Errorf("Add then Encode = %q, want %q", got, want)
	}
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"AZaz09", "AZaz09"},
		{"~-_.", "~-_."},
		{" ", "%20"},
		{"a b", "a%20b"},
		{"+", "%2B"},
		{"&=?#/;%", "%26%3D%3F%23%2F%3B%25"},
		{"!*'()", "%21%2A%27%28%29"},
		{"\x00\x7f\xff", "%00%7F%FF"},
		{"é", "%C3%A9"},
		{"华为", "%E5%8D%8E%E4%B8%BA"},
		{"📸", "%F0%9F%93%B8"},
		{"a~b 云", "a~b%20%E4%BA%91"},
	} {
		if got := sign.Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalURI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/path", "/path/"},
		{"/v2/p/snapshots/", "/v2/p/snapshots/"},
		{"/v2/a b/名", "/v2/a%20b/%E5%90%8D/"},
	} {
		if got := sign.CanonicalURI(tc.in); got != tc.want {
			t.Errorf("sign.CanonicalURI(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalQuerySortsKeysAndValues(t *testing.T) {
	got := sign.CanonicalQuery(map[string][]string{
		"limit": {"1000"}, "desktop_ids": {"b", "a", "B", "10", "9"}, "a b": {""},
	})
	const want = "a%20b=&desktop_ids=10&desktop_ids=9&desktop_ids=B&desktop_ids=a&desktop_ids=b&limit=1000"
	if got != want {
		t.Errorf("canonicalQuery\n got %q\nwant %q", got, want)
	}
}
