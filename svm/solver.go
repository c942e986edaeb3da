package svm

import (
	"math"

	"hw1pipe/internal/hugepages"
)

// Status tells how an SMO solve ended. The zero value is Converged.
type Status int

const (
	// Converged means the stopping rule m(α) − M(α) < tol was met.
	Converged Status = iota
	// MaxIterReached means Params.MaxIter stopped the solver first
	// (scikit-learn's fit_status_ = 1 and its ConvergenceWarning).
	MaxIterReached
)

// String returns "converged" or "max_iter reached".
func (s Status) String() string {
	switch s {
	case Converged:
		return "converged"
	case MaxIterReached:
		return "max_iter reached"
	}
	return "Status(?)"
}

// Early reports whether the solver stopped before meeting its tolerance.
func (s Status) Early() bool { return s != Converged }

// tau replaces a non-positive curvature in the two-variable update
// (libsvm's TAU).
const tau = 1e-12

const (
	atLower int8 = iota
	atUpper
	free
)

// dotSource gives libsvm's dot products between rows of the training data.
type dotSource interface {
	// dotRow sets out[v] = ddot(x_a, x_rows[v]) for every v.
	dotRow(a int, rows []int, out []float64)
	// norm returns ddot(x_a, x_a).
	norm(a int) float64
}

// gramDots reads dot products from a precomputed Gram matrix.
type gramDots struct{ g *Gram }

func (s gramDots) dotRow(a int, rows []int, out []float64) {
	row := s.g.dot[a*s.g.n : (a+1)*s.g.n]
	for v, r := range rows {
		out[v] = row[r]
	}
}

func (s gramDots) norm(a int) float64 { return s.g.dot[a*s.g.n+a] }

// rowDots computes dot products on demand from a row-major matrix, which
// costs what libsvm's own column computations cost.
type rowDots struct {
	data   []float64
	stride int
	d      int
}

func (s rowDots) row(a int) []float64 { return s.data[a*s.stride : a*s.stride+s.d] }

func (s rowDots) dotRow(a int, rows []int, out []float64) {
	xa := s.row(a)
	for v, r := range rows {
		out[v] = ddot(xa, s.row(r))
	}
}

func (s rowDots) norm(a int) float64 { xa := s.row(a); return ddot(xa, xa) }

// qMatrix is the float32 matrix Q_uv = y_u·y_v·K(x_u, x_v) of one
// sub-problem. Columns are computed on first use and then kept: libsvm's LRU
// cache changes only speed, never values (docs/numerics.md#kernel-and-cache), so keeping
// everything is the unbounded cache. A column belongs to a variable u but
// its entries are stored in the solver's current position order, like
// libsvm's cached columns, so that the hot loops read memory sequentially;
// swapPositions keeps every stored column in step with the solver.
type qMatrix struct {
	rows []int     // variable → row of the training data
	y    []float64 // label ±1 per variable
	sq   []float64 // ddot(x,x) per variable
	qd   []float64 // K(x_u, x_u) in double, per variable
	k    *kernel
	src  dotSource
	cols [][]float32 // per variable, nil until computed
	done []int       // variables whose column is computed
	buf  []float64
	slab []float32 // unused storage for future columns
}

// Columns are allocated a slab at a time, so that the solver allocates
// rarely without reserving l² floats up front: slabBytes, or colsPerSlab
// columns if that is more. A slab of several huge pages has its first
// touch cost a fault per 2 MB instead of per 4 KB (internal/hugepages):
// column storage was most of a fit's page faults.
const (
	colsPerSlab = 64
	slabBytes   = 8 << 20
)

// col returns variable u's column, entry k for the variable at position
// perm[k].
func (q *qMatrix) col(u int, perm []int) []float32 {
	if c := q.cols[u]; c != nil {
		return c
	}
	l := len(q.rows)
	if len(q.slab) < l {
		q.slab = hugepages.Make[float32](l * min(max(colsPerSlab, slabBytes/4/l), l))
	}
	c := q.slab[:l:l]
	q.slab = q.slab[l:]
	buf := q.buf[:l]
	q.src.dotRow(q.rows[u], q.rows, buf)
	yu, su := q.y[u], q.sq[u]
	for k, v := range perm[:l] {
		c[k] = float32(yu * q.y[v] * q.k.fromDot(buf[v], su, q.sq[v]))
	}
	q.cols[u] = c
	q.done = append(q.done, u)
	return c
}

