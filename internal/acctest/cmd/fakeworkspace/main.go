// Command fakeworkspace serves the fake Workspace and IAM API (package fakeapi)
// with its default data on loopback, for the demo and for trying the provider
// without a cloud account. It prints the URL and the credentials it accepts, and
// stops on SIGINT or SIGTERM.
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

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest/fakeapi"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	flag.Parse()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("fakeworkspace: %v", err)
	}
	url := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: fakeapi.NewServer(fakeapi.DefaultOptions()), ReadHeaderTimeout: 10 * time.Second}

	fmt.Printf("fake Workspace and IAM API at %s\n", url)
	// These are the fake's own made-up keys, not secrets of anyone's account.
	fmt.Printf("  credentials: HW_ACCESS_KEY=%s HW_SECRET_KEY=%s\n", fakeapi.AccessKey, fakeapi.SecretKey)
	fmt.Printf("  endpoints:   endpoints = { workspace = %q, iam = %q }\n", url, url)
	fmt.Printf("  regions: %s (%d curated snapshots), %s (%d generated), %s (none)\n",
		fakeapi.Region, len(fakeapi.Sample()), fakeapi.LargeRegion, fakeapi.LargeCount, fakeapi.EmptyRegion)
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
