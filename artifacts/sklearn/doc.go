// Package sklearn writes fitted scikit-learn objects as pickles that
// pickle.load (and joblib.load) turn into working estimators: a fitted
// sklearn.svm.SVC from a libsvm model (SVC) and a fitted
// sklearn.model_selection.GridSearchCV around one (GridSearch).
//
// # Model
//
// SVC holds libsvm's C-SVC model in scikit-learn's storage convention:
// n_SV support vectors as an n_SV x d row-major matrix grouped by class,
// the (k-1) x n_SV dual coefficients and the k(k-1)/2 intercepts with
// the signs sklearn keeps internally (_dual_coef_, _intercept_ = -rho).
// For two classes the public dual_coef_ and intercept_ are written
// negated, as sklearn's fit leaves them (docs/formats.md#svc-signs-and-decision-function). Shapes and
// dtypes follow docs/formats.md#fitted-svc: int32 support_, _n_support, _num_iter;
// float64 C-contiguous arrays; classes_ int64.
//
// # Target version
//
// Options.Version names the scikit-learn version the pickle is for, in
// this one place (DefaultVersion, "1.2.1", when empty). It is stored as
// _sklearn_version, so that version loads without a warning, and it
// picks GridSearchCV's scorer_: the function _passthrough_scorer before
// 1.3, a _PassthroughScorer object from 1.3 on (docs/formats.md#scikit-learn-versions). The SVC
// layout is the same for every version. The 1.2 forms are proven by
// loading them in scikit-learn 1.2.1 (go test); the 1.3+ scorer by
// `make compat`, which loads exports written for 1.4.2 and 1.9.0 in those
// versions (Debian trixie and sid chroots).
//
// # Errors
//
// Encode and WriteFile validate the model first and return an error
// naming the scikit-learn attribute (inconsistent shapes, unsorted classes,
// bad parameters, NaN or Inf in the model), or *VersionError for a target
// version that does not parse, before writing anything. WriteFile writes
// a temporary file and renames it. The types are plain data; the functions are safe for concurrent use
// on distinct values.
package sklearn
