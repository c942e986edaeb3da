//go:build !linux

package torchref

// adviseHugePages does nothing where madvise(MADV_HUGEPAGE) is not known.
func adviseHugePages([]byte) {}
