//go:build unix

// Command peakrss runs the program named by PEAKRSS_EXEC as its child, with its
// own arguments, standard streams and environment, waits for it, and appends to
// the file PEAKRSS_OUT one line about it:
//
//	maxrss_kib=<peak resident set size> wall_ms=<lifetime> user_ms=<CPU> sys_ms=<CPU> exit=<code>
//
// The peak RSS is the kernel's own account (getrusage ru_maxrss of the waited-for
// child), not a sample. Built as terraform-provider-huaweicloud into a
// dev_overrides directory, it stands in for the provider so that Terraform runs
// the real provider through it: scripts/bench-e2e.sh does so. It forwards SIGINT
// and SIGTERM to the child and exits with the child's exit code.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	target, out := os.Getenv("PEAKRSS_EXEC"), os.Getenv("PEAKRSS_OUT")
	if target == "" || out == "" {
		fmt.Fprintln(os.Stderr, "peakrss: set PEAKRSS_EXEC to the program to run and PEAKRSS_OUT to the file to append its peak RSS to")
		os.Exit(2)
	}
	cmd := exec.Command(target, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "peakrss: %v\n", err)
		os.Exit(2)
	}
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)

	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "peakrss: %v\n", err)
		code = 2
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "peakrss: no resource usage for the child on this system")
		os.Exit(2)
	}
	line := fmt.Sprintf("maxrss_kib=%d wall_ms=%d user_ms=%d sys_ms=%d exit=%d\n",
		ru.Maxrss, wall.Milliseconds(), cmd.ProcessState.UserTime().Milliseconds(), cmd.ProcessState.SystemTime().Milliseconds(), code)
	f, ferr := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if ferr == nil {
		_, ferr = f.WriteString(line)
		if cerr := f.Close(); ferr == nil {
			ferr = cerr
		}
	}
	if ferr != nil {
		fmt.Fprintf(os.Stderr, "peakrss: %v\n", ferr)
	}
	os.Exit(code)
}
