//go:build unix

package datasources_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the test process has used so
// far, every goroutine included: the fake's, the garbage collector's.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
