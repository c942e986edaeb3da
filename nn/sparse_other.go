//go:build !amd64 || purego

package nn

var useAVX = false

func fwdRowAVX(col *uint16, code *uint8, n int, dict *float64, wt *float64, z *float64) {
	panic("nn: no AVX kernels on this platform")
}

func bwdRowAVX(col *uint16, code *uint8, n int, dict *float64, dwt *float64, d *float64) {
	panic("nn: no AVX kernels on this platform")
}
