package nn

import (
	"context"
	"fmt"
	"math"

	"hw1pipe/numpyrand"
)

// Net is the homework's network: Linear(in→classes), ReLU, softmax
// cross-entropy.
type Net struct {
	L    *Linear
	R    ReLU
	Loss *SoftmaxCrossEntropy
}

// NewNet returns a net with zero weights. It panics on non-positive sizes.
func NewNet(in, classes int) *Net {
	return &Net{L: NewLinear(in, classes), Loss: NewSoftmaxCrossEntropy(classes)}
}

// Forward runs the n×in batch x with labels y (n = len(y)) through the
// net and returns the mean loss and error rate.
func (nt *Net) Forward(x []float64, y []int) (loss, errRate float64) {
	z := nt.L.Forward(x, len(y))
	return nt.Loss.Forward(nt.R.Forward(z), y)
}

// ForwardCSR is Forward for the batch made of the given rows of x
// (see Linear.ForwardCSR).
func (nt *Net) ForwardCSR(x *CSR, rows []int, y []int) (loss, errRate float64) {
	z := nt.L.ForwardCSR(x, rows)
	return nt.Loss.Forward(nt.R.Forward(z), y)
}

// Backward sets the gradients of W and B for the last Forward.
func (nt *Net) Backward() {
	nt.L.BackwardParams(nt.R.Backward(nt.Loss.Backward()))
}

// Evaluate returns the loss and error over ds, cut in order into batches
// of the given size (the last may be shorter), each metric averaged per
// batch: mean over batches of the batch means, so the short last batch
// weighs as much as a full one (5,000 samples in 64s: 78 batches and one
// of 8, averaged over 79). It panics if batch < 1 or ds is empty.
func (nt *Net) Evaluate(ds Dataset, batch int) (loss, errRate float64) {
	n := ds.Len()
	if batch < 1 || n == 0 {
		panic("nn: Evaluate needs batch ≥ 1 and a non-empty dataset")
	}
	var x []float64
	nb := 0
	for s := 0; s < n; s += batch {
		m := min(batch, n-s)
		x = ds.rows(s, m, x)
		l, e := nt.Forward(x, ds.Y[s:s+m])
		loss += l
		errRate += e
		nb++
	}
	return loss / float64(nb), errRate / float64(nb)
}

// evaluateCSR is Evaluate on the CSR form x of ds, with all a slice
// 0..n-1 to take the batches' rows from.
func (nt *Net) evaluateCSR(x *CSR, y []int, all []int, batch int) (loss, errRate float64) {
	n := len(y)
	nb := 0
	for s := 0; s < n; s += batch {
		m := min(batch, n-s)
		l, e := nt.ForwardCSR(x, all[s:s+m], y[s:s+m])
		loss += l
		errRate += e
		nb++
	}
	return loss / float64(nb), errRate / float64(nb)
}

// Config holds the training parameters. A zero numeric field means its
// default; DefaultConfig returns every default spelled out.
type Config struct {
	// LR is the SGD step size. Default 0.1.
	LR float64
	// Iterations is the number of SGD updates. Default 10,000.
	Iterations int
	// BatchSize is the training and validation batch size. Default 64.
	BatchSize int
	// ValInterval: the validation set is measured after t updates for
	// t = 0, ValInterval, 2·ValInterval, … ≤ Iterations. Default 1,000,
	// which gives 11 measurements for 10,000 updates.
	ValInterval int
	// Init chooses the initialisation. The zero value is InitUniform.
	Init Init
	// Seed seeds the one numpy stream used for training: first the
	// initial W and B (drawn even when InitW and InitB are given, so the
	// batch order never depends on them), then one permutation per pass.
	// The zero value is seed 0; DefaultConfig uses 20, the homework's.
	Seed uint32
	// InitW (classes×d) and InitB (classes) replace the drawn initial
	// weights when non-nil, e.g. to start from another implementation's.
	InitW, InitB []float64
	// Order replaces the numpy permutations when non-nil.
	Order Order
	// Progress, if non-nil, is called after every update with the
	// number of updates done and the total.
	Progress func(done, total int)
}

