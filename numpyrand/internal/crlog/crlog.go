package crlog

import "math"

// ln2 as a double-double: ln2Hi + ln2Lo, |error| < 2⁻¹⁰⁶·ln2.
const (
	ln2Hi = 0.6931471805599453
	ln2Lo = 2.3190468138462996e-17
)

// dd is an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	e := (a - (s - bb)) + (b - bb)
	return dd{s, e}
}

func fastTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := float64(a * b) // never fused into a later addition
	return dd{p, math.FMA(a, b, -p)}
}

func add(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = fastTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return fastTwoSum(s.hi, s.lo)
}

func mul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	// Explicit float64() conversions keep every product rounded on its
	// own, so results do not depend on GOAMD64 (v3 fuses a*b+c).
	p.lo += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	return fastTwoSum(p.hi, p.lo)
}

func div(a, b dd) dd {
	q1 := a.hi / b.hi
	r := add(a, mul(dd{-q1, 0}, b))
	q2 := r.hi / b.hi
	r = add(r, mul(dd{-q2, 0}, b))
	q3 := r.hi / b.hi
	q := fastTwoSum(q1, q2)
	return add(q, dd{q3, 0})
}

// Series coefficients 1/(2k+1): the first nDD as double-doubles, the
// remaining ones in double (their terms are below 2⁻⁵⁶ of the result).
const (
	nDD    = 11
	nTerms = 22
)

var coef = func() (c [nTerms]dd) {
	for k := range c {
		c[k] = div(dd{1, 0}, dd{float64(2*k + 1), 0})
	}
	return c
}()

// Log returns the natural logarithm of x, correctly rounded to nearest for
// all but astronomically rare arguments. Special cases are those of
// math.Log: Log(+Inf) = +Inf, Log(0) = −Inf, Log(x<0) = NaN, Log(NaN) = NaN.
func Log(x float64) float64 {
	switch {
	case x == 1:
		return 0
	case math.IsNaN(x) || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	m, e := math.Frexp(x) // x = m·2^e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// m in [√½, √2): log m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716.
	s := div(dd{m - 1, 0}, twoSum(m, 1))
	z := mul(s, s)
	// Horner: tail in double, then the leading terms in double-double.
	tail := 0.0
	for k := nTerms - 1; k >= nDD; k-- {
		tail = float64(tail*z.hi) + coef[k].hi
	}
	p := dd{tail, 0}
	for k := nDD - 1; k >= 0; k-- {
		p = add(mul(p, z), coef[k])
	}
	lm := mul(s, p)
	lm = dd{2 * lm.hi, 2 * lm.lo}
	if e == 0 {
		return lm.hi + lm.lo
	}
	fe := float64(e)
	r := twoProd(fe, ln2Hi)
	lo := float64(fe * ln2Lo)
	r = add(r, dd{lo, math.FMA(fe, ln2Lo, -lo)})
	r = add(r, lm)
	return r.hi + r.lo
}