func (q *qMatrix) swapPositions(a, b int) {
	for _, u := range q.done {
		c := q.cols[u]
		c[a], c[b] = c[b], c[a]
	}
}

// solver is libsvm's SMO for C-SVC with second-order working-set selection
// and shrinking (Fan, Chen & Lin, JMLR 6, 2005; docs/numerics.md#smo-solver).
//
// Every per-variable array is in position order, the order libsvm scans
// and shrinks in: positions [0, active) are the active set, perm[k] is the
// variable at position k, and swapPositions moves everything together.
type solver struct {
	q         *qMatrix
	l, active int
	perm      []int // position → variable (libsvm's active_set)
	y         []float64
	c         []float64
	qd        []float64
	alpha     []float64
	g         []float64 // gradient Qα − e
	gbar      []float64 // Σ over upper-bound t of C_t·Q_:t
	status    []int8
	eps       float64
	shrinking bool
	maxIter   int
	unshrink  bool
	// stop, if set, is polled every min(l,1000) iterations; true abandons
	// the solve (the caller reports why).
	stop    func() bool
	stopped bool

	// step leaves the first half of the next working-set selection (the
	// I_up maximum over the active set, in position order) here, fused
	// into its gradient loop; shrinking and gradient rebuilds invalidate
	// it.
	haveUp bool
	upIdx  int
	upMax  float64
}

func (s *solver) col(k int) []float32 { return s.q.col(s.perm[k], s.perm)[:s.l] }

func (s *solver) updateStatus(k int) {
	switch {
	case s.alpha[k] >= s.c[k]:
		s.status[k] = atUpper
	case s.alpha[k] <= 0:
		s.status[k] = atLower
	default:
		s.status[k] = free
	}
}

func (s *solver) swapPositions(a, b int) {
	s.q.swapPositions(a, b)
	s.perm[a], s.perm[b] = s.perm[b], s.perm[a]
	s.y[a], s.y[b] = s.y[b], s.y[a]
	s.c[a], s.c[b] = s.c[b], s.c[a]
	s.qd[a], s.qd[b] = s.qd[b], s.qd[a]
	s.alpha[a], s.alpha[b] = s.alpha[b], s.alpha[a]
	s.g[a], s.g[b] = s.g[b], s.g[a]
	s.gbar[a], s.gbar[b] = s.gbar[b], s.gbar[a]
	s.status[a], s.status[b] = s.status[b], s.status[a]
}

// solve runs SMO with box bounds cOf(variable) from α = alpha0 (in
// variable order; nil means 0) and returns rho, the iteration count and
// the status. Coefficients y_t·α_t are left in coef in variable order.
func (s *solver) solve(cOf func(u int) float64, coef, alpha0 []float64) (rho float64, iter int, st Status) {
	l := s.l
	for k := 0; k < l; k++ {
		s.perm[k] = k
		s.y[k] = s.q.y[k]
		s.c[k] = cOf(k)
		s.qd[k] = s.q.qd[k]
		s.alpha[k] = 0
		if alpha0 != nil {
			s.alpha[k] = alpha0[k]
		}
		s.g[k] = -1
		s.gbar[k] = 0
		s.updateStatus(k)
	}
	if alpha0 != nil {
		// G = Qα − e and Ḡ from the columns of the non-zero α, in
		// libsvm's order (Solver::Solve's initialisation).
		for k := 0; k < l; k++ {
			if s.status[k] == atLower {
				continue
			}
			qk := s.col(k)
			ak := s.alpha[k]
			for t := range l {
				s.g[t] += ak * float64(qk[t])
			}
			if s.status[k] == atUpper {
				for t := range l {
					s.gbar[t] += s.c[k] * float64(qk[t])
				}
			}
		}
	}
	s.active = l
	s.unshrink = false
	s.haveUp = false
	counter := min(l, 1000) + 1
	for {
		if s.maxIter > 0 && iter >= s.maxIter {
			st = MaxIterReached
			break
		}
		counter--
		if counter == 0 {
			counter = min(l, 1000)
			if s.stop != nil && s.stop() {
				s.stopped = true
				break
			}
			if s.shrinking {
				s.shrink()
			}
		}
		i, j, ok := s.selectWorkingSet()
		if !ok {
			s.reconstructGradient()
			s.active = l
			if i, j, ok = s.selectWorkingSet(); !ok {
				break
			}
			counter = 1
		}
		iter++
		s.step(i, j)
	}
	rho = s.rho()
	for k := 0; k < l; k++ {
		coef[s.perm[k]] = s.alpha[k] * s.y[k]
	}
	return rho, iter, st
}

