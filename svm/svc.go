package svm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/svm/parallel"
)

// Params are the C-SVC hyper-parameters, named as in scikit-learn's SVC.
// Every zero value means scikit-learn's default.
type Params struct {
	// C is the box constraint; 0 means 1.
	C float64
	// Kernel; the zero value is RBF.
	Kernel KernelType
	// Gamma; the zero value is 'scale'. Ignored by the linear kernel.
	Gamma Gamma
	// Degree of the poly kernel; 0 means 3.
	Degree int
	// Coef0 is the poly/sigmoid offset; default 0.
	Coef0 float64
	// Tol is the stopping tolerance on m(α) − M(α); 0 means 1e-3.
	Tol float64
	// NoShrinking turns off libsvm's shrinking heuristic (shrinking=False).
	NoShrinking bool
	// MaxIter caps the SMO iterations of each pair; 0 means no cap
	// (scikit-learn's max_iter=-1).
	MaxIter int
	// Solver chooses how each pair's dual problem is solved; the zero
	// value is SolverExact, libsvm's SMO bit for bit. It is not a
	// scikit-learn parameter.
	Solver Solver
}

// Solver selects the algorithm for each one-vs-one binary problem.
type Solver int

const (
	// SolverExact is libsvm's SMO, reproducing scikit-learn's fit bit for
	// bit.
	SolverExact Solver = iota
	// SolverFast is SolverExact except for pairs of the linear kernel that
	// SMO has not solved within a budget of iterations: those are solved
	// by a primal-dual interior-point method in the (w, b) space of the
	// data, whose cost does not grow with the problem's conditioning, and
	// then polished by libsvm's SMO from that start until libsvm's own
	// stopping rule holds. The model is an optimum to within libsvm's
	// tolerance, as libsvm's is, but not libsvm's bits.
	SolverFast
)

var solverNames = [...]string{SolverExact: "exact", SolverFast: "fast"}

// String returns "exact" or "fast".
func (s Solver) String() string {
	if s >= 0 && int(s) < len(solverNames) {
		return solverNames[s]
	}
	return "Solver(" + strconv.Itoa(int(s)) + ")"
}

// ParseSolver maps "exact" and "fast" to a Solver.
func ParseSolver(s string) (Solver, error) {
	for k, name := range solverNames {
		if s == name {
			return Solver(k), nil
		}
	}
	return 0, fmt.Errorf("svm: unknown solver %q (want exact or fast)", s)
}

func (p Params) withDefaults() Params {
	if p.C == 0 {
		p.C = 1
	}
	if p.Degree == 0 {
		p.Degree = 3
	}
	if p.Tol == 0 {
		p.Tol = 1e-3
	}
	return p
}

// paramError reports an invalid hyper-parameter.
type paramError struct {
	Name  string
	Value any
}

func (e *paramError) Error() string {
	return fmt.Sprintf("svm: invalid parameter %s=%v", e.Name, e.Value)
}

func (p Params) validate() error {
	switch {
	case !(p.C > 0) || math.IsInf(p.C, 0):
		return &paramError{"C", p.C}
	case p.Kernel < RBF || p.Kernel > Sigmoid:
		return &paramError{"kernel", p.Kernel}
	case p.Gamma.Mode == GammaValue && (!(p.Gamma.Value >= 0) || math.IsInf(p.Gamma.Value, 0)):
		return &paramError{"gamma", p.Gamma.Value}
	case p.Gamma.Mode < GammaScale || p.Gamma.Mode > GammaValue:
		return &paramError{"gamma", p.Gamma}
	case p.Degree < 0:
		return &paramError{"degree", p.Degree}
	case !(p.Tol > 0):
		return &paramError{"tol", p.Tol}
	case p.MaxIter < 0:
		return &paramError{"max_iter", p.MaxIter}
	case p.Solver < SolverExact || p.Solver > SolverFast:
		return &paramError{"solver", p.Solver}
	}
	return nil
}

// Errors returned by Fit for unusable data.
var (
	ErrOneClass  = errors.New("svm: the number of classes has to be greater than one")
	ErrNoData    = errors.New("svm: no training samples")
	ErrNotFinite = errors.New("svm: input contains NaN or infinity")
)

