package svm

import (
	"math"
	"testing"
)

func TestExpUnderIsExp(t *testing.T) {
	// Around the cutoff, through the denormal range, and far below.
	for x := -760.0; x < -700; x += 1.0 / 1024 {
		for _, v := range []float64{x, math.Nextafter(x, 0), math.Nextafter(x, -800)} {
			if got, want := expUnder(v), math.Exp(v); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("expUnder(%v) = %v, math.Exp gives %v", v, got, want)
			}
		}
	}
	for _, v := range []float64{-1e4, -1e9, -1e300, math.Inf(-1), -0.5, 0, 3} {
		if got, want := expUnder(v), math.Exp(v); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("expUnder(%v) = %v, math.Exp gives %v", v, got, want)
		}
	}
	if !math.IsNaN(expUnder(math.NaN())) {
		t.Error("expUnder(NaN) is not NaN")
	}
}
