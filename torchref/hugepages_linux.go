package torchref

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks the kernel to back the whole pages of b, memory not
// yet touched, with transparent huge pages (madvise MADV_HUGEPAGE), so
// that filling it takes one page fault per 2 MB instead of one per 4 KB.
// It is only advice: where THP is off ("never") nothing changes, and an
// error is ignored.
func adviseHugePages(b []byte) {
	const page = 4096
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + uintptr(len(b))) &^ (page - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(b[lo-start:hi-start], syscall.MADV_HUGEPAGE)
}
