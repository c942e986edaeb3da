package gabor

import "fmt"

// Reflect maps any integer index i to [0, n) with scipy's 'reflect' mode
// (half-sample symmetric, period 2n): d c b a | a b c d | d c b a.
func Reflect(i, n int) int {
	m := i % (2 * n)
	if m < 0 {
		m += 2 * n
	}
	if m >= n {
		m = 2*n - 1 - m
	}
	return m
}

// ConvolveTo writes into dst (rows·cols, row-major) the convolution of img
// (rows·cols) with the kRows × kCols kernel w (odd sides, origin at the
// centre) under the 'reflect' boundary, as scipy.ndimage.convolve defines
// it without its out-of-bounds defect:
//
//	dst[r,c] = Σ_a Σ_b w[K−1−a, L−1−b] · img[ρ(r+a−hy), ρ(c+b−hx)]
//
// summed in float64 with a outer and b inner, skipping zero weights, the
// order scipy uses (bit-exact against scipy where it is correct). The cost
// is rows·cols·kRows·kCols; Bank is the fast path. It panics on a size
// mismatch or an even kernel side.
func ConvolveTo(dst, img []float64, rows, cols int, w []float64, kRows, kCols int) {
	if rows <= 0 || cols <= 0 || len(img) != rows*cols || len(dst) != rows*cols {
		panic(fmt.Sprintf("gabor: image size %d, dst size %d for %d×%d", len(img), len(dst), rows, cols))
	}
	if kRows%2 != 1 || kCols%2 != 1 || len(w) != kRows*kCols {
		panic(fmt.Sprintf("gabor: kernel size %d for %d×%d (sides must be odd)", len(w), kRows, kCols))
	}
	hy, hx := kRows/2, kCols/2
	ri := make([]int, kRows+rows-1) // ri[r+a] = ρ(r+a−hy)
	for i := range ri {
		ri[i] = Reflect(i-hy, rows)
	}
	ci := make([]int, kCols+cols-1)
	for i := range ci {
		ci[i] = Reflect(i-hx, cols)
	}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			var acc float64
			for a := 0; a < kRows; a++ {
				row := img[ri[r+a]*cols : ri[r+a]*cols+cols]
				wrow := w[(kRows-1-a)*kCols : (kRows-a)*kCols]
				cc := ci[c : c+kCols]
				for b, j := range cc {
					wv := wrow[kCols-1-b]
					if wv == 0 {
						continue
					}
					acc += float64(wv * row[j])
				}
			}
			dst[r*cols+c] = acc
		}
	}
}

// Gabor returns the real and imaginary responses of img (rows·cols,
// row-major) to the filter p, as skimage.filters.gabor(img, ...) with
// mode='reflect' computes them for a float64 image (without scipy's
// out-of-bounds defect). It uses the direct definition (ConvolveTo).
func Gabor(img []float64, rows, cols int, p Params) (re, im []float64, err error) {
	k, err := NewKernel(p)
	if err != nil {
		return nil, nil, err
	}
	re = make([]float64, rows*cols)
	im = make([]float64, rows*cols)
	ConvolveTo(re, img, rows, cols, k.Re, k.Rows, k.Cols)
	ConvolveTo(im, img, rows, cols, k.Im, k.Rows, k.Cols)
	return re, im, nil
}

// SciPyUnsafe reports whether scipy 1.10's ndimage.convolve (and so
// skimage's gabor) reads out of bounds for kernel k on a rows × cols
// image: it does when a half-size reaches four times the image side along
// that axis (y0 ≥ 4·rows or x0 ≥ 4·cols), docs/numerics.md#scipy-reflect-defect.
func SciPyUnsafe(k *Kernel, rows, cols int) bool {
	return k.Y0 >= 4*rows || k.X0 >= 4*cols
}