// DefaultConfig returns the defaults of docs/homework.md#problem-3-training-and-validation: lr 0.1, 10,000
// updates, batch 64, validation every 1,000 updates, uniform init, seed 20.
func DefaultConfig() Config {
	return Config{LR: 0.1, Iterations: 10000, BatchSize: 64, ValInterval: 1000, Init: InitUniform, Seed: 20}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.LR == 0 {
		c.LR = d.LR
	}
	if c.Iterations == 0 {
		c.Iterations = d.Iterations
	}
	if c.BatchSize == 0 {
		c.BatchSize = d.BatchSize
	}
	if c.ValInterval == 0 {
		c.ValInterval = d.ValInterval
	}
	return c
}

// Result is what Train returns.
type Result struct {
	// TrainLoss and TrainErr hold the loss and error of the batch of every
	// update, before that update (len Iterations).
	TrainLoss, TrainErr []float64
	// ValSteps lists the update counts t at which the validation set was
	// measured; ValLoss and ValErr hold the measurements (see Evaluate).
	ValSteps        []int
	ValLoss, ValErr []float64
	// W0, B0 are the initial weights used; W, B the final ones
	// (classes×d and classes).
	W0, B0, W, B []float64
	// Perms is the permutation of every pass used, in order: with the
	// batch size it fixes the exact batches (see Loader).
	Perms [][]int
}

// Train runs SGD on the homework's network. Every update takes the next
// batch from a Loader, runs Forward, records its loss and error, runs
// Backward and steps W and B by −LR times their gradients. It returns an
// error for an invalid config, mismatched datasets, a bad Order, or when
// ctx is cancelled (checked every 100 updates).
func Train(ctx context.Context, train, val Dataset, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if !(cfg.LR > 0) || math.IsInf(cfg.LR, 0) || cfg.Iterations < 0 || cfg.BatchSize < 0 || cfg.ValInterval < 0 {
		return nil, fmt.Errorf("nn: invalid config: lr %v, iterations %d, batch %d, validation interval %d",
			cfg.LR, cfg.Iterations, cfg.BatchSize, cfg.ValInterval)
	}
	if train.Len() == 0 || val.Len() == 0 {
		return nil, fmt.Errorf("nn: empty dataset (train %d, validation %d samples)", train.Len(), val.Len())
	}
	d, dv := train.Features(), val.Features()
	if dv != d {
		return nil, fmt.Errorf("nn: training samples have %d features, validation %d", d, dv)
	}
	if nr, nv := train.samples(), val.samples(); nr != train.Len() || nv != val.Len() {
		return nil, fmt.Errorf("nn: %d and %d rows for %d and %d labels", nr, nv, train.Len(), val.Len())
	}
	classes := trainClasses
	for _, ys := range [][]int{train.Y, val.Y} {
		for _, y := range ys {
			if y < 0 || y >= classes {
				return nil, fmt.Errorf("nn: label %d out of range [0,%d)", y, classes)
			}
		}
	}
	nt := NewNet(d, classes)
	rs := numpyrand.New(cfg.Seed)
	Initialize(nt.L, cfg.Init, rs)
	if cfg.InitW != nil || cfg.InitB != nil {
		if len(cfg.InitW) != classes*d || len(cfg.InitB) != classes {
			return nil, fmt.Errorf("nn: injected weights are %d and %d values, want %d×%d and %d",
				len(cfg.InitW), len(cfg.InitB), classes, d, classes)
		}
		copy(nt.L.W, cfg.InitW)
		copy(nt.L.B, cfg.InitB)
	}
	order := cfg.Order
	if order == nil {
		order = NumpyOrder(rs, train.Len())
	}
	res := &Result{
		TrainLoss: make([]float64, cfg.Iterations),
		TrainErr:  make([]float64, cfg.Iterations),
		W0:        append([]float64(nil), nt.L.W...),
		B0:        append([]float64(nil), nt.L.B...),
	}
	// Both sets go to CSR once when they compress (MNIST does): the
	// updates then skip the zero pixels and copy no images. Otherwise the
	// dense path runs.
	trX, err1 := train.sparse()
	vaX, err2 := val.sparse()
	sparse := err1 == nil && err2 == nil
	all := make([]int, val.Len())
	for i := range all {
		all[i] = i
	}
	validate := func(t int) {
		var l, e float64
		if sparse {
			l, e = nt.evaluateCSR(vaX, val.Y, all, cfg.BatchSize)
		} else {
			l, e = nt.Evaluate(val, cfg.BatchSize)
		}
		res.ValSteps = append(res.ValSteps, t)
		res.ValLoss = append(res.ValLoss, l)
		res.ValErr = append(res.ValErr, e)
	}
	ld := NewLoader(train, cfg.BatchSize, order)
	validate(0)
	for t := 1; t <= cfg.Iterations; t++ {
		if t%100 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if sparse {
			rows, y, err := ld.NextRows()
			if err != nil {
				return nil, err
			}
			res.TrainLoss[t-1], res.TrainErr[t-1] = nt.ForwardCSR(trX, rows, y)
		} else {
			x, y, err := ld.Next()
			if err != nil {
				return nil, err
			}
			res.TrainLoss[t-1], res.TrainErr[t-1] = nt.Forward(x, y)
		}
		nt.Backward()
		nt.L.Step(cfg.LR)
		if cfg.ValInterval > 0 && t%cfg.ValInterval == 0 {
			validate(t)
		}
		if cfg.Progress != nil {
			cfg.Progress(t, cfg.Iterations)
		}
	}
	res.W = nt.L.W
	res.B = nt.L.B
	res.Perms = ld.Perms()
	return res, nil
}

