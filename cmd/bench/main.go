// Command bench measures how fast a large estate is listed (make bench): it
// starts the fake Workspace API in-process with -snapshots generated snapshots
// behind -latency of added delay per request, then lists them all
//
//   - with the provider's client, Config.MaxConcurrency 0 (transport.DefaultMaxConcurrency),
//     1 and 8, and
//   - with the loop a user of the official SDK (huaweicloud-sdk-go-v3
//     services/workspace/v2) would write: ListDesktopSnapshot with offset and
//     limit, page after page,
//
// and prints, for each, the fetch window seen at the fake (first request to last
// answer), the sequential floor (pages × latency) and their ratio, next to the
// bound set by the latency alone: the client's pager sends the first page alone
// (it gives total_count) and then c at a time, 1 + ⌈(pages-1)/c⌉ round trips;
// the SDK's loop, one page per round trip. Each is run
// -runs times; the table shows the median and the fastest.
//
// With -serve it only serves that fake until interrupted, writing its URL to
// -url-file: scripts/bench-e2e.sh runs Terraform against it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	sdkworkspace "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/latency"
)

// goalRatio is the large-estate goal: the default client's fetch window at most
// this share of the sequential floor (issue 4 asked 0.35; issue 10, with pages
// decoded without reflection, asks 0.25, against the latency bound of 0.20).
const goalRatio = 0.25

func main() {
	snapshots := flag.Int("snapshots", 50000, "snapshots in the fake's project")
	delay := flag.Duration("latency", 25*time.Millisecond, "delay added to every request")
	runs := flag.Int("runs", 3, "times each listing is measured")
	serve := flag.Bool("serve", false, "only serve the fake until interrupted")
	urlFile := flag.String("url-file", "", "with -serve: write the base URL to this file once listening")
	flag.Parse()

	fake := fakeapi.NewServer(fakeapi.Options{
		Credentials: []fakeapi.Credential{{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}},
		Projects:    []fakeapi.Project{{ID: fakeapi.LargeProjectID, Name: fakeapi.LargeRegion, Snapshots: fakeapi.Generate(*snapshots)}},
	})
	delayed := &latency.Handler{Next: fake, Delay: *delay}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("bench: %v", err)
	}
	url := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: delayed, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("bench: %v", err)
		}
	}()
	defer srv.Close()

	if *serve {
		serveUntilInterrupted(url, *urlFile, *snapshots, *delay)
		return
	}

	pages := (*snapshots + listing.PageLimit - 1) / listing.PageLimit
	floor := time.Duration(pages) * *delay
	fmt.Printf("Listing %d snapshots (%d pages of %d) from the fake API on %s, %s added per request.\n",
		*snapshots, pages, listing.PageLimit, url, *delay)
	fmt.Printf("Sequential floor: %d pages × %s = %s. Median and fastest of %d runs; %s, GOMAXPROCS %d.\n\n",
		pages, *delay, floor, *runs, runtime.Version(), runtime.GOMAXPROCS(0))

	ctx := context.Background()
	rows := []struct {
		name     string
		inFlight int // pages in flight after the first; the bound's c
		list     func() (int, error)
	}{
		{fmt.Sprintf("client, MaxConcurrency 0 (default %d)", transport.DefaultMaxConcurrency), transport.DefaultMaxConcurrency, func() (int, error) { return listWithClient(ctx, url, 0) }},
		{"client, MaxConcurrency 1", 1, func() (int, error) { return listWithClient(ctx, url, 1) }},
		{"client, MaxConcurrency 8", 8, func() (int, error) { return listWithClient(ctx, url, 8) }},
		{"official SDK, sequential offset/limit loop", 1, func() (int, error) { return listWithSDK(url) }},
	}
	fmt.Printf("%-44s %10s %10s %8s %10s %10s %9s %9s %10s\n", "listing", "window", "fastest", "÷floor", "wall", "fake busy", "requests", "in flight", "bound")
	var defaultRatio float64
	for i, row := range rows {
		var ms []measurement
		for range *runs {
			m, err := measure(delayed, row.list)
			if err != nil {
				log.Fatalf("bench: %s: %v", row.name, err)
			}
			if m.snapshots != *snapshots {
				log.Fatalf("bench: %s: listed %d snapshots, want %d", row.name, m.snapshots, *snapshots)
			}
			ms = append(ms, m)
		}
		slices.SortFunc(ms, func(a, b measurement) int { return int(a.window.Duration() - b.window.Duration()) })
		med, best := ms[len(ms)/2], ms[0]
		ratio := 0.0
		if floor > 0 {
			ratio = float64(med.window.Duration()) / float64(floor)
		}
		if i == 0 {
			defaultRatio = ratio
		}
		trips := 1 + (pages-1+row.inFlight-1)/row.inFlight
		bound := 0.0
		if pages > 1 {
			bound = float64(trips) / float64(pages)
		}
		fmt.Printf("%-44s %10s %10s %8.2f %10s %10s %9d %9d %4d, %.2f\n", row.name,
			ms2(med.window.Duration()), ms2(best.window.Duration()), ratio, ms2(med.wall),
			ms2(med.window.Serving), med.window.Requests, med.window.MaxInFlight, trips, bound)
	}

	fmt.Println()
	fmt.Println("window: first request to last answer, at the fake. ÷floor: median window ÷ sequential floor.")
	fmt.Println("wall: the listing call, as the caller sees it. fake busy: the fake's own work after the delay,")
	fmt.Println("summed over requests; it runs on the same cores as the client. bound: round trips the latency")
	fmt.Println("alone forces, 1 + ⌈(pages-1)/c⌉ with c pages in flight, and that ÷ pages: the best ÷floor possible.")
	if floor > 0 {
		verdict := "met"
		if defaultRatio > goalRatio {
			verdict = "NOT met"
		}
		fmt.Printf("\nGoal: the default client's window at most %.2f × floor: %s (%.2f).\n", goalRatio, verdict, defaultRatio)
	}
}

