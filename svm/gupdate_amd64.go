//go:build !noasm

package svm

// useUpdateGAsm selects the AVX2 kernel of updateG. It uses no FMA: its
// products and sums are the scalar code's, four lanes at a time.
var useUpdateGAsm = useAVX2

// updateGAVX2 is updateG over the first len(g)&^3 positions: it leaves
// lane l's largest candidate value and its position in vals[l], idx[l]
// (idx −1 when the lane had none); kvec holds the positions 0..3 of the
// first block.
//
//go:noescape
func updateGAVX2(g []float64, qi, qj []float32, dI, dJ float64, y []float64, status []int8, vals *[4]float64, idx *[4]int64)

func updateGBlocks(g []float64, qi, qj []float32, dI, dJ float64, y []float64, status []int8) (int, float64) {
	var vals [4]float64
	idx := [4]int64{0, 1, 2, 3}
	updateGAVX2(g, qi, qj, dI, dJ, y, status, &vals, &idx)
	return reduceUpLanes(&vals, &idx)
}

// selectLowAVX2 is selectLow over the first len(g)&^3 positions, per
// lane.
//
//go:noescape
func selectLowAVX2(g, y []float64, status []int8, qd []float64, qi []float32, gmax, qdi, twoYi, tau float64, lanes *lowLanes)

func selectLowBlocks(g, y []float64, status []int8, qd []float64, qi []float32, gmax, qdi, twoYi float64) (int, float64, float64) {
	lanes := lowLanes{idx: [4]int64{0, 1, 2, 3}}
	selectLowAVX2(g, y, status, qd, qi, gmax, qdi, twoYi, tau, &lanes)
	return lanes.reduce()
}
