//go:build !noasm

package svm

// useAVX2 selects the assembly kernel, whose four 4-lane FMA registers are
// exactly the 16 accumulators of OpenBLAS's Haswell kernel.
var useAVX2 = hasAVX2FMA()

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// hasAVX2FMA reports whether the CPU has AVX2 and FMA3 and the OS saves
// the YMM registers (CPUID leaf 1 ECX bits 12, 27, 28; leaf 7 EBX bit 5;
// XCR0 bits 1–2).
func hasAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// ddotBlocks16AVX2 returns the reduced sum of the first len(x)&^15
// elements (the part before the tail), as ddotBlocks16.
//
//go:noescape
func ddotBlocks16AVX2(x, y []float64) float64

// sqdistBlocks16AVX2 is sqdistBlocks16 in assembly.
//
//go:noescape
func sqdistBlocks16AVX2(x, y []float64) float64

func sqdistBlocks(x, y []float64) float64 {
	if useAVX2 {
		return sqdistBlocks16AVX2(x, y)
	}
	return sqdistBlocks16(x, y)
}

func ddotBlocks(x, y []float64) float64 {
	if useAVX2 {
		return ddotBlocks16AVX2(x, y)
	}
	return ddotBlocks16(x, y)
}
