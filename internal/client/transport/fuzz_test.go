package transport_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

// FuzzDecodeAnswer feeds decodeAnswer, which turns every answer the client reads
// into a page or an error, any status, Content-Type and body. It must never
// panic; a non-2xx is always an *APIError of that status; a 2xx is a page or a
// *DecodeError, always the latter when the body is not JSON; a page comes only
// from valid JSON; and the body excerpts the errors repeat stay bounded.
//
// Run it for a while with
//
//	go test -run='^$' -fuzz='^FuzzDecodeAnswer$' -fuzztime=30s ./internal/client/transport/
//
// Plain go test runs the seeds below and those in testdata/fuzz/FuzzDecodeAnswer.
func FuzzDecodeAnswer(f *testing.F) {
	for _, seed := range []struct {
		status int
		ctype  string
		body   string
	}{
		{200, "application/json;charset=UTF-8", `{"total_count":2,"desktop_snapshots":[{"snapshot_id":"a","process":null},{"snapshot_id":"b","process":42,"is_system_disk":true}]}`},
		{200, "application/json", `{}`},
		{200, "application/json", `null`},
		{200, "application/json", `[]`},
		{200, "application/json", `{"total_count":"2"}`},
		{200, "application/json", `{"total_count":1e3}`},
		{200, "application/json", `{"total_count":9223372036854775808}`},
		{200, "application/json", `{"desktop_snapshots":[{"process":1.5}]}`},
		{200, "application/json", `{"desktop_snapshots":{}}`},
		{200, "application/json", `{"total_count":1,"desktop_snapshots":[`},
		{200, "application/json", `{"desktop_snapshots":[{"snapshot_name":"\ud800"}]}`},
		{200, "text/html", "<html><body>Gateway maintenance</body></html>"},
		{200, "", ""},
		{204, "", ""},
		{299, "application/json", `{"a":1} trailing`},
		{400, "application/json", `{"error_code":"WKS.0001","error_msg":"Invalid parameter"}`},
		{401, "application/json", `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information","encoded_authorization_message":"abc"}`},
		{403, "application/json", `{"error_code":"","error_msg":""}`},
		{404, "application/json", `{"error_code":404}`},
		{429, "application/json", `{"error_msg":"throttled","error_detail":"x"}`},
		{500, "text/plain", strings.Repeat("é", 600)},
		{502, "text/html", "<html>" + strings.Repeat("x", 1000) + "</html>"},
		{503, "", ""},
		{504, "application/json", "\xff\xfe\xfd"},
		{0, "", ""},
		{-1, "", "{}"},
		{199, "", "{}"},
		{300, "", "{}"},
		{1 << 40, "", "{}"},
	} {
		f.Add(seed.status, seed.ctype, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		h := http.Header{}
		h.Set("Content-Type", contentType)
		h.Set("X-Request-Id", "rid-1")
		page, err := transport.DecodeAnswer("GET", "/v2/p/snapshots", status, h, body, decodeSnapshotPage)
		if (page == nil) == (err == nil) {
			t.Fatalf("page %v and error %v: want exactly one", page, err)
		}
		var msg string
		if err != nil {
			msg = err.Error()
		}

		if status < 200 || status > 299 {
			var apiErr *transport.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("HTTP %d: error %v (%T), want an *APIError", status, err, err)
			}
			if apiErr.StatusCode != status || apiErr.RequestID != "rid-1" || apiErr.Method != "GET" || apiErr.Path != "/v2/p/snapshots" {
				t.Errorf("APIError %#v", apiErr)
			}
			if !strings.Contains(msg, fmt.Sprintf("HTTP %d", status)) || !strings.Contains(msg, "request id rid-1") {
				t.Errorf("error %q does not name the status and the request id", msg)
			}
			// Either the API's error fields, or an excerpt of the body, never
			// neither (an empty body is "(empty)").
			if apiErr.HasAPIFields() == (apiErr.BodyExcerpt != "") {
				t.Errorf("APIError %#v: want the API's fields or an excerpt", apiErr)
			}
			if len(apiErr.BodyExcerpt) > transport.MaxBodyExcerpt+len("…") {
				t.Errorf("excerpt of %d bytes", len(apiErr.BodyExcerpt))
			}
			if utf8.Valid(body) && !utf8.ValidString(apiErr.BodyExcerpt) {
				t.Errorf("excerpt %q of a valid UTF-8 body is not valid UTF-8", apiErr.BodyExcerpt)
			}
			return
		}

		if err == nil {
			if !json.Valid(body) {
				t.Fatalf("HTTP %d: a page from a body that is not valid JSON: %q", status, body)
			}
			return
		}
		var decErr *transport.DecodeError
		if !errors.As(err, &decErr) {
			t.Fatalf("HTTP %d: error %v (%T), want a *DecodeError", status, err, err)
		}
		if decErr.StatusCode != status || decErr.RequestID != "rid-1" || decErr.ContentType != contentType || decErr.Err == nil {
			t.Errorf("DecodeError %#v", decErr)
		}
		if len(decErr.BodyExcerpt) > transport.MaxBodyExcerpt+len("…") {
			t.Errorf("excerpt of %d bytes", len(decErr.BodyExcerpt))
		}
		// The text is bounded whatever the body: fixed words, the JSON error,
		// the Content-Type and the excerpt, each quoted (%q writes at most 4
		// bytes per byte).
		if limit := 1024 + 4*len(contentType) + 4*len(decErr.BodyExcerpt); len(msg) > limit {
			t.Errorf("error text of %d bytes for a body of %d: %q", len(msg), len(body), msg)
		}
		if utf8.Valid(body) && !utf8.ValidString(decErr.BodyExcerpt) {
			t.Errorf("excerpt %q of a valid UTF-8 body is not valid UTF-8", decErr.BodyExcerpt)
		}
	})
}

// decodeSnapshotPage decodes a ListDesktopSnapshot page as the client does.
func decodeSnapshotPage(body []byte) (*listing.Page[workspace.DesktopSnapshot], error) {
	return workspace.DesktopSnapshots.DecodePage(body)
}
