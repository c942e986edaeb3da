package sklearn

import (
	"fmt"
	"math"

	"hw1pipe/artifacts/pickle"
)

// DefaultVersion is the scikit-learn version targeted when
// Options.Version is empty: the reference stack's.
const DefaultVersion = "1.2.1"

// Params are an SVC's constructor parameters, stored as given.
type Params struct {
	// Kernel is "linear", "rbf", "poly" or "sigmoid". Default "rbf".
	Kernel string
	// C is the penalty as given: float64 or int (a grid's 1 stays a
	// Python int, as sklearn keeps it). Default 1.0.
	C any
	// Gamma is "scale", "auto" or a float64. Default "scale".
	Gamma any
	// Degree of the poly kernel. Default 3.
	Degree int
	// Coef0 of the poly and sigmoid kernels. Default 0.
	Coef0 float64
	// Tol is the stopping tolerance. Default 1e-3.
	Tol float64
}

// DefaultParams returns sklearn's SVC() defaults.
func DefaultParams() Params {
	return Params{Kernel: "rbf", C: 1.0, Gamma: "scale", Degree: 3, Coef0: 0, Tol: 1e-3}
}

// SVC is a fitted libsvm C-SVC. k = len(Classes), m = k(k-1)/2 pairs
// ordered (0,1), (0,2), ..., (1,2), ..., n_SV = len(Support), d =
// NFeatures.
type SVC struct {
	Params Params
	// Classes are the sorted distinct labels (classes_, int64), k >= 2.
	Classes []int64
	// GammaValue is the kernel coefficient actually used (_gamma): 1/d
	// for "auto", 1/(d*Var(X)) for "scale", Params.Gamma otherwise.
	GammaValue float64
	// NFeatures is d; NSamples the number of training rows (shape_fit_).
	NFeatures, NSamples int
	// Support are the training-row indices of the support vectors,
	// grouped by class in class order (support_, int32, n_SV).
	Support []int32
	// SupportVectors is n_SV x d, row-major (support_vectors_).
	SupportVectors []float64
	// NSupport counts the support vectors of each class (k); they sum
	// to n_SV.
	NSupport []int32
	// DualCoef is (k-1) x n_SV, row-major, in libsvm's signs (sklearn's
	// internal _dual_coef_).
	DualCoef []float64
	// Intercept holds the m intercepts as sklearn stores them internally
	// (_intercept_ = -rho).
	Intercept []float64
	// NIter is libsvm's iteration count per pair (m); nil means zeros.
	NIter []int32
}

// Options choose the target.
type Options struct {
	// Version is the scikit-learn version the pickle targets, as
	// "major.minor[.patch]". Empty means DefaultVersion.
	Version string
	// Protocol is the pickle protocol, 2 to 4. Zero means 4, what
	// pickle.dump writes in Python 3.8 to 3.13.
	Protocol int
}

// modelError reports an inconsistent or invalid model field.
type modelError struct {
	Field  string // sklearn's attribute name, e.g. "support_vectors_"
	Reason string
}

func (e *modelError) Error() string { return "sklearn: " + e.Field + ": " + e.Reason }

// nonFiniteError reports NaN or Inf in a model array.
type nonFiniteError struct {
	Field string
	Index int
	Value float64
}

func (e *nonFiniteError) Error() string {
	return fmt.Sprintf("sklearn: %s: value %v at flat index %d", e.Field, e.Value, e.Index)
}

// VersionError reports a target version that cannot be parsed.
type VersionError struct {
	Version string
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("sklearn: target version %q is not major.minor[.patch]", e.Version)
}

func finite(field string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return &nonFiniteError{Field: field, Index: i, Value: x}
		}
	}
	return nil
}

