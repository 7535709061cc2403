package client

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// lockedBuffer is a bytes.Buffer safe for the log writes of concurrent pages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// TestLogs runs a listing with temporary credentials, whose first attempt gets
// a 503, with the provider's logger at TRACE, and checks every line: no secret
// anywhere, and the fields support needs, with their exact values.
func TestLogs(t *testing.T) {
	env := startDefaultFake(t)
	env.api.Fail(fakeapi.Fault{Path: samplePath, Status: 503, Body: apiErrorBody("APIG.0503", "Backend unavailable")})
	var out lockedBuffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	c := fakeClient(transport.Config{Credentials: fakeTemporary, MaxRetries: 2})
	if _, err := list(ctx, c, env); err != nil {
		t.Fatal(err)
	}
	reqs := env.api.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d attempts, want 2", len(reqs))
	}

	raw := out.Bytes()
	for _, secret := range []string{fakeapi.TempSecretKey, fakeapi.SecurityToken} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the logs hold the secret %q:\n%s", secret, raw)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("nothing logged")
	}
	// Every line, field by field, once more: nothing holds a secret, in any
	// nesting.
	for _, e := range entries {
		walkStrings(e, func(s string) {
			if strings.Contains(s, fakeapi.TempSecretKey) || strings.Contains(s, fakeapi.SecurityToken) {
				t.Errorf("log entry %v holds a secret", e)
			}
		})
	}

	byMessage := map[string][]map[string]any{}
	for _, e := range entries {
		msg, _ := e["@message"].(string)
		byMessage[msg] = append(byMessage[msg], e)
	}

	// One "Huawei Cloud API request" line per answer, with its exact fields.
	answers := byMessage["Huawei Cloud API request"]
	if len(answers) != 2 {
		t.Fatalf("%d \"Huawei Cloud API request\" lines, want 2:\n%s", len(answers), raw)
	}
	for i, e := range answers {
		want := map[string]any{
			"@level": "debug", "method": "GET", "path": samplePath, "query": firstPageQuery,
			"status": float64(reqs[i].Status), "attempt": float64(i + 1), "request_id": reqs[i].RequestID,
		}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("answer %d: %s = %#v, want %#v", i+1, k, e[k], v)
			}
		}
		if d, ok := e["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("answer %d: duration_ms = %#v, want a number", i+1, e["duration_ms"])
		}
		if _, ok := e["bytes"].(float64); !ok {
			t.Errorf("answer %d: bytes = %#v, want a number", i+1, e["bytes"])
		}
	}
	if answers[0]["status"] != float64(503) || answers[1]["status"] != float64(200) {
		t.Errorf("statuses %v, %v; want 503, 200", answers[0]["status"], answers[1]["status"])
	}

	// One "will be retried" line, after the 503.
	retried := byMessage["Huawei Cloud API request will be retried"]
	if len(retried) != 1 {
		t.Fatalf("%d \"will be retried\" lines, want 1:\n%s", len(retried), raw)
	}
	for k, v := range map[string]any{
		"@level": "debug", "method": "GET", "path": samplePath, "query": firstPageQuery, "attempt": float64(1),
		"wait_reason": "backoff", "retries_left": float64(2),
	} {
		if retried[0][k] != v {
			t.Errorf("will be retried: %s = %#v, want %#v", k, retried[0][k], v)
		}
	}
	if w, ok := retried[0]["wait_ms"].(float64); !ok || w < 0 || w > 5 {
		t.Errorf("will be retried: wait_ms = %#v, want 0 to 5 (RetryMaxDelay)", retried[0]["wait_ms"])
	}

	// One TRACE "request sent" line per attempt, its headers masked.
	sent := byMessage["Huawei Cloud API request sent"]
	if len(sent) != 2 {
		t.Fatalf("%d \"request sent\" lines, want 2:\n%s", len(sent), raw)
	}
	for i, e := range sent {
		if e["@level"] != "trace" || e["attempt"] != float64(i+1) || e["path"] != samplePath || e["query"] != firstPageQuery {
			t.Errorf("request sent %d: %v", i+1, e)
		}
		h, ok := e["headers"].(map[string]any)
		if !ok {
			t.Fatalf("request sent %d: headers = %#v", i+1, e["headers"])
		}
		for k, v := range map[string]any{
			"Authorization": "***", "X-Security-Token": "***",
			"X-Project-Id": fakeapi.ProjectID, "Accept": "application/json",
			"X-Sdk-Date": reqs[i].Header.Get(sign.HeaderSdkDate),
		} {
			if h[k] != v {
				t.Errorf("request sent %d: header %s = %#v, want %#v", i+1, k, h[k], v)
			}
		}
	}
}

// walkStrings calls f with every string in v, a decoded JSON value, keys too.
func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case map[string]any:
		for k, x := range v {
			f(k)
			walkStrings(x, f)
		}
	case []any:
		for _, x := range v {
			walkStrings(x, f)
		}
	}
}
