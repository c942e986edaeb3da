//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// useAVX is true when the CPU and OS support AVX2 and FMA; the CSR kernels
// then run in assembly (sparse_amd64.s) on a transposed copy of W.
var useAVX = cpu.X86.HasAVX2 && cpu.X86.HasFMA

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
