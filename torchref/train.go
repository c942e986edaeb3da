package torchref

// at_manual_seed and the thread calls are defined in gotch's libtch
// (torch_api.cpp) but have no Go wrapper in v0.7.0; they link from the
// libtch objects already in the binary.

// #include <stdint.h>
// void at_manual_seed(int64_t);
// void at_set_num_threads(int);
// int at_get_num_threads(void);
// int at_grad_set_enabled(int);
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"unsafe"

	"github.com/sugarme/gotch"
	"github.com/sugarme/gotch/ts"

	"hw1pipe/internal/hugepages"
)

// reductionMean is at::Reduction::Mean, CrossEntropyLoss's default.
const reductionMean = 1

// ignoreIndex is CrossEntropyLoss's default ignore_index.
const ignoreIndex = -100

// Threads returns libtorch's intra-op thread count (torch.get_num_threads).
func Threads() int { return int(C.at_get_num_threads()) }

// Train trains the reference network on train, measuring val, as the
// package comment describes. Shapes: train.X and val.X are n×Features.
// It returns a *ConfigError or *DataError for bad arguments and wraps
// libtorch's errors.
func Train(cfg Config, train, val Dataset) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if err := train.check("train"); err != nil {
		return nil, err
	}
	if err := val.check("validation"); err != nil {
		return nil, err
	}
	// libtorch keeps grad mode and gotch's last error in thread-local
	// storage: every call must come from one OS thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if cfg.Threads > 0 {
		C.at_set_num_threads(C.int(cfg.Threads))
	}

	var s scope
	defer s.drop()

	C.at_manual_seed(C.int64_t(cfg.Seed))
	w, b, err := s.initLinear(Features, Classes)
	if err != nil {
		return nil, err
	}
	res := &Result{
		TrainLoss:  make([]float64, 0, cfg.Iterations),
		TrainError: make([]float64, 0, cfg.Iterations),
	}
	if res.InitWeight, err = float32s(w); err != nil {
		return nil, err
	}
	if res.InitBias, err = float32s(b); err != nil {
		return nil, err
	}
	if w, err = s.keep(w.SetRequiresGrad(true, false)); err != nil {
		return nil, err
	}
	if b, err = s.keep(b.SetRequiresGrad(true, false)); err != nil {
		return nil, err
	}
	opt, err := ts.Sgd(cfg.LR, 0, 0, 0, false)
	if err != nil {
		return nil, fmt.Errorf("torchref: create SGD: %w", err)
	}
	defer opt.Drop()
	if err := opt.AddParameters([]ts.Tensor{*w, *b}); err != nil {
		return nil, fmt.Errorf("torchref: SGD parameters: %w", err)
	}

	xtr, ytr, err := s.tensors(train)
	if err != nil {
		return nil, err
	}
	xva, yva, err := s.tensors(val)
	if err != nil {
		return nil, err
	}

	bt := &batcher{n: train.Len(), size: cfg.BatchSize}
	if cfg.Order == OrderShared {
		bt.next = sharedPass(cfg.Perms)
	} else {
		bt.next = pytorchPass(train.Len(), globalSeed)
	}

	validate := func(done int) error {
		// A shuffle=False DataLoader still draws its iterator's base seed.
		if _, err := globalSeed(); err != nil {
			return err
		}
		l, e, err := evaluate(xva, yva, w, b, val.Len(), cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("torchref: validation after %d updates: %w", done, err)
		}
		res.ValLoss = append(res.ValLoss, l)
		res.ValError = append(res.ValError, e)
		if cfg.Progress != nil {
			cfg.Progress(done, cfg.Iterations, l)
		}
		return nil
	}

	if err := validate(0); err != nil {
		return nil, err
	}
	for t := 1; t <= cfg.Iterations; t++ {
		idx, err := bt.Next()
		if err != nil {
			return nil, err
		}
		l, e, err := step(opt, xtr, ytr, w, b, idx)
		if err != nil {
			return nil, fmt.Errorf("torchref: update %d: %w", t, err)
		}
		res.TrainLoss = append(res.TrainLoss, l)
		res.TrainError = append(res.TrainError, e)
		if t%cfg.ValInterval == 0 {
			if err := validate(t); err != nil {
				return nil, err
			}
		}
	}
	if res.Weight, err = float32s(w); err != nil {
		return nil, err
	}
	if res.Bias, err = float32s(b); err != nil {
		return nil, err
	}
	res.Perms = bt.perms
	return res, nil
}