// trainClasses is the output width of the net Train trains: the
// homework's ten digits.
const trainClasses = 10

// InitialWeights returns the W (10×d) and B (10) that Train starts from
// with cfg on samples of d features when cfg.InitW and cfg.InitB are nil:
// the first draws of cfg.Seed's stream. Knowing them before Train returns
// lets a caller examine the start (Diagnose) while training runs.
func InitialWeights(cfg Config, d int) (w, b []float64) {
	l := NewLinear(d, trainClasses)
	Initialize(l, cfg.Init, numpyrand.New(cfg.Seed))
	return l.W, l.B
}

// Diagnostics describes the network's scores z = x·Wᵀ + bᵀ (before the
// ReLU) on a dataset; it shows why training from a U[0,1) start is slow.
type Diagnostics struct {
	// Mean, Std, Min and Max of all n×classes scores.
	LogitMean, LogitStd, LogitMin, LogitMax float64
	// MeanMaxProb is the mean over samples of the largest softmax
	// probability of the ReLU outputs; near 1 means a saturated softmax.
	MeanMaxProb float64
	// DeadFraction is the fraction of (sample, unit) pairs with z ≤ 0,
	// where the ReLU passes no gradient.
	DeadFraction float64
	// DeadUnits lists the units with z ≤ 0 on every sample: their weights
	// never change again.
	DeadUnits []int
	// Loss and Err are Evaluate's values with batch 64.
	Loss, Err float64
}

// Diagnose computes Diagnostics for weights W (classes×d) and B (classes)
// on ds. It panics if the shapes disagree.
func Diagnose(w, b []float64, ds Dataset) Diagnostics {
	classes := len(b)
	d := ds.Features()
	nt := NewNet(d, classes)
	copy(nt.L.W, w)
	copy(nt.L.B, b)
	var dg Diagnostics
	dg.LogitMin, dg.LogitMax = math.Inf(1), math.Inf(-1)
	alive := make([]bool, classes)
	var sum, sumSq, maxProb, loss, errRate float64
	dead, cnt, batches := 0, 0, 0
	n := ds.Len()
	var x []float64
	for s := 0; s < n; s += 64 {
		m := min(64, n-s)
		// One pass gives both Evaluate(ds, 64)'s batch means and the
		// logit statistics.
		x = ds.rows(s, m, x)
		z := nt.L.Forward(x, m)
		for i, v := range z {
			sum += v
			sumSq += v * v
			dg.LogitMin = min(dg.LogitMin, v)
			dg.LogitMax = max(dg.LogitMax, v)
			if v <= 0 {
				dead++
			} else {
				alive[i%classes] = true
			}
			cnt++
		}
		l, e := nt.Loss.Forward(nt.R.Forward(z), ds.Y[s:s+m])
		loss += l
		errRate += e
		batches++
		for i := 0; i < m; i++ {
			maxProb += slicesMax(nt.Loss.p[i*classes : (i+1)*classes])
		}
	}
	dg.Loss, dg.Err = loss/float64(batches), errRate/float64(batches)
	dg.LogitMean = sum / float64(cnt)
	dg.LogitStd = math.Sqrt(max(0, sumSq/float64(cnt)-dg.LogitMean*dg.LogitMean))
	dg.MeanMaxProb = maxProb / float64(n)
	dg.DeadFraction = float64(dead) / float64(cnt)
	for c, a := range alive {
		if !a {
			dg.DeadUnits = append(dg.DeadUnits, c)
		}
	}
	return dg
}

func slicesMax(x []float64) float64 {
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	return m
}
