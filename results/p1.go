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

// Split is the content of the p1data kind's summary.json: Problem 1's
// subsample and its stratified split.
type Split struct {
	// NSource is the number of images the subsample was drawn from
	// (70,000 for MNIST: train then test, OpenML's order).
	NSource int `json:"n_source"`
	// PerClass is Num/10.
	PerClass int `json:"per_class"`
	// Features is Size².
	Features int `json:"features"`
	// NTrain, NVal are the split sizes.
	NTrain int `json:"n_train"`
	NVal   int `json:"n_val"`
	// TrainCounts, ValCounts count each label 0..9 in each split.
	TrainCounts []int `json:"train_counts"`
	ValCounts   []int `json:"val_counts"`
	// ShownIndex is the index in x_train of the digit drawn; ShownSource
	// its index among the NSource images; ShownLabel its label.
	ShownIndex  int   `json:"shown_index"`
	ShownSource int   `json:"shown_source"`
	ShownLabel  int64 `json:"shown_label"`
	// PixelMin, PixelMax are the extreme values of x_train and x_val.
	PixelMin float64 `json:"pixel_min"`
	PixelMax float64 `json:"pixel_max"`
}

// GaborFilter describes one filter of the bank in GaborFeatures.
type GaborFilter struct {
	Index     int     `json:"index"`
	Frequency float64 `json:"frequency"`
	Theta     float64 `json:"theta"`
	// ThetaLabel is θ as a multiple of π, e.g. "3π/4".
	ThetaLabel string  `json:"theta_label"`
	Bandwidth  float64 `json:"bandwidth"`
	Sigma      float64 `json:"sigma"`
	// KernelShape is (rows, cols) of gabor_kernel's output.
	KernelShape [2]int `json:"kernel_shape"`
	// Features is the half-open column range [from, to) of this filter's
	// real response in a feature row.
	Features [2]int `json:"features"`
	// SciPyUnsafe: scipy 1.10's ndimage.convolve reads outside the image
	// for this kernel (half-size ≥ 4·side), so skimage's values for it
	// are garbage (docs/numerics.md#scipy-reflect-defect).
	SciPyUnsafe bool `json:"scipy_unsafe"`
}

// GaborFeatures is the content of the p1gaborfeatures kind's report.json:
// the sample, the bank's filters and where scikit-image goes wrong.
type GaborFeatures struct {
	PerClass int     `json:"per_class"`
	Seed     uint32  `json:"seed"`
	Scale    float64 `json:"scale"`
	// Side is the images' side (rows = cols).
	Side      int `json:"side"`
	NFilters  int `json:"n_filters"`
	NFeatures int `json:"n_features"`
	// TrainIndex and ValIndex are the sampled rows of x_train and x_val,
	// in sample order (class 0's draws first): row i of train_features
	// is x_train[TrainIndex[i]].
	TrainIndex  []int `json:"train_index"`
	ValIndex    []int `json:"val_index"`
	TrainCounts []int `json:"train_counts"`
	ValCounts   []int `json:"val_counts"`
	// FeatureOrder documents the columns of the feature files.
	FeatureOrder string        `json:"feature_order"`
	Filters      []GaborFilter `json:"filters"`
	// SciPyUnsafe lists the filters scikit-image computes wrongly, and
	// SkimageNote says so in words.
	SciPyUnsafe []int  `json:"scipy_unsafe_filters"`
	SkimageNote string `json:"skimage_note"`
	// BankPairs are the filters drawn in bank_pairs.png.
	BankPairs []int `json:"bank_pairs"`
	// Shown* identify the image and filter of response.png.
	ShownIndex  int   `json:"shown_index"`
	ShownRow    int   `json:"shown_x_train_row"`
	ShownLabel  int64 `json:"shown_label"`
	ShownFilter int   `json:"shown_filter"`
	// FeatureMin and FeatureMax are the extremes over both feature files.
	FeatureMin float64 `json:"feature_min"`
	FeatureMax float64 `json:"feature_max"`
}
