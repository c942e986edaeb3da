package gridsearch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/modelsel"
	"hw1pipe/svm"
	"hw1pipe/svm/parallel"
)

// Options configure Search. The zero value is GridSearchCV's default.
type Options struct {
	// Folds is the number of stratified folds; 0 means 5.
	Folds int
	// Base holds the parameters not in the grid; the zero value is SVC().
	// Base.Solver chooses the solver of the cross-validation fits
	// (svm.SolverFast trades libsvm's bits on hard linear pairs for
	// speed); the refit of the best candidate always uses
	// svm.SolverExact.
	Base svm.Params
	// Progress, if set, is called after each cross-validation fit and
	// after the refit with the number of fits done and the total. Calls
	// are serialised.
	Progress func(done, total int)
}

// Result is everything GridSearchCV(SVC(), grid).fit(x, y) exposes
// (docs/formats.md#fitted-gridsearchcv). Slices indexed by candidate follow Candidates; [c][f]
// is candidate c, fold f.
type Result struct {
	Grid       Grid
	Names      []string     // searched parameter names, sorted
	Candidates []svm.Params // ParameterGrid order, defaults filled in as in Options.Base
	Folds      []modelsel.Fold
	NSplits    int

	SplitTestScores [][]float64 // accuracy of each fit on its test fold; NaN if the fit failed
	MeanTestScore   []float64   // ((((0+s0)+s1)+…)+s_{k−1})/k
	StdTestScore    []float64   // sqrt of the mean squared deviation
	RankTestScore   []int       // rankdata(−mean, 'min'); failed (NaN) means rank last

	// SameFitsAs[c] is the candidate whose fits c reuses (c itself when
	// it was fitted): candidates differing only in parameters their kernel
	// ignores have identical fits, scores and times.
	SameFitsAs []int

	FitTime       [][]float64 // seconds, per candidate and fold
	ScoreTime     [][]float64
	MeanFitTime   []float64
	StdFitTime    []float64
	MeanScoreTime []float64
	StdScoreTime  []float64

	// FitErrors holds the error of each failed fit (nil otherwise);
	// scikit-learn turns these into error_score=nan with a FitFailedWarning.
	FitErrors [][]error
	// FitStatus is each CV fit's solver status; svm.MaxIterReached is a
	// ConvergenceWarning in scikit-learn.
	FitStatus [][]svm.Status

	// IPMPairs counts the one-vs-one problems of the cross-validation
	// fits that svm.SolverFast solved by its interior-point method.
	IPMPairs int

	BestIndex  int     // first candidate of rank 1
	BestScore  float64 // MeanTestScore[BestIndex]
	BestParams svm.Params
	BestModel  *svm.Model // refit on all of x, y
	RefitTime  float64    // seconds
}

// ErrAllFitsFailed is returned when no cross-validation fit succeeded
// (scikit-learn raises "All the … fits failed").
var ErrAllFitsFailed = errors.New("gridsearch: all the cross-validation fits failed")

