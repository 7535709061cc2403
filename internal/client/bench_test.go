package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/latency"
)

// BenchmarkListDesktopSnapshots lists 50,000 snapshots (50 pages) from the fake
// API on loopback, without and with 25 ms of added latency per request, with
// Config.MaxConcurrency 1 and 0 (transport.DefaultMaxConcurrency). Besides ns/op it
// reports the fetch window seen at the fake (first request to last answer), the
// sequential floor (pages × latency) and their ratio:
//
//	go test -run '^$' -bench ListDesktopSnapshots -benchmem ./internal/client/
//
// cmd/bench (make bench) measures the same with more detail and the official SDK.
func BenchmarkListDesktopSnapshots(b *testing.B) {
	const n = 50000
	fake := fakeapi.NewServer(fakeapi.Options{
		Credentials: []fakeapi.Credential{{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}},
		Projects:    []fakeapi.Project{{ID: fakeapi.LargeProjectID, Name: fakeapi.LargeRegion, Snapshots: fakeapi.Generate(n)}},
	})
	delayed := &latency.Handler{Next: fake}
	hs := httptest.NewServer(delayed)
	b.Cleanup(hs.Close)

	for _, delay := range []time.Duration{0, 25 * time.Millisecond} {
		for _, conc := range []int{1, 0} {
			name := fmt.Sprintf("latency=%s/max_concurrency=%d", delay, conc)
			if conc == 0 {
				name = fmt.Sprintf("latency=%s/max_concurrency=default(%d)", delay, transport.DefaultMaxConcurrency)
			}
			b.Run(name, func(b *testing.B) {
				delayed.Delay = delay
				c := transport.New(transport.Config{
					Credentials:    sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey},
					MaxConcurrency: conc,
				})
				var window time.Duration
				var pages int
				b.ReportAllocs()
				for b.Loop() {
					delayed.Reset()
					out, err := workspace.ListDesktopSnapshots(context.Background(), c, hs.URL, fakeapi.LargeProjectID, workspace.ListDesktopSnapshotsInput{})
					if err != nil || len(out.Snapshots) != n {
						b.Fatalf("%v (%d snapshots)", err, len(out.Snapshots))
					}
					window += delayed.Window().Duration()
					pages = out.Requests
				}
				perOp := float64(window.Milliseconds()) / float64(b.N)
				b.ReportMetric(perOp, "window-ms/op")
				if delay > 0 {
					floor := float64(pages) * float64(delay.Milliseconds())
					b.ReportMetric(floor, "floor-ms/op")
					b.ReportMetric(perOp/floor, "window/floor")
				}
			})
		}
	}
}