// Model is a fitted C-SVC holding what scikit-learn's SVC holds after fit
// (docs/formats.md#fitted-svc). k = len(Classes), m = k(k−1)/2 pairs, nSV support
// vectors, d features.
type Model struct {
	// Params are the hyper-parameters with defaults filled in.
	Params Params
	// Classes are the sorted distinct labels (classes_).
	Classes []int64
	// Gamma is the γ used (_gamma); for the linear kernel it is still
	// computed, as scikit-learn does.
	Gamma float64
	// NFeatures is d (n_features_in_).
	NFeatures int
	// NSamples is the number of training samples (shape_fit_[0]).
	NSamples int
	// Support are the training indices of the support vectors, grouped by
	// class and ascending within a class (support_).
	Support []int
	// SupportVectors is nSV×d row-major (support_vectors_).
	SupportVectors []float64
	// NSupport counts support vectors per class (_n_support).
	NSupport []int
	// DualCoef is (k−1)×nSV row-major with libsvm's signs
	// (sklearn's _dual_coef_; for k = 2 the public dual_coef_ is its
	// negation).
	DualCoef []float64
	// Intercept is −rho per pair in pair order, +0 for zero
	// (sklearn's _intercept_; for k = 2 the public intercept_ is its
	// negation).
	Intercept []float64
	// NIter is the SMO iteration count per pair (n_iter_).
	NIter []int
	// Status is MaxIterReached if any pair hit MaxIter (fit_status_ 1).
	Status Status
	// IPMPairs counts the pairs SolverFast solved by the interior-point
	// method (their NIter is SMO's budget plus the Newton steps); 0 for
	// SolverExact. It is not a scikit-learn attribute.
	IPMPairs int
}

// NPairs returns k(k−1)/2.
func (m *Model) NPairs() int { k := len(m.Classes); return k * (k - 1) / 2 }