// Search runs GridSearchCV(SVC(**base), grid, cv=k).fit(x, y): stratified
// k-fold cross-validation of every candidate, scored by accuracy, then a
// refit of the best candidate on all of x (n×d) and y (length n).
//
// The dot products of all rows are computed once (svm.NewGram, n² float64s)
// and shared by every fold and candidate. The candidate×fold fits run
// concurrently; each writes only its own slot, so results do not depend on
// scheduling. Cancelling ctx stops running fits within 1,000 SMO
// iterations, skips the others, and returns ctx.Err().
func Search(ctx context.Context, x *mat.Dense, y []int64, grid Grid, opt Options) (*Result, error) {
	k := opt.Folds
	if k == 0 {
		k = 5
	}
	n, d := x.Dims()
	if len(y) != n {
		panic(fmt.Sprintf("gridsearch: %d rows but %d labels", n, len(y)))
	}
	folds, err := modelsel.StratifiedKFold(y, k)
	if err != nil {
		return nil, err
	}
	cands := grid.Candidates(opt.Base)
	if len(cands) == 0 {
		return nil, errors.New("gridsearch: the parameter grid is empty")
	}
	r := &Result{
		Grid: grid, Names: grid.Names(), Candidates: cands, Folds: folds, NSplits: k,
		SplitTestScores: grid2(len(cands), k), FitTime: grid2(len(cands), k), ScoreTime: grid2(len(cands), k),
		FitErrors: make([][]error, len(cands)), FitStatus: make([][]svm.Status, len(cands)),
	}
	for c := range r.FitErrors {
		r.FitErrors[c] = make([]error, k)
		r.FitStatus[c] = make([]svm.Status, k)
	}

	gram := svm.NewGram(x)
	// Test rows of each fold, copied once and shared read-only.
	testX := make([]*mat.Dense, k)
	trainY := make([][]int64, k)
	testY := make([][]int64, k)
	for f, fold := range folds {
		testX[f] = mat.NewDense(len(fold.Test), d, nil)
		testY[f] = make([]int64, len(fold.Test))
		for i, row := range fold.Test {
			testX[f].SetRow(i, x.RawRowView(row))
			testY[f][i] = y[row]
		}
		trainY[f] = make([]int64, len(fold.Train))
		for i, row := range fold.Train {
			trainY[f][i] = y[row]
		}
	}

	total := len(cands)*k + 1
	var mu sync.Mutex
	done := 0
	report := func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	// Candidates that differ only in parameters their kernel ignores (gamma
	// for linear, for instance) give identical fits; each distinct one is
	// fitted once and its scores copied, which matters because Problem 1's
	// grid pairs every linear C with two gammas.
	first := make([]int, len(cands)) // candidate whose fits c reuses
	seen := map[svm.Params]int{}
	var unique []int
	for c, p := range cands {
		key := effective(p)
		if c0, ok := seen[key]; ok {
			first[c] = c0
			continue
		}
		seen[key] = c
		first[c] = c
		unique = append(unique, c)
	}
	// Start the likely-slow fits first so that one of them does not run
	// alone at the end: on unscaled data libsvm's iteration count grows
	// with C, most steeply for the linear kernel. The order changes only
	// the schedule, never a result.
	sort.SliceStable(unique, func(a, b int) bool {
		pa, pb := cands[unique[a]], cands[unique[b]]
		if pa.C != pb.C {
			return pa.C > pb.C
		}
		return pa.Kernel == svm.Linear && pb.Kernel != svm.Linear
	})
	parallel.For(len(unique)*k, func(t int) {
		c, f := unique[t/k], t%k
		if ctx.Err() != nil {
			return
		}
		start := time.Now()
		m, err := svm.FitGramContext(ctx, gram, x, folds[f].Train, trainY[f], cands[c])
		r.FitTime[c][f] = time.Since(start).Seconds()
		if err != nil {
			r.FitErrors[c][f] = err
			r.SplitTestScores[c][f] = math.NaN()
			report()
			return
		}
		start = time.Now()
		r.SplitTestScores[c][f] = m.Score(testX[f], testY[f])
		r.ScoreTime[c][f] = time.Since(start).Seconds()
		r.FitStatus[c][f] = m.Status
		mu.Lock()
		r.IPMPairs += m.IPMPairs
		mu.Unlock()
		report()
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.SameFitsAs = first
	for c, c0 := range first {
		if c0 == c {
			continue
		}
		for f := 0; f < k; f++ {
			r.SplitTestScores[c][f] = r.SplitTestScores[c0][f]
			r.FitTime[c][f] = r.FitTime[c0][f]
			r.ScoreTime[c][f] = r.ScoreTime[c0][f]
			r.FitErrors[c][f] = r.FitErrors[c0][f]
			r.FitStatus[c][f] = r.FitStatus[c0][f]
			report()
		}
	}

	failed := 0
	for c := range cands {
		for f := 0; f < k; f++ {
			if r.FitErrors[c][f] != nil {
				failed++
			}
		}
	}
	if failed == len(cands)*k {
		return nil, fmt.Errorf("%w: first error: %v", ErrAllFitsFailed, r.FitErrors[0][0])
	}

	r.MeanTestScore, r.StdTestScore = meanStd(r.SplitTestScores)
	r.MeanFitTime, r.StdFitTime = meanStd(r.FitTime)
	r.MeanScoreTime, r.StdScoreTime = meanStd(r.ScoreTime)
	r.RankTestScore = rankMin(r.MeanTestScore)
	for c, rank := range r.RankTestScore {
		if rank == 1 {
			r.BestIndex = c
			break
		}
	}
	r.BestScore = r.MeanTestScore[r.BestIndex]
	r.BestParams = cands[r.BestIndex]

	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	start := time.Now()
	// The refit is always libsvm's exact solve, so that the delivered
	// model is scikit-learn's whatever solver scored the folds.
	refit := r.BestParams
	refit.Solver = svm.SolverExact
	best, err := svm.FitGramContext(ctx, gram, x, all, y, refit)
	r.RefitTime = time.Since(start).Seconds()
	if err != nil {
		return nil, fmt.Errorf("gridsearch: refit: %w", err)
	}
	r.BestModel = best
	report()
	return r, nil
}

// effective returns p with the parameters its kernel ignores zeroed, so
// that equal keys mean identical fits and predictions.
func effective(p svm.Params) svm.Params {
	switch p.Kernel {
	case svm.Linear:
		p.Gamma, p.Degree, p.Coef0 = svm.Gamma{}, 0, 0
	case svm.RBF:
		p.Degree, p.Coef0 = 0, 0
	case svm.Sigmoid:
		p.Degree = 0
	}
	return p
}

func grid2(rows, cols int) [][]float64 {
	out := make([][]float64, rows)
	for i := range out {
		out[i] = make([]float64, cols)
	}
	return out
}

// meanStd is np.average(a, axis=1) and sqrt(np.average((a−mean)**2,
// axis=1)) for rows of fewer than 8 values, where numpy adds sequentially.
func meanStd(a [][]float64) (mean, std []float64) {
	mean = make([]float64, len(a))
	std = make([]float64, len(a))
	for i, row := range a {
		s := 0.0
		for _, v := range row {
			s += v
		}
		m := s / float64(len(row))
		ss := 0.0
		for _, v := range row {
			dv := v - m
			ss += float64(dv * dv)
		}
		mean[i] = m
		std[i] = math.Sqrt(ss / float64(len(row)))
	}
	return mean, std
}

// rankMin is GridSearchCV's rank_test_score: scipy's rankdata(−mean,
// method='min'), with NaN means replaced by (min of the others) − 1, and
// every rank 1 when all are NaN.
func rankMin(mean []float64) []int {
	lo, any := math.Inf(1), false
	for _, v := range mean {
		if !math.IsNaN(v) {
			lo, any = math.Min(lo, v), true
		}
	}
	vals := make([]float64, len(mean))
	for i, v := range mean {
		if math.IsNaN(v) {
			v = lo - 1
		}
		vals[i] = v
	}
	rank := make([]int, len(mean))
	for i := range vals {
		rank[i] = 1
		if !any {
			continue
		}
		for j := range vals {
			if -vals[j] < -vals[i] {
				rank[i]++
			}
		}
	}
	return rank
}
