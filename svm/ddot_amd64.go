//go:build !noasm

package svm

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly kernel, whose four 4-lane FMA registers are
// exactly the 16 accumulators of OpenBLAS's Haswell kernel.
// golang.org/x/sys/cpu reports AVX2 and FMA only when the OS also saves
// the YMM registers.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

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
