package sklearn

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"hw1pipe/artifacts/pickle"
)

// GridParam is one entry of GridSearchCV's param_grid: a parameter name
// and its candidate values as given (float64, int or string).
type GridParam struct {
	Name   string
	Values []any
}

// GridSearch is a fitted GridSearchCV(SVC(**Estimator), param_grid,
// cv=CV) with scoring=None (accuracy), refit=True and
// return_train_score=False.
//
// Candidates are ParameterGrid's: parameter names sorted, the last name
// varying fastest (Candidates lists them). Every per-candidate slice is
// indexed in that order.
type GridSearch struct {
	// Estimator are the parameters of the unfitted base SVC.
	Estimator Params
	// ParamGrid is the grid as passed, in the order given.
	ParamGrid []GridParam
	// CV is the cv argument (number of stratified folds).
	CV int
	// MeanFitTime, StdFitTime, MeanScoreTime, StdScoreTime are seconds
	// per candidate.
	MeanFitTime, StdFitTime, MeanScoreTime, StdScoreTime []float64
	// SplitTestScores[s][c] is candidate c's accuracy on fold s;
	// n_splits_ = len(SplitTestScores).
	SplitTestScores [][]float64
	// RefitTime is refit_time_ in seconds.
	RefitTime float64
	// Best is the best candidate refitted on all the training data.
	Best *SVC
}

// Candidate is one parameter setting: names sorted.
type Candidate []Setting

// Setting is a parameter name and value.
type Setting struct {
	Name  string
	Value any
}

// Candidates returns ParameterGrid(param_grid) in order.
func (g *GridSearch) Candidates() []Candidate {
	grid := append([]GridParam(nil), g.ParamGrid...)
	sort.SliceStable(grid, func(i, j int) bool { return grid[i].Name < grid[j].Name })
	out := []Candidate{{}}
	for _, p := range grid {
		var next []Candidate
		for _, c := range out {
			for _, v := range p.Values {
				nc := append(append(Candidate{}, c...), Setting{p.Name, v})
				next = append(next, nc)
			}
		}
		out = next
	}
	return out
}

// Summary returns mean_test_score, std_test_score, rank_test_score and
// best_index_ computed as scikit-learn 1.2 does: means and (population)
// standard deviations over the splits summed left to right, NaN means
// ranked last, "min" ranking of the negated means, best = the first
// candidate of rank 1. It panics if SplitTestScores is empty.
func (g *GridSearch) Summary() (mean, std []float64, rank []int32, best int) {
	nc := len(g.SplitTestScores[0])
	ns := len(g.SplitTestScores)
	mean = make([]float64, nc)
	std = make([]float64, nc)
	for c := 0; c < nc; c++ {
		s := 0.0
		for k := 0; k < ns; k++ {
			s += g.SplitTestScores[k][c]
		}
		mean[c] = s / float64(ns)
		v := 0.0
		for k := 0; k < ns; k++ {
			d := g.SplitTestScores[k][c] - mean[c]
			v += d * d
		}
		std[c] = math.Sqrt(v / float64(ns))
	}
	// NaN means rank below every other candidate (sklearn replaces them
	// with min - 1); all NaN gives rank 1 everywhere.
	keys := make([]float64, nc)
	minMean, allNaN := math.Inf(1), true
	for _, x := range mean {
		if !math.IsNaN(x) {
			allNaN = false
			minMean = math.Min(minMean, x)
		}
	}
	rank = make([]int32, nc)
	if allNaN {
		for i := range rank {
			rank[i] = 1
		}
		return mean, std, rank, 0
	}
	for i, x := range mean {
		if math.IsNaN(x) {
			x = minMean - 1
		}
		keys[i] = x
	}
	for i := range rank {
		r := int32(1)
		for j := range keys {
			if keys[j] > keys[i] {
				r++
			}
		}
		rank[i] = r
	}
	best = 0
	for i := range rank {
		if rank[i] < rank[best] {
			best = i
		}
	}
	return mean, std, rank, best
}

