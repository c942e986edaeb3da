package svm

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// linearIPM solves one binary C-SVC problem with the linear kernel,
//
//	min ½‖w‖² + C·Σξ_i  s.t.  y_i(w·x_i + b) ≥ 1 − ξ_i,  ξ ≥ 0,
//
// whose Lagrange multipliers α ∈ [0, C] are the dual variables SMO works
// on, by Mehrotra's predictor-corrector primal-dual interior-point method
// (Nocedal & Wright, Numerical Optimization, ch. 16.6 and 14.2). Each
// Newton step eliminates ξ, the slacks and α and solves a (d+1)×(d+1)
// positive definite system in (Δw, Δb) (the normal equations of Ferris &
// Munson, "Interior-point methods for massive support vector machines",
// SIAM J. Optim. 13, 2002): O(n·d²) per step, and a few dozen steps
// whatever the conditioning of the kernel matrix, where SMO's iteration
// count explodes on nearly separable, badly scaled data such as raw
// pixels.
//
// x holds the n rows of the problem (n×d row-major), y their ±1 labels.
// The data are scaled to unit maximum squared norm first (the kernel by
// s, C by 1/s, α by 1/s: the same decision function). alpha receives the
// multipliers in the original scale, rounded to exactly 0 or C where the
// complementarity pairs say the bound is active; the rest sum to
// yᵀα = 0. It returns the number of Newton steps and false when the
// method did not reach its tolerance (the caller then polishes with SMO
// all the same: any α in the box is a valid start).
func linearIPM(x []float64, d int, y []float64, c float64, alpha []float64) (steps int, ok bool) {
	n := len(y)
	maxSq := 0.0
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		sq := 0.0
		for _, v := range row {
			sq += v * v
		}
		maxSq = max(maxSq, sq)
	}
	if maxSq == 0 {
		maxSq = 1
	}
	scale := 1 / math.Sqrt(maxSq)
	cs := c * maxSq // C in the scaled problem

	// xb = [scale·X, 1], n×(d+1); wt is √Θ·xb, rebuilt every step.
	m := d + 1
	xb := make([]float64, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			xb[i*m+j] = scale * x[i*d+j]
		}
		xb[i*m+d] = 1
	}
	xbG := blas64.General{Rows: n, Cols: m, Stride: m, Data: xb}
	wt := blas64.General{Rows: n, Cols: m, Stride: m, Data: make([]float64, n*m)}
	normal := blas64.Symmetric{Uplo: blas.Upper, N: m, Stride: m, Data: make([]float64, m*m)}

	vec := func() []float64 { return make([]float64, n) }
	a, s, xi := vec(), vec(), vec()
	w := make([]float64, m) // (w, b)
	a0 := min(1, cs/2)
	for i := range a {
		a[i], s[i], xi[i] = a0, 1, 1
	}
	rs, f, theta := vec(), vec(), vec()
	rw := make([]float64, m)
	da, ds, dxi := vec(), vec(), vec()
	dw := make([]float64, m)
	ca, cs2, cxi := vec(), vec(), vec() // corrector direction
	cw := make([]float64, m)
	r1, r2, rt, tmp := vec(), vec(), vec(), vec()
	prevA, prevS, prevXi := vec(), vec(), vec()
	prevW := make([]float64, m)

	// gemv computes out = xbᵀ·v (trans) or xb·v.
	gemv := func(trans blas.Transpose, v, out []float64) {
		blas64.Gemv(trans, 1, xbG, blas64.Vector{N: len(v), Inc: 1, Data: v}, 0, blas64.Vector{N: len(out), Inc: 1, Data: out})
	}
	var chol blas64.Triangular

	// direction solves the Newton system for the complementarity
	// right-hand sides r1 (of α·s) and r2 (of (C−α)·ξ).
	direction := func(r1, r2, da, ds, dxi, dw []float64) {
		for i := range rt {
			u := cs - a[i]
			rt[i] = -rs[i] - r2[i]/u + r1[i]/a[i]
			tmp[i] = theta[i] * y[i] * rt[i]
		}
		gemv(blas.Trans, tmp, dw)
		for j := 0; j < d; j++ {
			dw[j] -= rw[j]
		}
		dw[d] += rw[d]
		lapack64.Potrs(chol, blas64.General{Rows: m, Cols: 1, Stride: 1, Data: dw})
		gemv(blas.NoTrans, dw, tmp)
		for i := range da {
			u := cs - a[i]
			da[i] = theta[i] * (rt[i] - y[i]*tmp[i])
			ds[i] = (r1[i] - s[i]*da[i]) / a[i]
			dxi[i] = (r2[i] + xi[i]*da[i]) / u
		}
	}
	// maxStep is the largest t ≤ 1 keeping every variable interior.
	maxStep := func(da, ds, dxi []float64) float64 {
		t := 1.0
		for i := range a {
			if da[i] < 0 {
				t = min(t, -a[i]/da[i])
			} else if da[i] > 0 {
				t = min(t, (cs-a[i])/da[i])
			}
			if ds[i] < 0 {
				t = min(t, -s[i]/ds[i])
			}
			if dxi[i] < 0 {
				t = min(t, -xi[i]/dxi[i])
			}
		}
		return t
	}

	const maxSteps = 200
	for steps = 0; steps < maxSteps; steps++ {
		// Residuals: rw = w − Zᵀα and rb = yᵀα (stored in rw[d]),
		// rs = y∘(Xw + b) + ξ − s − 1.
		for i := range tmp {
			tmp[i] = y[i] * a[i]
		}
		gemv(blas.Trans, tmp, rw)
		for j := 0; j < d; j++ {
			rw[j] = w[j] - rw[j]
		}
		gemv(blas.NoTrans, w, f)
		mu, resS, sumA := 0.0, 0.0, 0.0
		for i := range rs {
			rs[i] = y[i]*f[i] + xi[i] - s[i] - 1
			mu += a[i]*s[i] + (cs-a[i])*xi[i]
			resS = max(resS, math.Abs(rs[i]))
			sumA += a[i]
		}
		mu /= float64(2 * n)
		resW := 0.0
		for j := 0; j < d; j++ {
			resW = max(resW, math.Abs(rw[j]))
		}
		wNorm := 0.0
		for j := 0; j < d; j++ {
			wNorm = max(wNorm, math.Abs(w[j]))
		}
		if mu < 1e-12*(1+sumA/float64(n)) && resS < 1e-9 && resW < 1e-9*(1+wNorm) && math.Abs(rw[d]) < 1e-9*(1+sumA) {
			ok = true
			break
		}
		if !(mu > 0) || math.IsInf(mu, 0) || math.IsNaN(resS) {
			// Complementarity underflowed or the last step went
			// wrong: return to the last finite iterate.
			copy(a, prevA)
			copy(s, prevS)
			copy(xi, prevXi)
			copy(w, prevW)
			break
		}
		copy(prevA, a)
		copy(prevS, s)
		copy(prevXi, xi)
		copy(prevW, w)

		for i := range theta {
			theta[i] = 1 / (xi[i]/(cs-a[i]) + s[i]/a[i])
			r := math.Sqrt(theta[i])
			src := xb[i*m : (i+1)*m]
			dst := wt.Data[i*m : (i+1)*m]
			for j, v := range src {
				dst[j] = r * v
			}
		}
		blas64.Syrk(blas.Trans, 1, wt, 0, normal)
		for j := 0; j < d; j++ {
			normal.Data[j*m+j]++
		}
		var good bool
		if chol, good = lapack64.Potrf(normal); !good {
			// Near the end, Θ spans many orders of magnitude; the
			// active set is known by then and refineActiveSet takes
			// over.
			break
		}

		// Predictor: the affine-scaling direction (target μ = 0).
		for i := range r1 {
			r1[i] = -a[i] * s[i]
			r2[i] = -(cs - a[i]) * xi[i]
		}
		direction(r1, r2, da, ds, dxi, dw)
		t := maxStep(da, ds, dxi)
		muAff := 0.0
		for i := range a {
			muAff += (a[i]+t*da[i])*(s[i]+t*ds[i]) + (cs-a[i]-t*da[i])*(xi[i]+t*dxi[i])
		}
		muAff /= float64(2 * n)
		sigma := math.Pow(muAff/mu, 3)

		// Corrector: centring towards σμ plus the second-order term.
		for i := range r1 {
			r1[i] = sigma*mu - a[i]*s[i] - da[i]*ds[i]
			r2[i] = sigma*mu - (cs-a[i])*xi[i] + da[i]*dxi[i]
		}
		direction(r1, r2, ca, cs2, cxi, cw)
		t = min(1, 0.995*maxStep(ca, cs2, cxi))
		for i := range a {
			a[i] += t * ca[i]
			s[i] += t * cs2[i]
			xi[i] += t * cxi[i]
		}
		for j := range w {
			w[j] += t * cw[j]
		}
	}

	// Round to the bounds that complementarity marks as active: α_i is 0
	// when its slack s_i (in units of the margin) exceeds α_i relative to
	// the largest α, and C when ξ_i exceeds C − α_i relative to C.
	aMax := 0.0
	for _, v := range a {
		aMax = max(aMax, v)
	}
	back := 1 / maxSq
	nFree, sum := 0, 0.0
	for i := range a {
		switch {
		case a[i]/aMax < s[i]:
			alpha[i] = 0
		case (cs-a[i])/cs < xi[i]:
			alpha[i] = c
		default:
			alpha[i] = a[i] * back
			alpha[i] = min(max(alpha[i], 0), c)
			nFree++
		}
		sum += y[i] * alpha[i]
	}
	// Restore yᵀα = 0, which SMO keeps but does not check, by spreading
	// the rounding error over the free multipliers.
	if nFree > 0 && sum != 0 {
		shift := sum / float64(nFree)
		for i := range alpha {
			if alpha[i] > 0 && alpha[i] < c {
				alpha[i] = min(max(alpha[i]-y[i]*shift, 0), c)
			}
		}
	}
	refineActiveSet(x, d, y, c, alpha)
	return steps, ok
}