// Validate checks the parameters.
func (p *Params) Validate() error {
	switch p.Kernel {
	case "linear", "rbf", "poly", "sigmoid":
	default:
		return &modelError{Field: "kernel", Reason: fmt.Sprintf("%q is not linear, rbf, poly or sigmoid", p.Kernel)}
	}
	switch c := p.C.(type) {
	case float64:
		if !(c > 0) || math.IsInf(c, 0) {
			return &modelError{Field: "C", Reason: fmt.Sprintf("%v is not a positive finite number", c)}
		}
	case int:
		if c <= 0 {
			return &modelError{Field: "C", Reason: fmt.Sprintf("%d is not positive", c)}
		}
	default:
		return &modelError{Field: "C", Reason: fmt.Sprintf("type %T, want float64 or int", p.C)}
	}
	switch g := p.Gamma.(type) {
	case string:
		if g != "scale" && g != "auto" {
			return &modelError{Field: "gamma", Reason: fmt.Sprintf("%q is not scale or auto", g)}
		}
	case float64:
		if !(g >= 0) || math.IsInf(g, 0) {
			return &modelError{Field: "gamma", Reason: fmt.Sprintf("%v is not a non-negative finite number", g)}
		}
	default:
		return &modelError{Field: "gamma", Reason: fmt.Sprintf("type %T, want string or float64", p.Gamma)}
	}
	if p.Degree < 0 {
		return &modelError{Field: "degree", Reason: "negative"}
	}
	if math.IsNaN(p.Coef0) || math.IsInf(p.Coef0, 0) {
		return &nonFiniteError{Field: "coef0", Value: p.Coef0}
	}
	if !(p.Tol > 0) || math.IsInf(p.Tol, 0) {
		return &modelError{Field: "tol", Reason: fmt.Sprintf("%v is not a positive finite number", p.Tol)}
	}
	return nil
}

// Validate checks that the model is complete and consistent.
func (m *SVC) Validate() error {
	if err := m.Params.Validate(); err != nil {
		return err
	}
	k := len(m.Classes)
	if k < 2 {
		return &modelError{Field: "classes_", Reason: fmt.Sprintf("%d classes, want at least 2", k)}
	}
	for i := 1; i < k; i++ {
		if m.Classes[i] <= m.Classes[i-1] {
			return &modelError{Field: "classes_", Reason: "not strictly ascending"}
		}
	}
	if m.NFeatures <= 0 {
		return &modelError{Field: "n_features_in_", Reason: fmt.Sprintf("%d, want > 0", m.NFeatures)}
	}
	if err := finite("_gamma", []float64{m.GammaValue}); err != nil {
		return err
	}
	if m.GammaValue < 0 {
		return &modelError{Field: "_gamma", Reason: "negative"}
	}
	nSV := len(m.Support)
	if nSV == 0 {
		return &modelError{Field: "support_", Reason: "no support vectors"}
	}
	if m.NSamples < nSV {
		return &modelError{Field: "shape_fit_", Reason: fmt.Sprintf("%d samples but %d support vectors", m.NSamples, nSV)}
	}
	for _, s := range m.Support {
		if s < 0 || int(s) >= m.NSamples {
			return &modelError{Field: "support_", Reason: fmt.Sprintf("index %d outside [0, %d)", s, m.NSamples)}
		}
	}
	if len(m.SupportVectors) != nSV*m.NFeatures {
		return &modelError{Field: "support_vectors_", Reason: fmt.Sprintf("%d values, want n_SV %d x d %d", len(m.SupportVectors), nSV, m.NFeatures)}
	}
	if len(m.NSupport) != k {
		return &modelError{Field: "_n_support", Reason: fmt.Sprintf("%d counts for %d classes", len(m.NSupport), k)}
	}
	sum := 0
	for _, c := range m.NSupport {
		if c < 0 {
			return &modelError{Field: "_n_support", Reason: "negative count"}
		}
		sum += int(c)
	}
	if sum != nSV {
		return &modelError{Field: "_n_support", Reason: fmt.Sprintf("counts sum to %d, n_SV is %d", sum, nSV)}
	}
	if len(m.DualCoef) != (k-1)*nSV {
		return &modelError{Field: "dual_coef_", Reason: fmt.Sprintf("%d values, want (k-1) %d x n_SV %d", len(m.DualCoef), k-1, nSV)}
	}
	pairs := k * (k - 1) / 2
	if len(m.Intercept) != pairs {
		return &modelError{Field: "intercept_", Reason: fmt.Sprintf("%d values for %d class pairs", len(m.Intercept), pairs)}
	}
	if m.NIter != nil && len(m.NIter) != pairs {
		return &modelError{Field: "n_iter_", Reason: fmt.Sprintf("%d values for %d class pairs", len(m.NIter), pairs)}
	}
	for _, f := range []struct {
		name string
		xs   []float64
	}{{"support_vectors_", m.SupportVectors}, {"dual_coef_", m.DualCoef}, {"intercept_", m.Intercept}} {
		if err := finite(f.name, f.xs); err != nil {
			return err
		}
	}
	return nil
}

