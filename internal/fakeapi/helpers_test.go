package fakeapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// t0 is the fake's clock in every test that does not say otherwise.
var t0 = time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)

var (
	permanent = sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}
	temporary = sign.Credentials{AccessKey: fakeapi.TempAccessKey, SecretKey: fakeapi.TempSecretKey, SecurityToken: fakeapi.SecurityToken}
)

// signHMAC signs a bodiless req with SDK-HMAC-SHA256, as the provider does by
// default.
func signHMAC(req *http.Request, creds sign.Credentials, at time.Time) {
	_ = sign.NewSigner(sign.HmacSHA256).Sign(req, creds, nil, at) // HMAC signing cannot fail
}

// The snapshot IDs of fakeapi.Sample(), in its default (newest first) order,
// written out here so that the expectations do not come from the code under test.
const (
	sReserved = "5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b" // "a&b=c+d%e?f#g/h;i j", data disk, restore_failed, MANUALLY
	sUnicode  = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f" // "财务部-每日快照 🗂", system disk, creating, AUTO
	sSys0420  = "eed156d9-02a5-46f5-8eb1-54f09ab9fbae" // xzx03, system disk, create_success, MANUALLY
	sAutoAA   = "a7e996da-20db-4de8-8aff-4c8e4c6d5ed3" // AA, data disk, create_success, AUTO
	sWeekly1  = "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e" // "weekly" of xzx03, data disk, restoring, AUTO
	sWeekly2  = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f" // "weekly" of AA, system disk, restore_success, MANUALLY
	sZeta     = "d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f6a" // "Zeta-failed": no desktop, disk or create type
)

var sampleOrder = []string{sReserved, sUnicode, sSys0420, sAutoAA, sWeekly1, sWeekly2, sZeta}

const (
	desktopXZX03  = "7163a7ba-fc09-4238-ab73-0689ea7f54c3"
	desktopAA     = "a3e8d0d0-79df-413d-a327-d702a4fb2e15"
	desktopOps    = "9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a"
	desktopFinanz = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
)

var snapshotsPath = "/v2/" + fakeapi.ProjectID + "/snapshots"

// fake is a started fake and its base URL.
type fake struct {
	*fakeapi.Server
	URL string
}

// start runs fakeapi.DefaultOptions() (clock fixed at t0, changed by edit) over
// real HTTP until the test ends.
func start(t *testing.T, edit ...func(*fakeapi.Options)) *fake {
	t.Helper()
	opts := fakeapi.DefaultOptions()
	opts.Now = func() time.Time { return t0 }
	for _, e := range edit {
		e(&opts)
	}
	srv := fakeapi.NewServer(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &fake{Server: srv, URL: ts.URL}
}

// q builds a wire query from key, value pairs, in order, escaped as the signer
// escapes (a space is %20).
func q(kv ...string) string {
	if len(kv)%2 != 0 {
		panic("q wants key, value pairs")
	}
	var query sign.Query
	for i := 0; i < len(kv); i += 2 {
		query.Add(kv[i], kv[i+1])
	}
	return query.Encode()
}

// newRequest builds an unsigned GET of f.URL+path?rawQuery.
func (f *fake) newRequest(t *testing.T, path, rawQuery string) *http.Request {
	t.Helper()
	u := f.URL + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// signed builds a GET signed with creds at time at.
func (f *fake) signed(t *testing.T, path, rawQuery string, creds sign.Credentials, at time.Time) *http.Request {
	t.Helper()
	req := f.newRequest(t, path, rawQuery)
	signHMAC(req, creds, at)
	return req
}

// get sends a GET signed with the permanent credentials at t0.
func (f *fake) get(t *testing.T, path, rawQuery string) response {
	t.Helper()
	return send(t, f.signed(t, path, rawQuery, permanent, t0))
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func send(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// wantError checks an error answer: status, the API's error shape with code, an
// error_msg containing every one of msgParts, and an X-Request-Id. It returns the
// error_msg.
func (r response) wantError(t *testing.T, status int, code string, msgParts ...string) string {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body %s", r.Status, status, r.Body)
	}
	if id := r.Header.Get("X-Request-Id"); id == "" {
		t.Errorf("no X-Request-Id header on a %d answer", status)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("error body %q is not a JSON object: %v", r.Body, err)
	}
	allowed := []string{"error_code", "error_msg", "error_detail", "encoded_authorization_message"}
	for k := range body {
		if !slices.Contains(allowed, k) {
			t.Errorf("error body has field %q, not in the API's error shape; body %s", k, r.Body)
		}
	}
	var e struct {
		Code *string `json:"error_code"`
		Msg  *string `json:"error_msg"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.Body, err)
	}
	if e.Code == nil || *e.Code != code {
		t.Errorf("error_code in %s, want %q", r.Body, code)
	}
	if e.Msg == nil || *e.Msg == "" {
		t.Fatalf("error_msg missing or empty in %s", r.Body)
	}
	for _, part := range msgParts {
		if !strings.Contains(*e.Msg, part) {
			t.Errorf("error_msg %q does not mention %q", *e.Msg, part)
		}
	}
	return *e.Msg
}

// page is a decoded 200 answer of ListDesktopSnapshot, items kept raw.
type page struct {
	TotalCount       int               `json:"total_count"`
	DesktopSnapshots []json.RawMessage `json:"desktop_snapshots"`
}

// list sends a signed ListDesktopSnapshot of project (Sample's when "") and wants a 200.
func (f *fake) list(t *testing.T, projectID, rawQuery string) page {
	t.Helper()
	if projectID == "" {
		projectID = fakeapi.ProjectID
	}
	r := f.get(t, "/v2/"+projectID+"/snapshots", rawQuery)
	return r.page(t)
}

func (r response) page(t *testing.T) page {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	if _, ok := raw["total_count"]; !ok {
		t.Errorf("no total_count in %s", r.Body)
	}
	if s := string(bytes.TrimSpace(raw["desktop_snapshots"])); !strings.HasPrefix(s, "[") {
		t.Errorf("desktop_snapshots = %q, want a JSON array (never null or absent)", s)
	}
	var p page
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	return p
}

// ids lists the snapshot_id of every item, in order.
func (p page) ids(t *testing.T) []string {
	t.Helper()
	out := make([]string, 0, len(p.DesktopSnapshots))
	for _, item := range p.DesktopSnapshots {
		var s struct {
			SnapshotID *string `json:"snapshot_id"`
		}
		if err := json.Unmarshal(item, &s); err != nil {
			t.Fatalf("item %s: %v", item, err)
		}
		if s.SnapshotID == nil {
			t.Fatalf("item %s has no snapshot_id", item)
		}
		out = append(out, *s.SnapshotID)
	}
	return out
}

func idsOf(snaps []fakeapi.Snapshot) []string {
	out := make([]string, len(snaps))
	for i, s := range snaps {
		out[i] = *s.SnapshotID
	}
	return out
}

func wantIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if got == nil {
		got = []string{}
	}
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: snapshot_ids\n got %q\nwant %q", what, got, want)
	}
}

// keys reads the member names of a raw JSON object in the order of its bytes.
func keys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s is not a JSON object (%v, %v)", raw, tok, err)
	}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