// refineActiveSet replaces the multipliers by the exact solution of the
// optimality conditions on an active set, starting from the one the
// interior-point method found: with U = {α = C} and F = {0 < α < C}
// fixed, the free points lie on the margin, y_i(w·x_i + b) = 1 for
// i ∈ F, and yᵀα = 0, a square linear system in (α_F, b). An
// interior-point iterate stops short of the boundary (its accuracy is
// limited by the ill-conditioned Newton systems near the end); this step
// lands on it. Where the guess was wrong, a few rounds of a primal
// active-set method fix it: a free α leaving (0, C) goes to its bound,
// else the bound point that most violates its margin condition becomes
// free. It gives up (keeping alpha as it is) after 50 rounds or when a
// system is singular.
func refineActiveSet(x []float64, d int, y []float64, c float64, alpha []float64) bool {
	n := len(y)
	row := func(i int) []float64 { return x[i*d : (i+1)*d] }
	state := make([]int8, n)
	for i, a := range alpha {
		switch {
		case a >= c:
			state[i] = atUpper
		case a > 0:
			state[i] = free
		default:
			state[i] = atLower
		}
	}
	sol := make([]float64, n)
	w := make([]float64, d)
	const rounds = 50
	for round := 0; round < rounds; round++ {
		var fr, upper []int
		for i, st := range state {
			switch st {
			case free:
				fr = append(fr, i)
			case atUpper:
				upper = append(upper, i)
			}
		}
		nf := len(fr)
		if nf == 0 {
			return false
		}
		a := mat.NewDense(nf+1, nf+1, nil)
		rhs := mat.NewVecDense(nf+1, nil)
		for p, i := range fr {
			for q, j := range fr[:p+1] {
				v := y[i] * y[j] * ddot(row(i), row(j))
				a.Set(p, q, v)
				a.Set(q, p, v)
			}
			a.Set(p, nf, y[i])
			a.Set(nf, p, y[i])
			r := 1.0
			for _, u := range upper {
				r -= c * y[i] * y[u] * ddot(row(i), row(u))
			}
			rhs.SetVec(p, r)
		}
		r := 0.0
		for _, u := range upper {
			r -= c * y[u]
		}
		rhs.SetVec(nf, r)
		var v mat.VecDense
		if err := v.SolveVec(a, rhs); err != nil {
			return false
		}
		// A free α outside (0, C): the one furthest out goes to its
		// bound.
		worst, out := -1, 0.0
		for p, i := range fr {
			av := v.AtVec(p)
			if av <= 0 && -av >= out {
				worst, out = i, -av
			} else if av >= c && av-c >= out {
				worst, out = i, av-c
			}
		}
		if worst >= 0 {
			if v.AtVec(slices.Index(fr, worst)) <= 0 {
				state[worst] = atLower
			} else {
				state[worst] = atUpper
			}
			continue
		}
		for i := range sol {
			switch state[i] {
			case atUpper:
				sol[i] = c
			case atLower:
				sol[i] = 0
			}
		}
		for p, i := range fr {
			sol[i] = v.AtVec(p)
		}
		// Margins y_i(w·x_i + b), b = v[nf]: a point at 0 needs ≥ 1, a
		// point at C needs ≤ 1. The worst violator beyond the round-off
		// of the free points' own margins becomes free.
		clear(w)
		for j, aj := range sol {
			if aj != 0 {
				ay := aj * y[j]
				for k, xv := range row(j) {
					w[k] += ay * xv
				}
			}
		}
		b := v.AtVec(nf)
		slack := 0.0
		for _, i := range fr {
			slack = max(slack, math.Abs(y[i]*(ddot(w, row(i))+b)-1))
		}
		tol := max(1e-9, 10*slack)
		worst, out = -1, tol
		for i, st := range state {
			m := y[i] * (ddot(w, row(i)) + b)
			if st == atLower && 1-m > out {
				worst, out = i, 1-m
			} else if st == atUpper && m-1 > out {
				worst, out = i, m-1
			}
		}
		if worst < 0 {
			copy(alpha, sol)
			return true
		}
		state[worst] = free
	}
	return false
}

