package results

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// SVCMetrics is the baseline SVC's metrics.json (Problem 1f): one C-SVC
// fitted on the training split and scored on both splits.
type SVCMetrics struct {
	// C, Kernel and Gamma are the params as given.
	C      float64 `json:"C"`
	Kernel string  `json:"kernel"`
	Gamma  string  `json:"gamma"`
	// GammaValue is the γ the fit used (_gamma).
	GammaValue float64 `json:"gamma_value"`
	NTrain     int     `json:"n_train"`
	NVal       int     `json:"n_val"`
	NFeatures  int     `json:"n_features"`
	Classes    []int64 `json:"classes"`
	// ValAccuracy is the accuracy on the validation split; TrainAccuracy
	// on the training split.
	ValAccuracy   float64 `json:"val_accuracy"`
	TrainAccuracy float64 `json:"train_accuracy"`
	// NSupport counts support vectors per class (n_support_);
	// NSupportTotal is their sum and SupportRatio NSupportTotal/NTrain.
	NSupport      []int   `json:"n_support"`
	NSupportTotal int     `json:"n_support_total"`
	SupportRatio  float64 `json:"support_ratio"`
	// NIter is the SMO iteration count of each one-vs-one pair; Status
	// says whether every pair converged.
	NIter  []int  `json:"n_iter"`
	Status string `json:"status"`
	// FitSeconds and PredictSeconds are wall-clock times (prediction of
	// both splits).
	FitSeconds     float64 `json:"fit_seconds"`
	PredictSeconds float64 `json:"predict_seconds"`
}

// Confusion is confusion.json: Matrix[i][j] counts the samples of
// Labels[i] predicted as Labels[j] (rows true, columns predicted), as
// scikit-learn's confusion_matrix orders them.
type Confusion struct {
	Labels []int64 `json:"labels"`
	Matrix [][]int `json:"matrix"`
}

// Check reports whether the matrix is square over the labels.
func (c *Confusion) Check() error {
	k := len(c.Labels)
	if k == 0 || len(c.Matrix) != k {
		return fmt.Errorf("confusion matrix has %d rows for %d labels", len(c.Matrix), k)
	}
	for i, row := range c.Matrix {
		if len(row) != k {
			return fmt.Errorf("confusion matrix row %d has %d entries for %d labels", i, len(row), k)
		}
	}
	return nil
}

// Grid is the grid search's results.json (Problem 1g).
type Grid struct {
	// BestParams is best_params_.
	BestParams BestParams `json:"best_params"`
	// BestIndex is best_index_, into the rows of grid.csv.
	BestIndex int `json:"best_index"`
	// BestCVScore is best_score_, the best mean cross-validation
	// accuracy.
	BestCVScore float64 `json:"best_cv_score"`
	// ValAccuracy is the refitted best model's accuracy on x_val.
	ValAccuracy float64 `json:"val_accuracy"`
	// NSupport, NSupportTotal and GammaValue describe the refitted model.
	NSupport      []int   `json:"n_support"`
	NSupportTotal int     `json:"n_support_total"`
	GammaValue    float64 `json:"gamma_value"`
	NTrain        int     `json:"n_train"`
	NVal          int     `json:"n_val"`
	Folds         int     `json:"folds"`
	NCandidates   int     `json:"n_candidates"`
	// FailedFits and EarlyStops count CV fits that failed or hit the
	// iteration cap.
	FailedFits int `json:"failed_fits"`
	EarlyStops int `json:"early_stops"`
	// SearchSeconds is the wall-clock time of the whole search (CV and
	// refit); RefitSeconds that of the refit alone.
	SearchSeconds float64 `json:"search_seconds"`
	RefitSeconds  float64 `json:"refit_seconds"`
	// Export and SklearnVersion say what the pickle holds and targets.
	Export         string `json:"export"`
	SklearnVersion string `json:"sklearn_version"`
	// Solver is the cross-validation fits' solver ("exact" or "fast");
	// IPMPairs counts the one-vs-one problems it solved by the
	// interior-point method instead of libsvm's SMO (0 when exact).
	Solver   string `json:"solver"`
	IPMPairs int    `json:"ipm_pairs"`
}

// BestParams is the grid's best candidate as scikit-learn's best_params_
// dict holds it. The fields are in the dict's sorted key order, which is
// how Python's json.dump(sort_keys=True) and Go's map encoding list it.
type BestParams struct {
	// C is the box constraint. A whole C is written without a fraction
	// ("10"), as the Python int of the literal grid [0.1, 1, 10] is.
	C      float64 `json:"C"`
	Gamma  Gamma   `json:"gamma"`
	Kernel string  `json:"kernel"`
}

// PyC is C as a Python literal grid holds it: an int when whole, a float
// otherwise.
func PyC(c float64) any {
	if c == math.Trunc(c) && math.Abs(c) < 1<<53 {
		return int(c)
	}
	return c
}

// String lists the params as Python prints them: "C=10, gamma=scale,
// kernel=rbf".
func (p BestParams) String() string {
	return "C=" + PyValue(PyC(p.C)) + ", gamma=" + p.Gamma.String() + ", kernel=" + p.Kernel
}

// Gamma is scikit-learn's gamma parameter: the name "scale" or "auto",
// or, when Name is empty, the number Value.
type Gamma struct {
	Name  string
	Value float64
}

// String is the name, or the number in Go's shortest form.
func (g Gamma) String() string {
	if g.Name != "" {
		return g.Name
	}
	return strconv.FormatFloat(g.Value, 'g', -1, 64)
}

// MarshalJSON writes the name as a JSON string, a number as a number.
func (g Gamma) MarshalJSON() ([]byte, error) {
	if g.Name != "" {
		return json.Marshal(g.Name)
	}
	return json.Marshal(g.Value)
}

// UnmarshalJSON reads a JSON string or number.
func (g *Gamma) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s == "" {
			return fmt.Errorf("gamma: empty string")
		}
		*g = Gamma{Name: s}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return fmt.Errorf("gamma %s: want a string or a number", b)
	}
	*g = Gamma{Value: x}
	return nil
}

// GaborSVM is the Gabor + StandardScaler + PCA + SVC results.json
// (Problem 1h).
type GaborSVM struct {
	NTrain     int    `json:"n_train"`
	NVal       int    `json:"n_val"`
	NFeatures  int    `json:"n_features"`
	Components int    `json:"components"`
	PCASolver  string `json:"pca_solver"`
	Kernel     string `json:"kernel"`
	Gamma      string `json:"gamma"`
	// ExplainedVarianceRatio is the PCA's explained_variance_ratio_ and
	// ExplainedVarianceRatioSum its sum.
	ExplainedVarianceRatio    []float64  `json:"explained_variance_ratio"`
	ExplainedVarianceRatioSum float64    `json:"explained_variance_ratio_sum"`
	Fits                      []GaborFit `json:"fits"`
	// BestC is the first C with the highest validation accuracy,
	// BestValAccuracy that accuracy.
	BestC           float64 `json:"best_C"`
	BestValAccuracy float64 `json:"best_val_accuracy"`
}

// GaborFit is one SVC of GaborSVM.
type GaborFit struct {
	C float64 `json:"C"`
	// GammaValue is the γ the fit used (_gamma).
	GammaValue    float64 `json:"gamma_value"`
	ValAccuracy   float64 `json:"val_accuracy"`
	TrainAccuracy float64 `json:"train_accuracy"`
	// NSupport counts support vectors per class; NSupportTotal is their
	// sum (n_support_.sum()).
	NSupport      []int  `json:"n_support"`
	NSupportTotal int    `json:"n_support_total"`
	Status        string `json:"status"`
}