type measurement struct {
	window    latency.Window
	wall      time.Duration
	snapshots int
}

func measure(h *latency.Handler, list func() (int, error)) (measurement, error) {
	runtime.GC() // the previous run's garbage is not this one's to collect
	h.Reset()
	start := time.Now()
	n, err := list()
	return measurement{window: h.Window(), wall: time.Since(start), snapshots: n}, err
}

// listWithClient lists every snapshot with the provider's client, a fresh one
// (fresh connections) each time, as a provider process has.
func listWithClient(ctx context.Context, url string, maxConcurrency int) (int, error) {
	c := transport.New(transport.Config{
		Credentials:    sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey},
		UserAgent:      "terraform-provider-huaweicloud/bench",
		MaxConcurrency: maxConcurrency,
	})
	out, err := workspace.ListDesktopSnapshots(ctx, c, url, fakeapi.LargeProjectID, workspace.ListDesktopSnapshotsInput{})
	if err != nil {
		return 0, err
	}
	return len(out.Snapshots), nil
}

// listWithSDK is what a user of the official SDK writes: pages of 1000 with
// offset and limit until a short page or total_count. The endpoint and the
// project ID are given, so the SDK looks nothing up in IAM.
func listWithSDK(url string) (int, error) {
	creds, err := basic.NewCredentialsBuilder().
		WithAk(fakeapi.AccessKey).WithSk(fakeapi.SecretKey).WithProjectId(fakeapi.LargeProjectID).
		SafeBuild()
	if err != nil {
		return 0, err
	}
	hc, err := sdkworkspace.WorkspaceClientBuilder().
		WithEndpoints([]string{url}).WithCredential(creds).WithHttpConfig(config.DefaultHttpConfig()).
		SafeBuild()
	if err != nil {
		return 0, err
	}
	c := sdkworkspace.NewWorkspaceClient(hc)
	var all []model.DesktopSnapshotDetailInfo
	limit := int32(listing.PageLimit)
	for offset := int32(0); ; offset += limit {
		resp, err := c.ListDesktopSnapshot(&model.ListDesktopSnapshotRequest{Offset: &offset, Limit: &limit})
		if err != nil {
			return 0, fmt.Errorf("offset %d: %w", offset, err)
		}
		var page []model.DesktopSnapshotDetailInfo
		if resp.DesktopSnapshots != nil {
			page = *resp.DesktopSnapshots
		}
		all = append(all, page...)
		if len(page) < int(limit) || resp.TotalCount != nil && len(all) >= int(*resp.TotalCount) {
			return len(all), nil
		}
	}
}

func ms2(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func serveUntilInterrupted(url, urlFile string, n int, delay time.Duration) {
	fmt.Printf("fake Workspace and IAM API at %s: region %s, project %s, %d snapshots, %s added per request\n",
		url, fakeapi.LargeRegion, fakeapi.LargeProjectID, n, delay)
	fmt.Printf("  credentials: HW_ACCESS_KEY=%s HW_SECRET_KEY=%s\n", fakeapi.AccessKey, fakeapi.SecretKey)
	if urlFile != "" {
		if err := os.WriteFile(urlFile, []byte(url+"\n"), 0o600); err != nil {
			log.Fatalf("bench: %v", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Println(strings.TrimSpace("fake stopped"))
}