// step updates α_i and α_j analytically, clips them to the box, and
// updates G and Ḡ.
func (s *solver) step(i, j int) {
	qi, qj := s.col(i), s.col(j)
	qd := s.qd
	alpha := s.alpha
	ci, cj := s.c[i], s.c[j]
	oldI, oldJ := alpha[i], alpha[j]
	if s.y[i] != s.y[j] {
		quad := qd[i] + qd[j] + 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
		}
		delta := (-s.g[i] - s.g[j]) / quad
		diff := alpha[i] - alpha[j]
		alpha[i] += delta
		alpha[j] += delta
		if diff > 0 {
			if alpha[j] < 0 {
				alpha[j] = 0
				alpha[i] = diff
			}
		} else if alpha[i] < 0 {
			alpha[i] = 0
			alpha[j] = -diff
		}
		if diff > ci-cj {
			if alpha[i] > ci {
				alpha[i] = ci
				alpha[j] = ci - diff
			}
		} else if alpha[j] > cj {
			alpha[j] = cj
			alpha[i] = cj + diff
		}
	} else {
		quad := qd[i] + qd[j] - 2*float64(qi[j])
		if quad <= 0 {
			quad = tau
		}
		delta := (s.g[i] - s.g[j]) / quad
		sum := alpha[i] + alpha[j]
		alpha[i] -= delta
		alpha[j] += delta
		if sum > ci {
			if alpha[i] > ci {
				alpha[i] = ci
				alpha[j] = sum - ci
			}
		} else if alpha[j] < 0 {
			alpha[j] = 0
			alpha[i] = sum
		}
		if sum > cj {
			if alpha[j] > cj {
				alpha[j] = cj
				alpha[i] = sum - cj
			}
		} else if alpha[i] < 0 {
			alpha[i] = 0
			alpha[j] = sum
		}
	}

	dI, dJ := alpha[i]-oldI, alpha[j]-oldJ
	ui, uj := s.status[i] == atUpper, s.status[j] == atUpper
	s.updateStatus(i)
	s.updateStatus(j)

	// G_k += Q_ik·Δα_i + Q_jk·Δα_j over the active set, with the next
	// selection's I_up scan fused in (same positions, same order).
	n := s.active
	up, gmax := updateG(s.g[:n], qi[:n], qj[:n], dI, dJ, s.y[:n], s.status[:n])
	s.haveUp, s.upIdx, s.upMax = true, up, gmax

	if ui != (s.status[i] == atUpper) {
		s.addToGbar(qi, ci, ui)
	}
	if uj != (s.status[j] == atUpper) {
		s.addToGbar(qj, cj, uj)
	}
}

func (s *solver) addToGbar(q []float32, c float64, leaving bool) {
	gbar := s.gbar[:len(q)]
	if leaving {
		for k, v := range q {
			gbar[k] -= float64(c * float64(v))
		}
		return
	}
	for k, v := range q {
		gbar[k] += float64(c * float64(v))
	}
}

// selectWorkingSet is WSS 2 of Fan, Chen & Lin: i maximises −y_t·G_t over
// I_up, j minimises the second-order decrease over I_low; ties go to the
// later position. ok is false when the pair is already optimal within eps.
func (s *solver) selectWorkingSet() (i, j int, ok bool) {
	n := s.active
	g, y, status, qd := s.g[:n], s.y[:n], s.status[:n], s.qd[:n]
	gmax := math.Inf(-1)
	i, j = -1, -1
	if s.haveUp {
		i, gmax = s.upIdx, s.upMax
		s.haveUp = false
	} else {
		for k := range g {
			if y[k] > 0 {
				if status[k] != atUpper && -g[k] >= gmax {
					gmax, i = -g[k], k
				}
			} else if status[k] != atLower && g[k] >= gmax {
				gmax, i = g[k], k
			}
		}
	}
	if i == -1 {
		// I_up is empty: Gmax = −∞ already meets the stopping rule.
		return i, j, false
	}
	qi := s.col(i)[:n]
	qdi, twoYi := qd[i], 2.0*y[i] // libsvm's 2.0*y[i]*Q_i[j] is (2.0*y[i])*Q_i[j]
	j, _, gmax2 := selectLow(g, y, status, qd, qi, gmax, qdi, twoYi)
	if gmax+gmax2 < s.eps || j == -1 {
		return i, j, false
	}
	return i, j, true
}