// PublicDualCoef returns scikit-learn's public dual_coef_ ((k−1)×nSV
// row-major): DualCoef, negated in the binary case.
func (m *Model) PublicDualCoef() []float64 {
	out := slices.Clone(m.DualCoef)
	if len(m.Classes) == 2 {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}

// PublicIntercept returns scikit-learn's public intercept_: Intercept,
// negated in the binary case.
func (m *Model) PublicIntercept() []float64 {
	out := slices.Clone(m.Intercept)
	if len(m.Classes) == 2 {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}

// gramLimit is the largest n·n for which Fit precomputes the Gram matrix
// (1 GiB of float64s, n ≈ 11,585). Past it, kernel columns compute their
// dot products on demand, as libsvm does.
const gramLimit = 1 << 27

// Fit trains a C-SVC on x (n×d, one sample per row) and labels y (length
// n), like scikit-learn's SVC(...).fit(x, y). For n up to about 11,500 it
// first computes all dot products (NewGram, concurrently), which each pair
// would otherwise recompute; beyond that it computes them on demand. The
// one-vs-one pairs are solved concurrently (each pair is independent, so
// the result does not depend on scheduling).
func Fit(x *mat.Dense, y []int64, p Params) (*Model, error) {
	return FitContext(context.Background(), x, y, p)
}

// FitContext is Fit that gives up, returning ctx.Err(), soon after ctx is
// cancelled (the solvers poll it every 1,000 iterations).
func FitContext(ctx context.Context, x *mat.Dense, y []int64, p Params) (*Model, error) {
	n, _ := x.Dims()
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	if n*n <= gramLimit {
		if err := p.withDefaults().validate(); err != nil {
			return nil, err
		}
		return fit(ctx, gramDots{NewGram(x)}, x, rows, y, p)
	}
	raw := x.RawMatrix()
	return fit(ctx, rowDots{raw.Data, raw.Stride, raw.Cols}, x, rows, y, p)
}

// FitGram trains on the rows of x listed in rows (ascending, as
// cross-validation gives them), with labels y[i] for row rows[i], reading
// dot products from g, which must be NewGram(x). The result equals
// Fit(x[rows], y, p) bit for bit; Support indexes into rows. Like Fit it
// solves the pairs concurrently.
func FitGram(g *Gram, x *mat.Dense, rows []int, y []int64, p Params) (*Model, error) {
	return FitGramContext(context.Background(), g, x, rows, y, p)
}

// FitGramContext is FitGram that gives up, returning ctx.Err(), soon after
// ctx is cancelled.
func FitGramContext(ctx context.Context, g *Gram, x *mat.Dense, rows []int, y []int64, p Params) (*Model, error) {
	if n, _ := x.Dims(); g.n != n {
		panic(fmt.Sprintf("svm: Gram of %d rows for a %d-row matrix", g.n, n))
	}
	return fit(ctx, gramDots{g}, x, rows, y, p)
}

func fit(ctx context.Context, src dotSource, x *mat.Dense, rows []int, y []int64, p Params) (*Model, error) {
	p = p.withDefaults()
	if err := p.validate(); err != nil {
		return nil, err
	}
	if len(rows) != len(y) {
		panic(fmt.Sprintf("svm: %d rows but %d labels", len(rows), len(y)))
	}
	if len(rows) == 0 {
		return nil, ErrNoData
	}
	raw := x.RawMatrix()
	d := raw.Cols
	for _, r := range rows {
		for _, v := range raw.Data[r*raw.Stride : r*raw.Stride+d] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, ErrNotFinite
			}
		}
	}

	classes := slices.Compact(slices.Sorted(slices.Values(y)))
	k := len(classes)
	if k < 2 {
		return nil, ErrOneClass
	}
	// members[c] lists the training positions of class c, ascending.
	members := make([][]int, k)
	for i, lab := range y {
		c, _ := slices.BinarySearch(classes, lab)
		members[c] = append(members[c], i)
	}

	kern := &kernel{typ: p.Kernel, gamma: resolveGamma(p.Gamma, x, rows), coef0: p.Coef0, degree: p.Degree}
	sq := make([]float64, len(rows))
	for i, r := range rows {
		sq[i] = src.norm(r)
	}

	type pairResult struct {
		coef []float64 // sub-problem order: class i then class j
		rho  float64
		iter int
		st   Status
		ipm  bool
	}
	type pair struct{ i, j int }
	var pairs []pair
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, pair{i, j})
		}
	}
	results := make([]pairResult, len(pairs))
	solvePair := func(pi int) {
		ci, cj := members[pairs[pi].i], members[pairs[pi].j]
		l := len(ci) + len(cj)
		q := &qMatrix{
			rows: make([]int, l), y: make([]float64, l), sq: make([]float64, l),
			qd: make([]float64, l), k: kern, src: src,
			cols: make([][]float32, l), buf: make([]float64, l),
		}
		for u, pos := range append(slices.Clip(ci), cj...) {
			q.rows[u] = rows[pos]
			q.sq[u] = sq[pos]
			q.y[u] = 1
			if u >= len(ci) {
				q.y[u] = -1
			}
			q.qd[u] = kern.fromDot(q.sq[u], q.sq[u], q.sq[u])
		}
		s := &solver{
			q: q, l: l, perm: make([]int, l), y: make([]float64, l), c: make([]float64, l),
			qd: make([]float64, l), alpha: make([]float64, l), g: make([]float64, l),
			gbar: make([]float64, l), status: make([]int8, l),
			eps: p.Tol, shrinking: !p.NoShrinking, maxIter: p.MaxIter,
			stop: func() bool { return ctx.Err() != nil },
		}
		r := &results[pi]
		r.coef = make([]float64, l)
		// Every sample has weight 1 and every class weight 1: C_t = C.
		cOf := func(int) float64 { return p.C }
		if p.Solver != SolverFast || p.Kernel != Linear {
			r.rho, r.iter, r.st = s.solve(cOf, r.coef, nil)
			return
		}
		// SMO first, within a budget: a pair it solves in time gets
		// exactly libsvm's answer. Past the budget the problem is one of
		// the ill-conditioned ones; the interior-point solution, polished
		// by SMO to libsvm's stopping rule, replaces it.
		budget := fastBudget(l)
		if p.MaxIter > 0 && p.MaxIter <= budget {
			r.rho, r.iter, r.st = s.solve(cOf, r.coef, nil)
			return
		}
		if budget > 0 {
			s.maxIter = budget
			r.rho, r.iter, r.st = s.solve(cOf, r.coef, nil)
			if r.st == Converged || s.stopped {
				return
			}
		}
		xs := make([]float64, 0, l*d)
		for _, row := range q.rows {
			xs = append(xs, raw.Data[row*raw.Stride:row*raw.Stride+d]...)
		}
		alpha := make([]float64, l)
		steps, _ := linearIPM(xs, d, q.y, p.C, alpha)
		rho, gap := linearRho(xs, d, q.y, p.C, alpha)
		if !(gap < p.Tol) {
			// Not certified by libsvm's stopping rule (in exact
			// arithmetic): fall back to SMO to the end.
			q.cols, q.done, q.slab = make([][]float32, l), nil, nil
			s.maxIter = p.MaxIter
			r.rho, r.iter, r.st = s.solve(cOf, r.coef, nil)
			return
		}
		r.rho = rho
		for u, a := range alpha {
			r.coef[u] = a * q.y[u]
		}
		r.iter += steps
		r.st = Converged
		r.ipm = true
	}
	parallel.For(len(pairs), func(pi int) {
		if ctx.Err() == nil {
			solvePair(pi)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// A sample is a support vector if any of its pairs gives it a non-zero
	// coefficient (docs/numerics.md#merging-into-svc-attributes).
	nonzero := make([]bool, len(rows))
	for pi, pr := range pairs {
		ci, cj := members[pr.i], members[pr.j]
		for u, c := range results[pi].coef {
			if math.Abs(c) > 0 {
				if u < len(ci) {
					nonzero[ci[u]] = true
				} else {
					nonzero[cj[u-len(ci)]] = true
				}
			}
		}
	}
	m := &Model{
		Params: p, Classes: classes, Gamma: kern.gamma, NFeatures: d, NSamples: len(rows),
		NSupport: make([]int, k), NIter: make([]int, len(pairs)), Intercept: make([]float64, len(pairs)),
	}
	// svIndex[pos] is the column of training position pos in DualCoef.
	svIndex := make([]int, len(rows))
	for c := 0; c < k; c++ {
		for _, pos := range members[c] {
			if nonzero[pos] {
				svIndex[pos] = len(m.Support)
				m.Support = append(m.Support, pos)
				m.SupportVectors = append(m.SupportVectors, raw.Data[rows[pos]*raw.Stride:rows[pos]*raw.Stride+d]...)
				m.NSupport[c]++
			}
		}
	}
	nSV := len(m.Support)
	m.DualCoef = make([]float64, (k-1)*nSV)
	for pi, pr := range pairs {
		ci, cj := members[pr.i], members[pr.j]
		res := results[pi]
		for u, pos := range ci {
			if nonzero[pos] {
				m.DualCoef[(pr.j-1)*nSV+svIndex[pos]] = res.coef[u]
			}
		}
		for u, pos := range cj {
			if nonzero[pos] {
				m.DualCoef[pr.i*nSV+svIndex[pos]] = res.coef[len(ci)+u]
			}
		}
		m.Intercept[pi] = 0 - res.rho // 0 − 0 is +0, as scikit-learn stores it
		m.NIter[pi] = res.iter
		if res.ipm {
			m.IPMPairs++
		}
		if res.st != Converged {
			m.Status = res.st
		}
	}
	return m, nil
}

// fastBudget is the number of SMO iterations SolverFast allows a linear
// pair before switching to the interior-point method: 100 per variable,
// about what the interior-point method costs on raw 14×14 pixels.
func fastBudget(l int) int { return fastBudgetPerVar * l }

// fastBudgetPerVar is a variable so that tests can send every linear pair
// to the interior-point method (0).
var fastBudgetPerVar = 100

// kernelRow sets kv[s] = K(x, sv_s) with the prediction formula.
func (m *Model) kernelRow(x []float64, kv []float64) {
	kern := kernel{typ: m.Params.Kernel, gamma: m.Gamma, coef0: m.Params.Coef0, degree: m.Params.Degree}
	d := m.NFeatures
	for s := range kv {
		kv[s] = kern.predict(x, m.SupportVectors[s*d:(s+1)*d])
	}
}

// pairDecisions writes libsvm's pair decision values for one sample into
// dec (length NPairs) and returns the predicted class index.
func (m *Model) pairDecisions(kv, dec []float64) int {
	k := len(m.Classes)
	nSV := len(m.Support)
	start := make([]int, k)
	for c := 1; c < k; c++ {
		start[c] = start[c-1] + m.NSupport[c-1]
	}
	var votesBuf [16]int
	var votes []int
	if k <= len(votesBuf) {
		votes = votesBuf[:k]
	} else {
		votes = make([]int, k)
	}
	p := 0
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			sum := 0.0
			coef1 := m.DualCoef[(j-1)*nSV : j*nSV]
			coef2 := m.DualCoef[i*nSV : (i+1)*nSV]
			for s := start[i]; s < start[i]+m.NSupport[i]; s++ {
				sum += float64(coef1[s] * kv[s])
			}
			for s := start[j]; s < start[j]+m.NSupport[j]; s++ {
				sum += float64(coef2[s] * kv[s])
			}
			sum -= -m.Intercept[p]
			dec[p] = sum
			if sum > 0 {
				votes[i]++
			} else {
				votes[j]++
			}
			p++
		}
	}
	best := 0
	for c := 1; c < k; c++ {
		if votes[c] > votes[best] {
			best = c
		}
	}
	return best
}

