package stages

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/inspect"
	"hw1pipe/internal/pyref"
	"hw1pipe/nn"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

var p3TrainOutputs = map[string]string{
	"train_loss": "self_NN_training_loss.pkl", "train_error": "self_NN_training_error.pkl",
	"val_loss": "self_NN_validation_loss.pkl", "val_error": "self_NN_validation_error.pkl",
	"linear": "linear.h5", "curves": "curves.json", "training_plot": "training.png",
	"validation_plot": "validation.png", "batches": "batches.npy",
}

var p3PickleKeys = []string{"train_loss", "train_error", "val_loss", "val_error"}

// p3Captured is a linear.h5 writer for tests without libhdf5: it keeps
// what it was given and writes a placeholder file.
type p3Captured struct {
	w, b       []float64
	rows, cols int
}

func (c *p3Captured) writer() p3LinearWriter {
	return p3LinearWriter{built: true, write: func(path string, w []float64, rows, cols int, b []float64) error {
		c.w, c.b, c.rows, c.cols = append([]float64(nil), w...), append([]float64(nil), b...), rows, cols
		return os.WriteFile(path, []byte("placeholder"), 0o644)
	}}
}

// p3Reference trains directly with nn.Train on the stage's inputs and
// params: what the stage's files must hold.
func p3Reference(t *testing.T, in map[string]string, p *P3TrainParams) (*p3Sets, *nn.Result) {
	t.Helper()
	env := &pipeline.Env{Inputs: in}
	sets, err := p3LoadSets(env)
	if err != nil {
		t.Fatal(err)
	}
	init, _ := nn.ParseInit(p.Init)
	res, err := nn.Train(context.Background(), sets.train, sets.val, nn.Config{
		LR: p.LR, Iterations: p.Iterations, BatchSize: p.Batch, ValInterval: p.ValEvery, Init: init, Seed: p.Seed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sets, res
}

func p3DecodeList(t *testing.T, path string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := inspect.DecodePickle(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%s holds %T, want a list", path, v)
	}
	out := make([]float64, len(l))
	for i, x := range l {
		if out[i], ok = x.(float64); !ok {
			t.Fatalf("%s[%d] is %T, want float", path, i, x)
		}
	}
	return out
}

// p3Bits reports whether a and b are equal bit for bit.
func p3Bits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// p3CheckOutputs checks every output of a p3train run against nn.Train's
// result res on the same data: the pickles (decoded with gopickle and,
// when Python is present, loaded with pickle.load), curves.json and
// batches.npy bit for bit, and the figures as PNGs.
func p3CheckOutputs(t *testing.T, env *pipeline.Env, sets *p3Sets, res *nn.Result) {
	t.Helper()
	want := map[string][]float64{
		"train_loss": res.TrainLoss, "train_error": res.TrainErr,
		"val_loss": res.ValLoss, "val_error": res.ValErr,
	}
	for _, k := range p3PickleKeys {
		if got := p3DecodeList(t, env.Output(k)); !p3Bits(got, want[k]) {
			t.Errorf("%s: gopickle reads %d values %.6g..., want %d values %.6g...", k, len(got), got[:min(3, len(got))], len(want[k]), want[k][:3])
		}
	}

	args := make([]string, len(p3PickleKeys))
	for i, k := range p3PickleKeys {
		args[i] = env.Output(k)
	}
	out := pyref.Run(t, nil, `
import json, pickle, sys
res = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        v = pickle.load(f)
    assert type(v) is list, type(v)
    assert all(type(x) is float for x in v), set(type(x) for x in v)
    res.append(v)
print(json.dumps(res))  # repr of a float round-trips exactly
`, args...)
	var py [][]float64
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatalf("%v: %.200s", err, out)
	}
	for i, k := range p3PickleKeys {
		if !p3Bits(py[i], want[k]) {
			t.Errorf("%s: pickle.load gives %d floats, not the %d trained", k, len(py[i]), len(want[k]))
		}
	}

	var c results.Curves
	p3ReadJSON(t, env.Output("curves"), &c)
	if !p3Bits(c.TrainLoss, res.TrainLoss) || !p3Bits(c.TrainError, res.TrainErr) ||
		!p3Bits(c.ValLoss, res.ValLoss) || !p3Bits(c.ValError, res.ValErr) || !reflect.DeepEqual(c.ValSteps, res.ValSteps) {
		t.Error("curves.json series differ from nn.Train's")
	}
	init := nn.Diagnose(res.W0, res.B0, sets.train)
	final := nn.Diagnose(res.W, res.B, sets.train)
	if c.NTrain != sets.train.Len() || c.NVal != sets.val.Len() || c.Passes != len(res.Perms) ||
		c.Initial.LogitMean != init.LogitMean || c.Initial.DeadFraction != init.DeadFraction ||
		c.Final.Error != final.Err || c.FinalSums.Train != final.Err ||
		c.FinalSums.Val != res.ValErr[len(res.ValErr)-1] || c.FinalSums.LastBatch != res.TrainErr[len(res.TrainErr)-1] {
		t.Errorf("curves.json diagnostics %+v %+v %+v; want initial %+v final %+v", c.Initial, c.Final, c.FinalSums, init, final)
	}

	shape, perms := p3ReadInt64s(t, env.Output("batches"))
	n := sets.train.Len()
	if !reflect.DeepEqual(shape, []int{len(res.Perms), n}) {
		t.Fatalf("batches.npy shape %v, want [%d %d]", shape, len(res.Perms), n)
	}
	for p, pm := range res.Perms {
		for i, v := range pm {
			if perms[p*n+i] != int64(v) {
				t.Fatalf("batches.npy[%d,%d] = %d, want %d", p, i, perms[p*n+i], v)
			}
		}
	}
	p3CheckPNG(t, env.Output("training_plot"))
	p3CheckPNG(t, env.Output("validation_plot"))
}

// p3CheckTrainGolden trains 200 updates on the official MNIST subsets of
// data and compares with nn_ref.py's numpy run (golden/nn/train200.json):
// the batches (as original MNIST indices) bit for bit, the losses within
// 1e-9, the error rates exactly, and the final weights within 1e-9
// (golden/nn/README.md: the matmul summation order differs).
func p3CheckTrainGolden(t *testing.T, in map[string]string, data *pipeline.Env, g *p3GoldenRun) {
	p := defaultP3TrainParams()
	p.Iterations, p.ValEvery = 200, 100
	inputs := p3Inputs(in, data)
	env, _ := p3Env(t, inputs, p3TrainOutputs)
	var cap p3Captured
	if err := newP3TrainKind(cap.writer()).Call(context.Background(), env, p); err != nil {
		t.Fatal(err)
	}
	sets, res := p3Reference(t, inputs, p)
	p3CheckOutputs(t, env, sets, res)
	if cap.rows != 10 || cap.cols != 784 || !p3Bits(cap.w, res.W) || !p3Bits(cap.b, res.B) {
		t.Errorf("linear.h5 was given %dx%d weights that differ from nn.Train's", cap.rows, cap.cols)
	}

	near := func(name string, got, want []float64) {
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, golden %d", name, len(got), len(want))
		}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-9 {
				t.Errorf("%s[%d] = %.17g, numpy %.17g", name, i, got[i], want[i])
			}
		}
	}
	near("training loss", p3DecodeList(t, env.Output("train_loss")), g.Loss)
	near("validation loss", p3DecodeList(t, env.Output("val_loss")), g.ValLoss)
	if got := p3DecodeList(t, env.Output("train_error")); !reflect.DeepEqual(got, g.Err) {
		t.Errorf("training errors differ from numpy's")
	}
	if got := p3DecodeList(t, env.Output("val_error")); !reflect.DeepEqual(got, g.ValErr) {
		t.Errorf("validation errors %v, numpy %v", got, g.ValErr)
	}
	near("W[0,150:160]", cap.w[150:160], g.W1Head)
	near("b", cap.b, g.B1)

	_, perms := p3ReadInt64s(t, env.Output("batches"))
	for u, batch := range g.Batches {
		for k, src := range batch {
			if got := sets.trainIdx[perms[u*64+k]]; got != src {
				t.Fatalf("update %d, sample %d: MNIST #%d, numpy #%d", u+1, k, got, src)
			}
		}
	}
	var c results.Curves
	p3ReadJSON(t, env.Output("curves"), &c)
	if c.Initial.DeadFraction != 0 || len(c.Initial.DeadUnits) != 0 || c.Initial.LogitMean < 40 || c.Initial.LogitMean > 65 {
		t.Errorf("uniform start: scores mean %v (nn doc: about 52), dead fraction %v", c.Initial.LogitMean, c.Initial.DeadFraction)
	}
}

