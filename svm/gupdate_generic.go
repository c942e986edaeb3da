//go:build !amd64 || noasm

package svm

var useUpdateGAsm = false

func updateGBlocks(g []float64, qi, qj []float32, dI, dJ float64, y []float64, status []int8) (int, float64) {
	panic("svm: no updateG kernel")
}

func selectLowBlocks(g, y []float64, status []int8, qd []float64, qi []float32, gmax, qdi, twoYi float64) (int, float64, float64) {
	panic("svm: no selectLow kernel")
}
