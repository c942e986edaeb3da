package hugepages

import (
	"syscall"
	"unsafe"
)

// Advise asks the kernel to back the whole 4 KB pages of b with
// transparent huge pages (madvise MADV_HUGEPAGE). It is only advice, and
// an error (an old kernel, THP compiled out) is ignored.
func Advise(b []byte) {
	const page = 4096
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + uintptr(len(b))) &^ (page - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(b[lo-start:hi-start], syscall.MADV_HUGEPAGE)
}
