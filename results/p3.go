package results

// GradCheck is the gradient check's report.json (Problem 3b): the
// from-scratch layers' analytic derivatives against central differences.
type GradCheck struct {
	Init    string  `json:"init"`
	Seed    uint32  `json:"seed"`
	Epsilon float64 `json:"epsilon"`
	Tol     float64 `json:"tol"`
	// Sample is the checked sample's position in the training subset,
	// Source its index in the MNIST training set, Label its digit.
	Sample int `json:"sample"`
	Source int `json:"source"`
	Label  int `json:"label"`
	// MaxAbsErr is the largest AbsErr of all entries; MaxAbsErrBy the
	// largest per "layer/param" ("linear/W", "relu/h", "net/b" ...).
	MaxAbsErr   float64            `json:"max_abs_err"`
	MaxAbsErrBy map[string]float64 `json:"max_abs_err_by"`
	// Entries lists every checked derivative.
	Entries []GradEntry `json:"entries"`
}

// GradEntry is one checked derivative (nn.GradEntry).
type GradEntry struct {
	Layer    string  `json:"layer"`
	Param    string  `json:"param"`
	Index    int     `json:"index"`
	K        int     `json:"k"`
	Eps      float64 `json:"eps"`
	Analytic float64 `json:"analytic"`
	Numeric  float64 `json:"numeric"`
	AbsErr   float64 `json:"abs_err"`
}

// Curves is curves.json of both Problem 3 networks: the from-scratch one
// (p3train) and the libtorch one (p3torch). The fields only one of them
// has are omitted when zero, so each file keeps its own keys: Init,
// Passes, Initial and Final are the from-scratch network's, Order the
// libtorch one's.
type Curves struct {
	LR         float64 `json:"lr"`
	Iterations int     `json:"iterations"`
	Batch      int     `json:"batch"`
	ValEvery   int     `json:"val_every"`
	// Init is the weight initialisation ("uniform" or "gaussian").
	Init string `json:"init,omitzero"`
	// Seed is numpy's seed (a uint32) or torch.manual_seed's (a uint64);
	// both are written as the same JSON integer.
	Seed uint64 `json:"seed"`
	// Order is how the libtorch network draws its batches ("pytorch" or
	// "shared").
	Order  string `json:"order,omitzero"`
	NTrain int    `json:"n_train"`
	NVal   int    `json:"n_val"`
	// Passes is the number of passes (permutations) the updates used.
	Passes int `json:"passes,omitzero"`
	// TrainLoss, TrainError: the batch of update t (1-based, index t-1),
	// measured before that update, as the pickles hold them.
	TrainLoss  []float64 `json:"train_loss"`
	TrainError []float64 `json:"train_error"`
	// ValSteps are the update counts of the validation measurements.
	ValSteps []int     `json:"val_steps"`
	ValLoss  []float64 `json:"val_loss"`
	ValError []float64 `json:"val_error"`
	// Initial and Final diagnose the initial and the final weights on
	// the training subset.
	Initial   *Diag       `json:"initial,omitzero"`
	Final     *Diag       `json:"final,omitzero"`
	FinalSums FinalErrors `json:"final_errors"`
}

// Diag is nn.Diagnostics of some weights on the training subset.
type Diag struct {
	LogitMean    float64 `json:"logit_mean"`
	LogitStd     float64 `json:"logit_std"`
	LogitMin     float64 `json:"logit_min"`
	LogitMax     float64 `json:"logit_max"`
	MeanMaxProb  float64 `json:"mean_max_prob"`
	DeadFraction float64 `json:"dead_relu_fraction"`
	DeadUnits    []int   `json:"dead_units"`
	Loss         float64 `json:"train_loss"`
	Error        float64 `json:"train_error"`
}

// FinalErrors summarises where training ended.
type FinalErrors struct {
	// LastBatch is the error of the last update's batch; Last100 the mean
	// over the last 100 updates (MeanLast100).
	LastBatch float64 `json:"last_batch"`
	Last100   float64 `json:"last_100_mean"`
	// Train is the final weights' error on the whole training subset and
	// Val the last validation measurement (both averaged per batch). The
	// libtorch network does not measure Train and writes -1 (JSON has no
	// NaN).
	Train float64 `json:"train"`
	Val   float64 `json:"val"`
}

// Empty reports whether any of the four curves is empty.
func (c *Curves) Empty() bool {
	return len(c.TrainLoss) == 0 || len(c.TrainError) == 0 || len(c.ValLoss) == 0 || len(c.ValError) == 0
}

// MeanLast100 is the mean of the last 100 values of x (all of them if
// there are fewer; 0 for none), summed in order: the smoothed training
// error both networks report.
func MeanLast100(x []float64) float64 {
	return MeanLast(x, 100)
}

// MeanLast is the mean of the last n values of x (all of them if there
// are fewer; 0 for none), summed in order.
func MeanLast(x []float64, n int) float64 {
	n = min(n, len(x))
	if n <= 0 {
		return 0
	}
	var s float64
	for _, v := range x[len(x)-n:] {
		s += v
	}
	return s / float64(n)
}

// Subsets is the content of the p3data kind's summary.json: Problem 3's
// training and validation subsets.
type Subsets struct {
	Frac float64 `json:"frac"`
	Seed uint32  `json:"seed"`
	// NTrainSource, NValSource are the sizes of the MNIST training and
	// test sets the subsets are drawn from.
	NTrainSource int `json:"n_train_source"`
	NValSource   int `json:"n_val_source"`
	// NTrain, NVal are the subset sizes.
	NTrain int `json:"n_train"`
	NVal   int `json:"n_val"`
	// TrainCounts, ValCounts count each digit 0..9 in each subset.
	TrainCounts []int `json:"train_counts"`
	ValCounts   []int `json:"val_counts"`
	// Samples are the images drawn in samples.png, in order.
	Samples []Sample `json:"samples"`
}

// Sample names one training image drawn in samples.png.
type Sample struct {
	// Position is the image's row in the training subset, Source its
	// index in the MNIST training set.
	Position int `json:"position"`
	Source   int `json:"source"`
	Label    int `json:"label"`
}