// eval runs fn for every row of x (n×d) with its pair decision values and
// predicted class index, concurrently over blocks of rows.
func (m *Model) eval(x *mat.Dense, fn func(r int, dec []float64, cls int)) {
	raw := x.RawMatrix()
	if raw.Cols != m.NFeatures {
		panic(fmt.Sprintf("svm: %d features, model has %d", raw.Cols, m.NFeatures))
	}
	const block = 32
	nBlocks := (raw.Rows + block - 1) / block
	parallel.For(nBlocks, func(b int) {
		kv := make([]float64, len(m.Support))
		dec := make([]float64, m.NPairs())
		for r := b * block; r < min(raw.Rows, (b+1)*block); r++ {
			m.kernelRow(raw.Data[r*raw.Stride:r*raw.Stride+raw.Cols], kv)
			cls := m.pairDecisions(kv, dec)
			fn(r, dec, cls)
		}
	})
}

// Predict returns the predicted label of every row of x (n×d): one-vs-one
// voting, dec > 0 votes for the first class of the pair, the lowest class
// index wins ties (docs/numerics.md#svc-prediction).
func (m *Model) Predict(x *mat.Dense) []int64 {
	n, _ := x.Dims()
	out := make([]int64, n)
	m.eval(x, func(r int, _ []float64, cls int) { out[r] = m.Classes[cls] })
	return out
}