// Validate checks the search and its best estimator.
func (g *GridSearch) Validate() error {
	if err := g.Estimator.Validate(); err != nil {
		return &modelError{Field: "estimator", Reason: err.Error()}
	}
	if g.Best == nil {
		return &modelError{Field: "best_estimator_", Reason: "missing"}
	}
	if err := g.Best.Validate(); err != nil {
		return err
	}
	if g.CV < 2 {
		return &modelError{Field: "cv", Reason: fmt.Sprintf("%d folds, want >= 2", g.CV)}
	}
	if len(g.ParamGrid) == 0 {
		return &modelError{Field: "param_grid", Reason: "empty"}
	}
	seen := map[string]bool{}
	for _, p := range g.ParamGrid {
		if p.Name == "" || seen[p.Name] {
			return &modelError{Field: "param_grid", Reason: fmt.Sprintf("empty or repeated name %q", p.Name)}
		}
		seen[p.Name] = true
		if len(p.Values) == 0 {
			return &modelError{Field: "param_grid", Reason: fmt.Sprintf("no values for %q", p.Name)}
		}
		for _, v := range p.Values {
			switch x := v.(type) {
			case int, string:
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return &nonFiniteError{Field: "param_grid[" + p.Name + "]", Value: x}
				}
			default:
				return &modelError{Field: "param_grid", Reason: fmt.Sprintf("value of type %T for %q", v, p.Name)}
			}
		}
	}
	nc := len(g.Candidates())
	if len(g.SplitTestScores) != g.CV {
		return &modelError{Field: "cv_results_", Reason: fmt.Sprintf("%d splits of scores for cv=%d", len(g.SplitTestScores), g.CV)}
	}
	for _, f := range []struct {
		name string
		xs   []float64
	}{{"mean_fit_time", g.MeanFitTime}, {"std_fit_time", g.StdFitTime},
		{"mean_score_time", g.MeanScoreTime}, {"std_score_time", g.StdScoreTime}} {
		name, xs := f.name, f.xs
		if len(xs) != nc {
			return &modelError{Field: "cv_results_[" + name + "]", Reason: fmt.Sprintf("%d values for %d candidates", len(xs), nc)}
		}
		if err := finite("cv_results_["+name+"]", xs); err != nil {
			return err
		}
	}
	for s, xs := range g.SplitTestScores {
		if len(xs) != nc {
			return &modelError{Field: fmt.Sprintf("cv_results_[split%d_test_score]", s), Reason: fmt.Sprintf("%d values for %d candidates", len(xs), nc)}
		}
	}
	if err := finite("refit_time_", []float64{g.RefitTime}); err != nil {
		return err
	}
	// the refitted estimator must carry the best candidate's parameters
	_, _, _, best := g.Summary()
	for _, s := range g.Candidates()[best] {
		var got any
		switch s.Name {
		case "C":
			got = g.Best.Params.C
		case "kernel":
			got = g.Best.Params.Kernel
		case "gamma":
			got = g.Best.Params.Gamma
		case "degree":
			got = g.Best.Params.Degree
		case "coef0":
			got = g.Best.Params.Coef0
		case "tol":
			got = g.Best.Params.Tol
		default:
			return &modelError{Field: "param_grid", Reason: fmt.Sprintf("parameter %q is not an SVC parameter this package writes", s.Name)}
		}
		if got != s.Value {
			return &modelError{Field: "best_estimator_", Reason: fmt.Sprintf("%s = %v (%T), best candidate has %v (%T)", s.Name, got, got, s.Value, s.Value)}
		}
	}
	return nil
}

// parseVersion returns major and minor.
func parseVersion(v string) (int, int, error) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, &VersionError{Version: v}
	}
	major, err1 := strconv.Atoi(parts[0])
	minorStr := parts[1]
	minor, err2 := strconv.Atoi(minorStr)
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, &VersionError{Version: v}
	}
	return major, minor, nil
}

// object returns the fitted GridSearchCV's reduce form (docs/formats.md#fitted-gridsearchcv).
func (g *GridSearch) object(version string, major, minor int) *pickle.Object {
	est := unfitted(g.Estimator, version)
	cands := g.Candidates()
	nc := len(cands)
	mean, std, rank, best := g.Summary()

	grid := pickle.NewDict()
	for _, p := range g.ParamGrid {
		grid.Set(p.Name, append([]any(nil), p.Values...))
	}
	vec := func(xs []float64) *pickle.Array { return &pickle.Array{Shape: []int{nc}, Data: xs} }
	res := pickle.NewDict()
	res.Set("mean_fit_time", vec(g.MeanFitTime))
	res.Set("std_fit_time", vec(g.StdFitTime))
	res.Set("mean_score_time", vec(g.MeanScoreTime))
	res.Set("std_score_time", vec(g.StdScoreTime))
	// param_<name> columns in the first candidate's (sorted) order, as
	// object MaskedArrays with nothing masked.
	params := make([]any, nc)
	for c, cand := range cands {
		d := pickle.NewDict()
		for _, s := range cand {
			d.Set(s.Name, s.Value)
		}
		params[c] = d
	}
	for i, s := range cands[0] {
		col := make([]any, nc)
		for c := range cands {
			col[c] = cands[c][i].Value
		}
		res.Set("param_"+s.Name, &pickle.MaskedArray{Array: pickle.Array{Shape: []int{nc}, Data: col}, Mask: make([]bool, nc)})
	}
	res.Set("params", params)
	for s, xs := range g.SplitTestScores {
		res.Set(fmt.Sprintf("split%d_test_score", s), vec(xs))
	}
	res.Set("mean_test_score", vec(mean))
	res.Set("std_test_score", vec(std))
	res.Set("rank_test_score", &pickle.Array{Shape: []int{nc}, Data: rank})

	var scorer any = pickle.Global{Module: "sklearn.metrics._scorer", Name: "_passthrough_scorer"}
	if major > 1 || major == 1 && minor >= 3 {
		scorer = &pickle.Object{
			Class: pickle.Global{Module: "sklearn.metrics._scorer", Name: "_PassthroughScorer"},
			State: pickle.NewDict("_estimator", est),
		}
	}
	st := pickle.NewDict(
		"scoring", nil,
		"estimator", est,
		"n_jobs", nil,
		"refit", true,
		"cv", g.CV,
		"verbose", 0,
		"pre_dispatch", "2*n_jobs",
		"error_score", math.Float64frombits(nanBits),
		"return_train_score", false,
		"param_grid", grid,
		"multimetric_", false,
		"best_index_", pickle.Scalar{Value: int64(best)},
		"best_score_", pickle.Scalar{Value: mean[best]},
		"best_params_", params[best],
		"best_estimator_", g.Best.object(version),
		"refit_time_", g.RefitTime,
		"scorer_", scorer,
		"cv_results_", res,
		"n_splits_", len(g.SplitTestScores),
		"_sklearn_version", version,
	)
	return &pickle.Object{Class: pickle.Global{Module: "sklearn.model_selection._search", Name: "GridSearchCV"}, State: st}
}
