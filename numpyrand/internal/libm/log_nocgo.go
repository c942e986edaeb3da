//go:build !cgo

package libm

import "hw1pipe/numpyrand/internal/crlog"

// Exact reports whether Log is the C library's own log.
const Exact = false

// Log returns the correctly rounded log(x), glibc's value on about 99.9%
// of arguments.
func Log(x float64) float64 { return crlog.Log(x) }
