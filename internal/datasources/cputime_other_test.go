//go:build !unix

package datasources_test

import "time"

// processCPU is not measured on this system; the benchmark reports 0.
func processCPU() time.Duration { return 0 }
