// Package gaborlike makes the synthetic Gabor-like feature matrices that
// golden/gabor/make_golden.py's gabor_like() makes, for the StandardScaler
// and PCA tests: integer images times an integer matrix, /64, so every
// value is exact in float64 and Go and numpy start from identical data,
// with an all-zero column 5 and a constant 0.1 column 7 to exercise the
// zero-variance rules.
package gaborlike

import "gonum.org/v1/gonum/mat"

// Generate returns nTrain×dOut and nVal×dOut matrices drawn from a 64-bit
// LCG seeded with seed (the script's generator, step for step).
func Generate(seed uint64, nTrain, nVal, dIn, dOut int) (train, val *mat.Dense) {
	s := seed
	next := func() uint64 {
		s = s*6364136223846793005 + 1442695040888963407
		return s >> 33
	}
	pix := func() int64 {
		if v := next() % 256; v >= 128 {
			return int64(v)
		}
		return 0
	}
	imgs := func(n int) []int64 {
		x := make([]int64, n*dIn)
		for i := range x {
			x[i] = pix()
		}
		return x
	}
	tr, va := imgs(nTrain), imgs(nVal)
	b := make([]int64, dIn*dOut)
	for i := range b {
		b[i] = int64(next()%7) - 3
	}
	for k := 0; k < dIn; k++ {
		b[k*dOut+5] = 0
	}
	mul := func(x []int64, n int) *mat.Dense {
		out := mat.NewDense(n, dOut, nil)
		acc := make([]int64, dOut)
		for i := 0; i < n; i++ {
			clear(acc)
			for k := 0; k < dIn; k++ {
				if v := x[i*dIn+k]; v != 0 {
					for j, w := range b[k*dOut : (k+1)*dOut] {
						acc[j] += v * w
					}
				}
			}
			row := out.RawRowView(i)
			for j, a := range acc {
				row[j] = float64(a) / 64
			}
			row[7] = 0.1
		}
		return out
	}
	return mul(tr, nTrain), mul(va, nVal)
}