// linearRho is libsvm's rho (−b) for the multipliers alpha of a linear
// problem: the mean of y_i·G_i over the free multipliers, where
// G = Qα − e is computed in double precision through w = Σ α_j y_j x_j,
// or the midpoint of the bounds the others give when none is free
// (Solver::calculate_rho). gap is libsvm's stopping measure m(α) − M(α)
// on the same G: alpha is as optimal as libsvm's answer when gap < tol.
func linearRho(x []float64, d int, y []float64, c float64, alpha []float64) (rho, gap float64) {
	w := make([]float64, d)
	for j, a := range alpha {
		if a == 0 {
			continue
		}
		ay := a * y[j]
		for k, v := range x[j*d : (j+1)*d] {
			w[k] += ay * v
		}
	}
	ub, lb := math.Inf(1), math.Inf(-1)
	nFree, sumFree := 0, 0.0
	up, low := math.Inf(-1), math.Inf(-1) // m(α) and −M(α)
	for i, a := range alpha {
		g := y[i]*ddot(w, x[i*d:(i+1)*d]) - 1
		yg := y[i] * g
		if (y[i] > 0 && a < c) || (y[i] < 0 && a > 0) {
			up = max(up, -yg)
		}
		if (y[i] > 0 && a > 0) || (y[i] < 0 && a < c) {
			low = max(low, yg)
		}
		switch {
		case a >= c:
			if y[i] < 0 {
				ub = cmin(ub, yg)
			} else {
				lb = cmax(lb, yg)
			}
		case a <= 0:
			if y[i] > 0 {
				ub = cmin(ub, yg)
			} else {
				lb = cmax(lb, yg)
			}
		default:
			nFree++
			sumFree += yg
		}
	}
	gap = up + low
	if nFree > 0 {
		return sumFree / float64(nFree), gap
	}
	return (ub + lb) / 2, gap
}