// DecisionOVO returns libsvm's pair decision values, n×NPairs(), pairs in
// order (0,1),(0,2)…; positive favours the pair's first class.
func (m *Model) DecisionOVO(x *mat.Dense) *mat.Dense {
	n, _ := x.Dims()
	out := mat.NewDense(n, m.NPairs(), nil)
	m.eval(x, func(r int, dec []float64, _ int) { out.SetRow(r, dec) })
	return out
}

// DecisionFunction is scikit-learn's decision_function with the default
// decision_function_shape='ovr': n×k for k > 2 (votes +
// conf/(3(|conf|+1))), n×1 for k = 2 (−dec, positive means Classes[1]).
func (m *Model) DecisionFunction(x *mat.Dense) *mat.Dense {
	n, _ := x.Dims()
	k := len(m.Classes)
	if k == 2 {
		out := mat.NewDense(n, 1, nil)
		m.eval(x, func(r int, dec []float64, _ int) { out.Set(r, 0, -dec[0]) })
		return out
	}
	out := mat.NewDense(n, k, nil)
	m.eval(x, func(r int, dec []float64, _ int) {
		row := out.RawRowView(r)
		conf := make([]float64, k)
		p := 0
		for i := 0; i < k; i++ {
			for j := i + 1; j < k; j++ {
				conf[i] -= -dec[p]
				conf[j] += -dec[p]
				if dec[p] < 0 {
					row[j]++
				} else {
					row[i]++
				}
				p++
			}
		}
		for c := range row {
			row[c] += conf[c] / (3 * (math.Abs(conf[c]) + 1))
		}
	})
	return out
}

// Score returns the mean accuracy of Predict(x) against y, correct/n.
func (m *Model) Score(x *mat.Dense, y []int64) float64 {
	return Accuracy(y, m.Predict(x))
}

// Accuracy is (#i with yTrue[i] = yPred[i]) / n, one float64 division as in
// scikit-learn's accuracy_score. It panics on different lengths.
func Accuracy(yTrue, yPred []int64) float64 {
	if len(yTrue) != len(yPred) {
		panic("svm: Accuracy of slices of different lengths")
	}
	c := 0
	for i := range yTrue {
		if yTrue[i] == yPred[i] {
			c++
		}
	}
	return float64(c) / float64(len(yTrue))
}

// ConfusionMatrix counts (true, predicted) label pairs: entry [i][j] is the
// number of samples of labels[i] predicted as labels[j], as scikit-learn's
// confusion_matrix(yTrue, yPred, labels=labels). Pairs involving a label
// outside labels are not counted.
func ConfusionMatrix(labels, yTrue, yPred []int64) [][]int {
	if len(yTrue) != len(yPred) {
		panic("svm: ConfusionMatrix of slices of different lengths")
	}
	idx := make(map[int64]int, len(labels))
	for i, l := range labels {
		idx[l] = i
	}
	cm := make([][]int, len(labels))
	for i := range cm {
		cm[i] = make([]int, len(labels))
	}
	for i := range yTrue {
		a, okA := idx[yTrue[i]]
		b, okB := idx[yPred[i]]
		if okA && okB {
			cm[a][b]++
		}
	}
	return cm
}