// Init returns fc1's initial weight (Classes×Features, row-major) and
// bias under torch.manual_seed(seed): the values of Python's
// `torch.manual_seed(seed); nn.Linear(784, 10)`. It reseeds libtorch's
// global generator.
func Init(seed int64) (w, b []float32, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var s scope
	defer s.drop()
	C.at_manual_seed(C.int64_t(seed))
	wt, bt, err := s.initLinear(Features, Classes)
	if err != nil {
		return nil, nil, err
	}
	if w, err = float32s(wt); err != nil {
		return nil, nil, err
	}
	if b, err = float32s(bt); err != nil {
		return nil, nil, err
	}
	return w, b, nil
}

// initLinear creates fc1's weight (out×in) and bias (out) as
// nn.Linear.reset_parameters does, drawing from the global generator:
// kaiming_uniform_(weight, a=√5), then bias uniform in ±1/√fan_in.
func (s *scope) initLinear(in, out int) (w, b *ts.Tensor, err error) {
	// Python floats, as torch.nn.init computes them; uniform_ casts the
	// bounds to float32, where the weight bound equals 1/√in.
	a := math.Sqrt(5)
	gain := math.Sqrt(2 / (1 + a*a))
	wb := math.Sqrt(3) * (gain / math.Sqrt(float64(in)))
	bb := 1 / math.Sqrt(float64(in))
	if w, err = s.keep(ts.Empty([]int64{int64(out), int64(in)}, gotch.Float, gotch.CPU)); err != nil {
		return nil, nil, err
	}
	if err = w.Uniform_(-wb, wb); err != nil {
		return nil, nil, fmt.Errorf("torchref: init weight: %w", err)
	}
	if b, err = s.keep(ts.Empty([]int64{int64(out)}, gotch.Float, gotch.CPU)); err != nil {
		return nil, nil, err
	}
	if err = b.Uniform_(-bb, bb); err != nil {
		return nil, nil, fmt.Errorf("torchref: init bias: %w", err)
	}
	return w, b, nil
}

// globalSeed draws like `torch.empty((), dtype=torch.int64).random_()`:
// one random64 from the global generator, mod 2⁶³.
func globalSeed() (int64, error) {
	t, err := ts.Empty([]int64{1}, gotch.Int64, gotch.CPU)
	if err != nil {
		return 0, fmt.Errorf("torchref: seed draw: %w", err)
	}
	defer t.MustDrop()
	if err := t.Random_(); err != nil {
		return 0, fmt.Errorf("torchref: seed draw: %w", err)
	}
	var v [1]int64
	if err := t.CopyData(v[:], 1); err != nil {
		return 0, fmt.Errorf("torchref: seed draw: %w", err)
	}
	return v[0], nil
}

// step does one SGD update on the samples idx and returns the batch loss
// and error measured before the update.
func step(opt *ts.COptimizer, x, y, w, b *ts.Tensor, idx []int64) (loss, errRate float64, err error) {
	var s scope
	defer s.drop()
	it, err := s.keep(ts.OfSlice(idx))
	if err != nil {
		return 0, 0, err
	}
	xb, err := s.keep(x.IndexSelect(0, it, false))
	if err != nil {
		return 0, 0, err
	}
	yb, err := s.keep(y.IndexSelect(0, it, false))
	if err != nil {
		return 0, 0, err
	}
	if err := opt.ZeroGrad(); err != nil {
		return 0, 0, err
	}
	out, lt, err := s.forward(xb, yb, w, b)
	if err != nil {
		return 0, 0, err
	}
	if err := lt.Backward(); err != nil {
		return 0, 0, err
	}
	if err := opt.Step(); err != nil {
		return 0, 0, err
	}
	return s.measure(out, lt, yb, len(idx))
}

// evaluate returns the mean over in-order batches of the batch loss and
// error of the first n samples of x, y, without recording gradients.
func evaluate(x, y, w, b *ts.Tensor, n, size int) (loss, errRate float64, err error) {
	// Not ts.GradSetEnabled: v0.7.0 reads the C int result as a Go int
	// (8 bytes), so the previous state it returns is garbage.
	prev := C.at_grad_set_enabled(0)
	defer C.at_grad_set_enabled(prev)
	var sumL, sumE float64
	batches := 0
	for lo := 0; lo < n; lo += size {
		m := min(size, n-lo)
		l, e, err := evalBatch(x, y, w, b, lo, m)
		if err != nil {
			return 0, 0, err
		}
		sumL += l
		sumE += e
		batches++
	}
	return sumL / float64(batches), sumE / float64(batches), nil
}

