//go:build amd64 && !purego

package nn

// useAVX is true when the CPU and OS support AVX2 and FMA; the CSR kernels
// then run in assembly (sparse_amd64.s) on a transposed copy of W.
var useAVX = hasAVX2FMA()

func hasAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // the OS saves XMM and YMM state
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// fwdRowAVX sets z[0:12] = Σ_p dict[code[p]]·wt[12·col[p] : 12·col[p]+12]
// over p < n, with wt the In×12 transposed, zero-padded W.
//
//go:noescape
func fwdRowAVX(col *uint16, code *uint8, n int, dict *float64, wt *float64, z *float64)

// bwdRowAVX adds dict[code[p]]·d[0:12] to dwt[12·col[p] : 12·col[p]+12]
// for p < n.
//
//go:noescape
func bwdRowAVX(col *uint16, code *uint8, n int, dict *float64, dwt *float64, d *float64)