// TestP3TrainSmall: several passes on a synthetic set, a batch size that
// leaves a short last batch, and a validation interval that does not
// divide the updates.
func TestP3TrainSmall(t *testing.T) {
	in := p3FakeMNIST(t, 300, 100)
	data := p3RunData(t, in, &P3DataParams{Frac: 0.5, Seed: 7, Samples: 4})
	inputs := p3Inputs(in, data)
	for _, p := range []*P3TrainParams{
		{LR: 0.1, Iterations: 25, Batch: 32, ValEvery: 10, Init: "uniform", Seed: 20},
		{LR: 0.05, Iterations: 12, Batch: 64, ValEvery: 3, Init: "gaussian", Seed: 1},
	} {
		t.Run(p.Init, func(t *testing.T) {
			env, rec := p3Env(t, inputs, p3TrainOutputs)
			var cap p3Captured
			if err := newP3TrainKind(cap.writer()).Call(context.Background(), env, p); err != nil {
				t.Fatal(err)
			}
			sets, res := p3Reference(t, inputs, p)
			if len(res.Perms) < 2 {
				t.Fatalf("only %d passes: the test means to cover several", len(res.Perms))
			}
			p3CheckOutputs(t, env, sets, res)
			if !p3Bits(cap.w, res.W) || !p3Bits(cap.b, res.B) {
				t.Error("linear.h5 was given other weights than nn.Train's")
			}
			if n := len(rec.fracs); n == 0 || rec.fracs[n-1] != 1 {
				t.Errorf("progress %v", rec.fracs)
			}
			for i := 1; i < len(rec.fracs); i++ {
				if rec.fracs[i] < rec.fracs[i-1] {
					t.Fatalf("progress goes backwards: %v", rec.fracs)
				}
			}
		})
	}
}

