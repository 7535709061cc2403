// Command fakeworkspace serves the fake Workspace and IAM API (package fakeapi)
// with its default data on loopback, for the demo and for trying the provider
// without a cloud account. It prints the URL and the credentials it accepts, and
// stops on SIGINT or SIGTERM. With -chaos-rate it behaves like a flaky gateway,
// failing that fraction of snapshot list requests at random (seeded by -seed).
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
	"syscall"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	chaosRate := flag.Float64("chaos-rate", 0, "fraction (0 to 1) of snapshot list requests (/v2/) that fail like a flaky gateway:\n"+
		"a 503 JSON error, a 502 HTML page, a 429 with Retry-After: 1, a dropped connection, or a body cut short,\n"+
		"drawn at random; 0 turns it off. IAM (/v3/) is never failed")
	seed := flag.Int64("seed", 1, "seed of the -chaos-rate draws: the same seed and the same requests in the same order get the same faults")
	flag.Parse()
	if *chaosRate < 0 || *chaosRate > 1 {
		log.Fatalf("fakeworkspace: -chaos-rate %v is not between 0 and 1", *chaosRate)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("fakeworkspace: %v", err)
	}
	url := "http://" + ln.Addr().String()
	fake := fakeapi.NewServer(fakeapi.DefaultOptions())
	fake.SetChaos(fakeapi.Chaos{Seed: *seed, Rate: *chaosRate, Path: "/v2/", Faults: flakyGateway})
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(fake.Close)

	fmt.Printf("fake Workspace and IAM API at %s\n", url)
	// These are the fake's own made-up keys, not secrets of anyone's account.
	fmt.Printf("  credentials: HW_ACCESS_KEY=%s HW_SECRET_KEY=%s\n", fakeapi.AccessKey, fakeapi.SecretKey)
	fmt.Printf("  endpoints:   endpoints = { workspace = %q, iam = %q }\n", url, url)
	fmt.Printf("  regions: %s (%d curated snapshots), %s (%d generated), %s (none)\n",
		fakeapi.Region, len(fakeapi.Sample()), fakeapi.LargeRegion, fakeapi.LargeCount, fakeapi.EmptyRegion)
	if *chaosRate > 0 {
		fmt.Printf("  chaos: %.0f%% of /v2/ requests fail (503, 502 HTML, 429 Retry-After 1, dropped, truncated), seed %d\n", *chaosRate*100, *seed)
	}
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url+"\n"), 0o600); err != nil {
			log.Fatalf("fakeworkspace: %v", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("fakeworkspace: %v", err)
	}
}

// flakyGateway is what -chaos-rate draws from.
var flakyGateway = []fakeapi.Fault{
	{Status: 503, ContentType: "application/json", Body: `{"error_code":"APIG.0201","error_msg":"Backend unavailable."}`},
	{Status: 502, ContentType: "text/html", Body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"},
	{Status: 429, ContentType: "application/json", RetryAfter: "1", Body: `{"error_code":"APIG.0308","error_msg":"The request is throttled."}`},
	{Drop: true},
	{Truncate: 64},
}