// paramsState returns the constructor parameters in SVC.__dict__ order.
func paramsState(p Params) *pickle.Dict {
	return pickle.NewDict(
		"decision_function_shape", "ovr",
		"break_ties", false,
		"kernel", p.Kernel,
		"degree", p.Degree,
		"gamma", p.Gamma,
		"coef0", p.Coef0,
		"tol", p.Tol,
		"C", p.C,
		"nu", 0.0,
		"epsilon", 0.0,
		"shrinking", true,
		"probability", false,
		"cache_size", 200,
		"class_weight", nil,
		"verbose", false,
		"max_iter", -1,
		"random_state", nil,
	)
}

var svcClass = pickle.Global{Module: "sklearn.svm._classes", Name: "SVC"}

// unfitted is SVC(**params) as pickled before fit.
func unfitted(p Params, version string) *pickle.Object {
	st := paramsState(p)
	st.Set("_sklearn_version", version)
	return &pickle.Object{Class: svcClass, State: st}
}

func negate(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = -x
	}
	return out
}

// object returns the fitted SVC's reduce form (docs/formats.md#estimator-pickles and docs/formats.md#fitted-svc).
func (m *SVC) object(version string) *pickle.Object {
	k, nSV, d := len(m.Classes), len(m.Support), m.NFeatures
	pairs := k * (k - 1) / 2
	ones := make([]float64, k)
	for i := range ones {
		ones[i] = 1
	}
	niter := m.NIter
	if niter == nil {
		niter = make([]int32, pairs)
	}
	arr := func(shape []int, data any) *pickle.Array { return &pickle.Array{Shape: shape, Data: data} }
	dual := arr([]int{k - 1, nSV}, m.DualCoef)
	icept := arr([]int{pairs}, m.Intercept)
	pubDual, pubIcept := dual, arr([]int{pairs}, m.Intercept) // intercept_ is a copy in sklearn
	if k == 2 {
		pubDual = arr([]int{k - 1, nSV}, negate(m.DualCoef))
		pubIcept = arr([]int{pairs}, negate(m.Intercept))
	}
	numIter := arr([]int{pairs}, niter)
	var gamma any = m.GammaValue
	if m.Params.Gamma == "scale" {
		// 1.0 / (d * X.var()) is a numpy float64 in sklearn
		gamma = pickle.Scalar{Value: m.GammaValue}
	}
	st := paramsState(m.Params)
	st.Set("_sparse", false)
	st.Set("n_features_in_", d)
	st.Set("class_weight_", arr([]int{k}, ones))
	st.Set("classes_", arr([]int{k}, m.Classes))
	st.Set("_gamma", gamma)
	st.Set("support_", arr([]int{nSV}, m.Support))
	st.Set("support_vectors_", arr([]int{nSV, d}, m.SupportVectors))
	st.Set("_n_support", arr([]int{k}, m.NSupport))
	st.Set("dual_coef_", pubDual)
	st.Set("intercept_", pubIcept)
	st.Set("_probA", arr([]int{0}, []float64{}))
	st.Set("_probB", arr([]int{0}, []float64{}))
	st.Set("fit_status_", 0)
	st.Set("_num_iter", numIter)
	st.Set("shape_fit_", pickle.Tuple{m.NSamples, d})
	st.Set("_intercept_", icept)
	st.Set("_dual_coef_", dual)
	st.Set("n_iter_", numIter)
	st.Set("_sklearn_version", version)
	return &pickle.Object{Class: svcClass, State: st}
}