// TestP3TrainH5 runs the production kind. With libhdf5 (build tag hdf5)
// h5py must read w and b equal to nn.Train's weights; without it the
// stage must fail at once, before reading its inputs, saying how to build.
func TestP3TrainH5(t *testing.T) {
	p := &P3TrainParams{LR: 0.1, Iterations: 30, Batch: 16, ValEvery: 10, Init: "uniform", Seed: 20}
	if !h5.Built {
		in := map[string]string{}
		for _, k := range p3trainKind().Inputs {
			in[k] = filepath.Join(t.TempDir(), "missing.npy")
		}
		env, _ := p3Env(t, in, p3TrainOutputs)
		err := p3trainKind().Call(context.Background(), env, p)
		if err == nil || !strings.Contains(err.Error(), "-tags hdf5") || !strings.Contains(err.Error(), "make build") {
			t.Fatalf("err = %v", err)
		}
		for _, o := range env.Outputs {
			if _, err := os.Stat(o); !os.IsNotExist(err) {
				t.Errorf("%s exists after failure", o)
			}
		}
		return
	}
	in := p3FakeMNIST(t, 200, 60)
	inputs := p3Inputs(in, p3RunData(t, in, defaultP3DataParams()))
	env, _ := p3Env(t, inputs, p3TrainOutputs)
	if err := p3trainKind().Call(context.Background(), env, p); err != nil {
		t.Fatal(err)
	}
	sets, res := p3Reference(t, inputs, p)
	p3CheckOutputs(t, env, sets, res)
	out := pyref.Run(t, []string{"h5py", "numpy"}, `
import json, sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    g = f["instance"]
    w, b = g.attrs["w"], g.attrs["b"]
    print(json.dumps({"keys": sorted(g.attrs.keys()), "w": [w.dtype.str, list(w.shape), w.ravel().tolist()],
                      "b": [b.dtype.str, list(b.shape), b.ravel().tolist()]}))
`, env.Output("linear"))
	var got struct {
		Keys []string
		W, B []json.RawMessage
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %.300s", err, out)
	}
	for _, c := range []struct {
		name  string
		raw   []json.RawMessage
		shape string
		want  []float64
	}{{"w", got.W, "[10,784]", res.W}, {"b", got.B, "[10,1]", res.B}} {
		var vals []float64
		json.Unmarshal(c.raw[2], &vals)
		if string(c.raw[0]) != `"<f8"` || strings.ReplaceAll(string(c.raw[1]), " ", "") != c.shape || !p3Bits(vals, c.want) {
			t.Errorf("h5py reads %s as %s %s and %d values that differ from the trained ones", c.name, c.raw[0], c.raw[1], len(vals))
		}
	}
	if !reflect.DeepEqual(got.Keys, []string{"b", "w"}) {
		t.Errorf("attributes %v", got.Keys)
	}
}

