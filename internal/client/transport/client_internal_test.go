package transport

import (
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

func TestJoinURL(t *testing.T) {
	for _, tc := range []struct{ endpoint, path, want string }{
		{"https://h.example", "/v2/p/snapshots", "https://h.example/v2/p/snapshots?a=1"},
		{"https://h.example/", "/v2/p/snapshots", "https://h.example/v2/p/snapshots?a=1"},
		{"  https://h.example/prefix/  ", "/v3/projects", "https://h.example/prefix/v3/projects?a=1"},
		{"http://h.example:8080/a//", "/b", "http://h.example:8080/a/b?a=1"},
	} {
		u, err := joinURL(tc.endpoint, tc.path, sign.Query{{Key: "a", Value: "1"}})
		if err != nil {
			t.Errorf("joinURL(%q, %q): %v", tc.endpoint, tc.path, err)
			continue
		}
		if got := u.String(); got != tc.want {
			t.Errorf("joinURL(%q, %q) = %q, want %q", tc.endpoint, tc.path, got, tc.want)
		}
	}
}

// TestAPIErrorFieldsClipped checks that a huge error_msg is repeated as an
// excerpt, not whole.
func TestAPIErrorFieldsClipped(t *testing.T) {
	huge := strings.Repeat("x", 100_000)
	e := newAPIError("GET", "/p", 400, "rid", "application/json", []byte(`{"error_code":"WKS.0001","error_msg":"`+huge+`"}`))
	if e.ErrorCode != "WKS.0001" {
		t.Errorf("error_code %q", e.ErrorCode)
	}
	if want := strings.Repeat("x", maxBodyExcerpt) + "…"; e.ErrorMsg != want {
		t.Errorf("error_msg of %d bytes, want an excerpt of %d and …", len(e.ErrorMsg), maxBodyExcerpt)
	}
}
