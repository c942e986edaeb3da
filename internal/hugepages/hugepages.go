package hugepages

import "unsafe"

// threshold is the smallest slice, in bytes, worth advising: below a few
// huge pages the rounding at both ends leaves little to gain.
const threshold = 4 << 20

// Make returns make([]T, n), its memory advised to be backed by huge
// pages when it is large. Memory the Go runtime hands out for a new large
// object is untouched (and known to be zero), so the advice lands before
// the first fault; memory it reuses was touched already and is no worse.
func Make[T any](n int) []T {
	s := make([]T, n)
	var zero T
	if size := uintptr(n) * unsafe.Sizeof(zero); size >= threshold {
		Advise(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size))
	}
	return s
}
