//go:build !linux

package hugepages

// Advise does nothing where madvise(MADV_HUGEPAGE) is not known.
func Advise([]byte) {}