func evalBatch(x, y, w, b *ts.Tensor, lo, m int) (loss, errRate float64, err error) {
	var s scope
	defer s.drop()
	// index_select, not a view: like the DataLoader's collate, the batch
	// is a fresh contiguous tensor.
	idx := make([]int64, m)
	for i := range idx {
		idx[i] = int64(lo + i)
	}
	it, err := s.keep(ts.OfSlice(idx))
	if err != nil {
		return 0, 0, err
	}
	xb, err := s.keep(x.IndexSelect(0, it, false))
	if err != nil {
		return 0, 0, err
	}
	yb, err := s.keep(y.IndexSelect(0, it, false))
	if err != nil {
		return 0, 0, err
	}
	out, lt, err := s.forward(xb, yb, w, b)
	if err != nil {
		return 0, 0, err
	}
	return s.measure(out, lt, yb, m)
}

// forward returns relu(linear(x, w, b)) and its mean cross-entropy loss.
func (s *scope) forward(x, y, w, b *ts.Tensor) (out, loss *ts.Tensor, err error) {
	lin, err := s.keep(ts.Linear(x, w, b))
	if err != nil {
		return nil, nil, err
	}
	if out, err = s.keep(lin.Relu(false)); err != nil {
		return nil, nil, err
	}
	if loss, err = s.keep(out.CrossEntropyLoss(y, ts.None, reductionMean, ignoreIndex, 0, false)); err != nil {
		return nil, nil, err
	}
	return out, loss, nil
}

// measure reads the batch loss and the error rate (argmax ≠ label)/m.
func (s *scope) measure(out, loss, y *ts.Tensor, m int) (l, e float64, err error) {
	var lv [1]float32
	if err := loss.CopyData(lv[:], 1); err != nil {
		return 0, 0, err
	}
	pred, err := s.keep(out.Argmax([]int64{1}, false, false))
	if err != nil {
		return 0, 0, err
	}
	ne, err := s.keep(pred.NeTensor(y, false))
	if err != nil {
		return 0, 0, err
	}
	cnt, err := s.keep(ne.Sum(gotch.Int64, false))
	if err != nil {
		return 0, 0, err
	}
	var cv [1]int64
	if err := cnt.CopyData(cv[:], 1); err != nil {
		return 0, 0, err
	}
	return float64(lv[0]), float64(cv[0]) / float64(m), nil
}

// tensors copies d into a n×Features float32 tensor and an int64 label
// tensor.
func (s *scope) tensors(d Dataset) (x, y *ts.Tensor, err error) {
	// The samples are written into the tensor's own memory: ts.OfSlice
	// encodes each float through encoding/binary, and even ts.OfDataSize
	// copies twice (into C memory, then into a zeroed tensor); for the
	// 94 MB training set those copies and their page faults cost more
	// than libtorch's start. An empty tensor is contiguous and row-major,
	// as at_tensor_of_data's is.
	n := d.Len()
	if x, err = s.keep(ts.Empty([]int64{int64(n), Features}, gotch.Float, gotch.CPU)); err != nil {
		return nil, nil, err
	}
	ptr, err := x.DataPtr()
	if err != nil {
		return nil, nil, fmt.Errorf("torchref: libtorch: %w", err)
	}
	dst := unsafe.Slice((*float32)(ptr), n*Features)
	hugepages.Advise(unsafe.Slice((*byte)(ptr), 4*len(dst)))
	d.fill(dst)
	if y, err = s.keep(ts.OfSlice(d.Y)); err != nil {
		return nil, nil, err
	}
	return x, y, nil
}

// float32s copies a float32 tensor's values.
func float32s(t *ts.Tensor) ([]float32, error) {
	v := make([]float32, t.Numel())
	if err := t.CopyData(v, t.Numel()); err != nil {
		return nil, fmt.Errorf("torchref: read tensor: %w", err)
	}
	return v, nil
}

// scope owns the tensors of one computation: gotch v0.7.0 never frees a
// tensor by itself.
type scope struct{ owned []*ts.Tensor }

// keep records t (when err is nil) for drop and passes both through,
// wrapping a libtorch error.
func (s *scope) keep(t *ts.Tensor, err error) (*ts.Tensor, error) {
	if err != nil {
		return nil, fmt.Errorf("torchref: libtorch: %w", err)
	}
	s.owned = append(s.owned, t)
	return t, nil
}

func (s *scope) drop() {
	for i := len(s.owned) - 1; i >= 0; i-- {
		s.owned[i].MustDrop()
	}
	s.owned = nil
}
