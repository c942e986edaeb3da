package svm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// updateGScalar is updateG's loop without the assembly kernel.
func updateGScalar(g []float64, qi, qj []float32, dI, dJ float64, y []float64, status []int8) (int, float64) {
	up, gmax := -1, math.Inf(-1)
	for k := range g {
		gk := g[k] + (float64(float64(qi[k])*dI) + float64(float64(qj[k])*dJ))
		g[k] = gk
		if y[k] > 0 {
			if status[k] != atUpper && -gk >= gmax {
				gmax, up = -gk, k
			}
		} else if status[k] != atLower && gk >= gmax {
			gmax, up = gk, k
		}
	}
	return up, gmax
}

// TestUpdateG compares updateG (the AVX2 kernel where available) with the
// scalar loop bit for bit, on random data with many ties, signed zeros and
// empty I_up, for lengths around the 4-lane blocks.
func TestUpdateG(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 3000; trial++ {
		n := rng.IntN(40)
		g := make([]float64, n)
		qi, qj := make([]float32, n), make([]float32, n)
		y := make([]float64, n)
		st := make([]int8, n)
		for k := range g {
			switch rng.IntN(4) {
			case 0:
				g[k] = float64(rng.IntN(3)) - 1 // ties
			case 1:
				g[k] = math.Copysign(0, float64(rng.IntN(2))-0.5)
			default:
				g[k] = rng.NormFloat64() * 1e3
			}
			qi[k] = float32(rng.NormFloat64() * 1e6)
			qj[k] = float32(rng.NormFloat64())
			if rng.IntN(3) == 0 {
				qi[k], qj[k] = 0, 0
			}
			y[k] = 1
			if rng.IntN(2) == 0 {
				y[k] = -1
			}
			st[k] = int8(rng.IntN(3))
			if trial%7 == 0 {
				st[k] = atUpper // often empty I_up for y > 0
			}
		}
		dI, dJ := rng.NormFloat64()*1e-7, rng.NormFloat64()
		if trial%5 == 0 {
			dI, dJ = 0, 0
		}
		g2 := append([]float64(nil), g...)
		up, gmax := updateG(g, qi, qj, dI, dJ, y, st)
		up2, gmax2 := updateGScalar(g2, qi, qj, dI, dJ, y, st)
		if up != up2 || math.Float64bits(gmax) != math.Float64bits(gmax2) {
			t.Fatalf("trial %d (n=%d): updateG = (%d, %v), scalar (%d, %v)", trial, n, up, gmax, up2, gmax2)
		}
		for k := range g {
			if math.Float64bits(g[k]) != math.Float64bits(g2[k]) {
				t.Fatalf("trial %d: g[%d] = %v, scalar %v", trial, k, g[k], g2[k])
			}
		}
	}
	t.Logf("assembly kernel in use: %v", useUpdateGAsm)
}

// BenchmarkUpdateG times one gradient update of 1,280 positions, the
// size of Problem 1's largest linear pairs.
func BenchmarkUpdateG(b *testing.B) {
	const n = 1280
	rng := rand.New(rand.NewPCG(5, 6))
	g := make([]float64, n)
	qi, qj := make([]float32, n), make([]float32, n)
	y := make([]float64, n)
	st := make([]int8, n)
	for k := range g {
		g[k] = rng.NormFloat64()
		qi[k], qj[k] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		y[k] = float64(2*rng.IntN(2) - 1)
		st[k] = int8(rng.IntN(3))
	}
	b.Run("kernel", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			updateG(g, qi, qj, 1e-12, -1e-12, y, st)
		}
	})
	b.Run("scalar", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			updateGScalar(g, qi, qj, 1e-12, -1e-12, y, st)
		}
	})
}

// TestSelectLow compares selectLow (the AVX2 kernel where available)
// with its scalar loop bit for bit on random data with ties, zeros,
// non-positive curvatures and empty candidate sets.
func TestSelectLow(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	scalar := func(g, y []float64, st []int8, qd []float64, qi []float32, gmax, qdi, twoYi float64) (int, float64, float64) {
		old := useUpdateGAsm
		useUpdateGAsm = false
		defer func() { useUpdateGAsm = old }()
		return selectLow(g, y, st, qd, qi, gmax, qdi, twoYi)
	}
	for trial := 0; trial < 3000; trial++ {
		n := rng.IntN(40)
		g, y, qd := make([]float64, n), make([]float64, n), make([]float64, n)
		qi := make([]float32, n)
		st := make([]int8, n)
		for k := range g {
			g[k] = float64(rng.IntN(5)) - 2
			if rng.IntN(2) == 0 {
				g[k] = rng.NormFloat64()
			}
			y[k] = float64(2*rng.IntN(2) - 1)
			st[k] = int8(rng.IntN(3))
			qd[k] = float64(rng.IntN(3))
			qi[k] = float32(rng.IntN(3)) - 1
			if rng.IntN(2) == 0 {
				qd[k], qi[k] = rng.Float64()*2, float32(rng.NormFloat64())
			}
		}
		gmax := float64(rng.IntN(3)) - 1
		qdi, twoYi := float64(rng.IntN(2)), float64(4*rng.IntN(2)-2)
		j, obj, g2 := selectLow(g, y, st, qd, qi, gmax, qdi, twoYi)
		js, objs, g2s := scalar(g, y, st, qd, qi, gmax, qdi, twoYi)
		if j != js || math.Float64bits(obj) != math.Float64bits(objs) || g2 != g2s {
			t.Fatalf("trial %d (n=%d): selectLow = (%d, %v, %v), scalar (%d, %v, %v)", trial, n, j, obj, g2, js, objs, g2s)
		}
	}
}