func TestP3TrainErrors(t *testing.T) {
	in := p3FakeMNIST(t, 60, 20)
	data := p3RunData(t, in, defaultP3DataParams())
	inputs := p3Inputs(in, data)
	badIdx := map[string]string{}
	for k, v := range inputs {
		badIdx[k] = v
	}
	badIdx["val_idx"] = data.Output("train_idx") // positions up to 59 index a 20-image set
	ok := func() *P3TrainParams {
		return &P3TrainParams{LR: 0.1, Iterations: 5, Batch: 8, ValEvery: 5, Init: "uniform", Seed: 1}
	}
	with := func(f func(p *P3TrainParams)) *P3TrainParams { p := ok(); f(p); return p }
	boom := errors.New("disk full")
	cases := []struct {
		name   string
		in     map[string]string
		params *P3TrainParams
		lw     p3LinearWriter
		want   string
	}{
		{"lr", inputs, with(func(p *P3TrainParams) { p.LR = 0 }), p3LinearWriter{}, `param "lr"`},
		{"iterations", inputs, with(func(p *P3TrainParams) { p.Iterations = 0 }), p3LinearWriter{}, `param "iterations"`},
		{"batch", inputs, with(func(p *P3TrainParams) { p.Batch = -1 }), p3LinearWriter{}, `param "batch"`},
		{"val_every", inputs, with(func(p *P3TrainParams) { p.ValEvery = 0 }), p3LinearWriter{}, `param "val_every"`},
		{"init", inputs, with(func(p *P3TrainParams) { p.Init = "zeros" }), p3LinearWriter{}, `unknown init "zeros"`},
		{"no hdf5", inputs, ok(), p3LinearWriter{}, "-tags hdf5"},
		{"index out of range", badIdx, ok(), p3LinearWriter{built: true}, "outside the 20 images"},
		{"h5 ErrNotBuilt", inputs, ok(), p3LinearWriter{built: true, write: func(string, []float64, int, int, []float64) error { return h5.ErrNotBuilt }}, "-tags hdf5"},
		{"h5 failure", inputs, ok(), p3LinearWriter{built: true, write: func(string, []float64, int, int, []float64) error { return boom }}, "disk full"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, _ := p3Env(t, c.in, p3TrainOutputs)
			err := newP3TrainKind(c.lw).Call(context.Background(), env, c.params)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if c.name == "h5 failure" && (!errors.Is(err, boom) || !strings.Contains(err.Error(), env.Output("linear"))) {
				t.Errorf("err = %v: want the cause wrapped with the path", err)
			}
		})
	}
}
