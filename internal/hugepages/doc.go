// Package hugepages hands out large slices backed, where the kernel
// allows it, by transparent huge pages.
//
// On the 2-core machines hw1pipe is measured on, the first touch of each
// 4 KB page of fresh memory costs about 15 µs: filling a 25 MB feature
// matrix spends about 0.1 s in page faults, more than many of the
// computations that read it (bench/RESULTS.md, issue 11). A huge page
// takes one fault per 2 MB. Whether the kernel gives them is its choice:
// with transparent huge pages set to "never", or on systems without
// madvise(MADV_HUGEPAGE), the slices are ordinary memory and nothing else
// changes. The values in a slice never depend on how it is backed.
package hugepages