func (s *solver) beShrunk(k int, gmax1, gmax2 float64) bool {
	switch s.status[k] {
	case atUpper:
		if s.y[k] > 0 {
			return -s.g[k] > gmax1
		}
		return -s.g[k] > gmax2
	case atLower:
		if s.y[k] > 0 {
			return s.g[k] > gmax2
		}
		return s.g[k] > gmax1
	}
	return false
}

func (s *solver) shrink() {
	s.haveUp = false
	gmax1, gmax2 := math.Inf(-1), math.Inf(-1)
	for k := 0; k < s.active; k++ {
		if s.y[k] > 0 {
			if s.status[k] != atUpper && -s.g[k] >= gmax1 {
				gmax1 = -s.g[k]
			}
			if s.status[k] != atLower && s.g[k] >= gmax2 {
				gmax2 = s.g[k]
			}
		} else {
			if s.status[k] != atUpper && -s.g[k] >= gmax2 {
				gmax2 = -s.g[k]
			}
			if s.status[k] != atLower && s.g[k] >= gmax1 {
				gmax1 = s.g[k]
			}
		}
	}
	if !s.unshrink && gmax1+gmax2 <= s.eps*10 {
		s.unshrink = true
		s.reconstructGradient()
		s.active = s.l
	}
	for k := 0; k < s.active; k++ {
		if !s.beShrunk(k, gmax1, gmax2) {
			continue
		}
		s.active--
		for s.active > k {
			if !s.beShrunk(s.active, gmax1, gmax2) {
				s.swapPositions(k, s.active)
				break
			}
			s.active--
		}
	}
}

// reconstructGradient recomputes G for the inactive variables from Ḡ and
// the free active ones, choosing libsvm's cheaper loop order.
func (s *solver) reconstructGradient() {
	s.haveUp = false
	l, active := s.l, s.active
	if active == l {
		return
	}
	g, alpha := s.g, s.alpha
	for k := active; k < l; k++ {
		g[k] = s.gbar[k] + -1
	}
	nFree := 0
	for k := 0; k < active; k++ {
		if s.status[k] == free {
			nFree++
		}
	}
	if nFree*l > 2*active*(l-active) {
		for t := active; t < l; t++ {
			qt := s.col(t)
			for k := 0; k < active; k++ {
				if s.status[k] == free {
					g[t] += float64(alpha[k] * float64(qt[k]))
				}
			}
		}
		return
	}
	for k := 0; k < active; k++ {
		if s.status[k] != free {
			continue
		}
		qk := s.col(k)
		a := alpha[k]
		for t := active; t < l; t++ {
			g[t] += float64(a * float64(qk[t]))
		}
	}
}

// rho is −b, the offset of the decision function, from the KKT conditions
// of the active variables.
func (s *solver) rho() float64 {
	ub, lb := math.Inf(1), math.Inf(-1)
	nFree, sumFree := 0, 0.0
	for k := 0; k < s.active; k++ {
		yg := s.y[k] * s.g[k]
		switch s.status[k] {
		case atUpper:
			if s.y[k] < 0 {
				ub = cmin(ub, yg)
			} else {
				lb = cmax(lb, yg)
			}
		case atLower:
			if s.y[k] > 0 {
				ub = cmin(ub, yg)
			} else {
				lb = cmax(lb, yg)
			}
		default:
			nFree++
			sumFree += yg
		}
	}
	if nFree > 0 {
		return sumFree / float64(nFree)
	}
	return (ub + lb) / 2
}

// cmin and cmax are libsvm's min/max templates ((x<y)?x:y), which differ
// from math.Min/Max on signed zeros and NaN.
func cmin(x, y float64) float64 {
	if x < y {
		return x
	}
	return y
}

func cmax(x, y float64) float64 {
	if x > y {
		return x
	}
	return y
}
