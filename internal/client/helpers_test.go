package client

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// fixedNow is the signing time of the test clients: X-Sdk-Date 20240420T083616Z.
var fixedNow = time.Date(2024, 4, 20, 8, 36, 16, 0, time.UTC)

const fixedSdkDate = "20240420T083616Z"

// recorder is an httptest server that keeps a copy of every request it gets.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// newRecorder starts an httptest server that records each request and then hands
// it to h. It is closed when the test ends.
func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r.Clone(r.Context()))
		rec.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// testClient is a Client with fixed credentials and a fixed clock.
func testClient(creds sign.Credentials) *transport.Client {
	return transport.New(transport.Config{
		Credentials: creds,
		UserAgent:   "terraform-provider-huaweicloud-test/1.2.3",
		Now:         func() time.Time { return fixedNow },
	})
}

var testCreds = sign.Credentials{AccessKey: "AK", SecretKey: "SK"}

func strp(s string) *string { return &s }
func boolp(b bool) *bool    { return &b }
func int64p(i int64) *int64 { return &i }
