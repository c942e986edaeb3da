//go:build cgo

package libm

// #cgo LDFLAGS: -lm
// #include <math.h>
import "C"

// Exact reports whether Log is the C library's own log.
const Exact = true

// Log returns the C library's log(x).
func Log(x float64) float64 { return float64(C.log(C.double(x))) }
