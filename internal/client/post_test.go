package client

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// PostJSON sends its body as JSON, signed with it, and a retry (after a 429,
// which the gateway answers before the API processes anything) sends the same
// body again, signed anew; the 2xx answer is decoded.
func TestPostJSONSignsAndRetriesTheBody(t *testing.T) {
	var bodies []string
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{"job_id":"j-1"}`))
	})
	c := transport.New(transport.Config{Credentials: testCreds, Now: func() time.Time { return fixedNow }, MaxRetries: 1, RetryBaseDelay: 1, RetryMaxDelay: 1})
	type job struct {
		JobID string `json:"job_id"`
	}
	out, err := transport.PostJSON[job](context.Background(), c, transport.Request{Endpoint: rec.URL, Path: "/v2/p/snapshots/batch-create", ProjectID: "p"},
		map[string]any{"snapshots": []map[string]string{{"desktop_id": "d-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.JobID != "j-1" {
		t.Errorf("job_id %q, want j-1", out.JobID)
	}
	const want = `{"snapshots":[{"desktop_id":"d-1"}]}`
	if len(bodies) != 2 || bodies[0] != want || bodies[1] != want {
		t.Fatalf("bodies %q, want %q twice", bodies, want)
	}
	for i, r := range rec.requests() {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json;charset=UTF-8" {
			t.Errorf("attempt %d: %s with Content-Type %q", i+1, r.Method, r.Header.Get("Content-Type"))
		}
		// The signature covers the body: signing the same request again with
		// it gives the same Authorization, and without it another one.
		again := r.Clone(context.Background())
		again.Host, again.URL.Scheme, again.URL.Host = "", "http", rec.Listener.Addr().String()
		again.Header.Del("Authorization")
		if err := sign.NewSigner(sign.DefaultAlgorithm).Sign(again, testCreds, []byte(want), fixedNow); err != nil {
			t.Fatal(err)
		}
		if got := again.Header.Get("Authorization"); got != r.Header.Get("Authorization") {
			t.Errorf("attempt %d: Authorization %q, want %q", i+1, r.Header.Get("Authorization"), got)
		}
		again.Header.Del("Authorization")
		_ = sign.NewSigner(sign.DefaultAlgorithm).Sign(again, testCreds, nil, fixedNow)
		if again.Header.Get("Authorization") == r.Header.Get("Authorization") {
			t.Errorf("attempt %d: the signature does not cover the body", i+1)
		}
	}
}
