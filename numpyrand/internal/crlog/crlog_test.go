package crlog

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigLog returns log(x) rounded to nearest double, computed with 300-bit
// big.Float arithmetic (atanh series), as an independent oracle.
func bigLog(x float64) float64 {
	const prec = 300
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	bm := new(big.Float).SetPrec(prec).SetFloat64(m)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	num := new(big.Float).SetPrec(prec).Sub(bm, one)
	den := new(big.Float).SetPrec(prec).Add(bm, one)
	s := new(big.Float).SetPrec(prec).Quo(num, den)
	z := new(big.Float).SetPrec(prec).Mul(s, s)
	sum := new(big.Float).SetPrec(prec)
	pw := new(big.Float).SetPrec(prec).Set(s)
	for k := 0; k < 200; k++ {
		term := new(big.Float).SetPrec(prec).Quo(pw, new(big.Float).SetPrec(prec).SetInt64(int64(2*k+1)))
		sum.Add(sum, term)
		pw.Mul(pw, z)
	}
	sum.Mul(sum, new(big.Float).SetPrec(prec).SetInt64(2))
	// ln 2 from the same series at m = 2: 2·atanh(1/3).
	t := new(big.Float).SetPrec(prec).Quo(one, new(big.Float).SetPrec(prec).SetInt64(3))
	z3 := new(big.Float).SetPrec(prec).Mul(t, t)
	ln2 := new(big.Float).SetPrec(prec)
	pw.Set(t)
	for k := 0; k < 300; k++ {
		ln2.Add(ln2, new(big.Float).SetPrec(prec).Quo(pw, new(big.Float).SetPrec(prec).SetInt64(int64(2*k+1))))
		pw.Mul(pw, z3)
	}
	ln2.Mul(ln2, new(big.Float).SetPrec(prec).SetInt64(2))
	ln2.Mul(ln2, new(big.Float).SetPrec(prec).SetInt64(int64(e)))
	sum.Add(sum, ln2)
	f, _ := sum.Float64()
	return f
}

func TestLogAgainstBigFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	args := []float64{0.5, 2, 3, 10, 1e-300, 5e-324, math.MaxFloat64, math.Nextafter(1, 0), math.Nextafter(1, 2), 0.7071067811865476, 1.4142135623730951}
	for i := 0; i < 3000; i++ {
		args = append(args, r.Float64(), math.Ldexp(1+r.Float64(), r.IntN(2000)-1000))
	}
	for _, x := range args {
		if got, want := Log(x), bigLog(x); got != want {
			t.Errorf("Log(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestLogSpecial(t *testing.T) {
	if Log(1) != 0 || !math.IsInf(Log(0), -1) || !math.IsNaN(Log(-1)) || !math.IsInf(Log(math.Inf(1)), 1) || !math.IsNaN(Log(math.NaN())) {
		t.Fatal("special cases differ from math.Log")
	}
}

func BenchmarkLog(b *testing.B) {
	x := 0.123
	for i := 0; i < b.N; i++ {
		Log(x)
	}
}
