package stages

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/mnist"
	"hw1pipe/pipeline"
	"hw1pipe/results"
)

// p3Golden is nn_ref.py's run on the real MNIST (golden/nn/README.md):
// data seed 20, seed 20, 200 updates, validation every 100.
const p3GoldenPath = "../golden/nn/train200.json"

type p3GoldenRun struct {
	TrainCounts     []int     `json:"train_counts"`
	ValCounts       []int     `json:"val_counts"`
	TrainSubsetSHA  string    `json:"train_subset_sha256"`
	ValSubsetSHA    string    `json:"val_subset_sha256"`
	TrainSubsetHead []int     `json:"train_subset_head"`
	ValSubsetHead   []int     `json:"val_subset_head"`
	Batches         [][]int   `json:"batches"`
	W1Head          []float64 `json:"w1_head"`
	B1              []float64 `json:"b1"`
	Loss            []float64 `json:"loss"`
	Err             []float64 `json:"err"`
	ValSteps        []int     `json:"val_steps"`
	ValLoss         []float64 `json:"val_loss"`
	ValErr          []float64 `json:"val_err"`
}

func p3ReadGolden(t *testing.T) *p3GoldenRun {
	t.Helper()
	b, err := os.ReadFile(p3GoldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var g p3GoldenRun
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

var p3MNISTKeys = []string{"train_images", "train_labels", "test_images", "test_labels"}

// p3Env returns an Env reading in and writing the given outputs (key ->
// file name) into a fresh temporary directory.
func p3Env(t *testing.T, in map[string]string, outs map[string]string) (*pipeline.Env, *mnistRecorder) {
	t.Helper()
	dir := t.TempDir()
	rec := &mnistRecorder{}
	env := &pipeline.Env{Stage: "p3", Inputs: in, Outputs: map[string]string{}, Reporter: rec}
	for k, name := range outs {
		env.Outputs[k] = filepath.Join(dir, name)
	}
	return env, rec
}

var p3DataOutputs = map[string]string{
	"train_idx": "train_idx.npy", "val_idx": "val_idx.npy", "samples": "samples.png", "summary": "summary.json",
}

// p3WriteMNIST writes the four arrays as the mnist kind would and returns
// the input map.
func p3WriteMNIST(t *testing.T, trX []uint8, trY []int64, teX []uint8, teY []int64) map[string]string {
	t.Helper()
	dir := t.TempDir()
	in := map[string]string{}
	for _, w := range []struct {
		name  string
		shape []int
		data  any
	}{
		{"train_images", []int{len(trY), p3Pixels}, trX},
		{"train_labels", []int{len(trY)}, trY},
		{"test_images", []int{len(teY), p3Pixels}, teX},
		{"test_labels", []int{len(teY)}, teY},
	} {
		in[w.name] = filepath.Join(dir, w.name+".npy")
		if err := npy.WriteFile(in[w.name], w.shape, w.data); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// p3FakeMNIST writes a small synthetic data set: image i of each split
// has label (7i+i/3)%10 and a blob of bright pixels whose place depends
// on the label, over a sparse pseudo-random background, so that the net
// can learn something and most pixels are 0 as in MNIST.
func p3FakeMNIST(t *testing.T, nTrain, nTest int) map[string]string {
	t.Helper()
	gen := func(n, salt int) ([]uint8, []int64) {
		pix := make([]uint8, n*p3Pixels)
		lab := make([]int64, n)
		for i := range lab {
			c := (7*i + i/3) % 10
			lab[i] = int64(c)
			for j := 0; j < p3Pixels; j++ {
				h := (i+salt)*7919 + j*104729
				if h%11 == 0 {
					pix[i*p3Pixels+j] = uint8(h % 256)
				}
				if j/p3Side >= 2*c && j/p3Side < 2*c+6 && j%p3Side >= 8 && j%p3Side < 20 {
					pix[i*p3Pixels+j] = uint8(150 + (i+j)%100)
				}
			}
		}
		return pix, lab
	}
	trX, trY := gen(nTrain, 0)
	teX, teY := gen(nTest, 1)
	return p3WriteMNIST(t, trX, trY, teX, teY)
}

// p3RealMNIST writes the official MNIST (from the GoMNIST module in the
// module cache) as the mnist kind would and returns the input map. It
// skips when the module is unavailable.
func p3RealMNIST(t *testing.T) map[string]string {
	t.Helper()
	src, err := (&mnist.ModuleSource{Module: mnist.DefaultModule}).Dir(context.Background())
	if err != nil {
		t.Skipf("GoMNIST module unavailable: %v", err)
	}
	src = filepath.Join(src, "data")
	read := func(images, labels string) ([]uint8, []int64) {
		b, err := os.ReadFile(filepath.Join(src, images))
		if err != nil {
			t.Fatal(err)
		}
		pix, _, _, _, err := mnist.DecodeImages(images, b)
		if err != nil {
			t.Fatal(err)
		}
		if b, err = os.ReadFile(filepath.Join(src, labels)); err != nil {
			t.Fatal(err)
		}
		lab, err := mnist.DecodeLabels(labels, b)
		if err != nil {
			t.Fatal(err)
		}
		return pix, lab
	}
	trX, trY := read(mnist.TrainImages, mnist.TrainLabels)
	teX, teY := read(mnist.TestImages, mnist.TestLabels)
	return p3WriteMNIST(t, trX, trY, teX, teY)
}

// p3CheckPNG checks that path is a PNG image of a plausible size.
func p3CheckPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err != nil || cfg.Width < 100 || cfg.Height < 100 {
		t.Errorf("%s: %v %+v", path, err, cfg)
	}
}

// p3RunData runs p3data with params on in and returns its env.
func p3RunData(t *testing.T, in map[string]string, params *P3DataParams) *pipeline.Env {
	t.Helper()
	env, _ := p3Env(t, in, p3DataOutputs)
	if err := p3dataKind().Call(context.Background(), env, params); err != nil {
		t.Fatal(err)
	}
	return env
}

// p3Inputs is the input map of p3gradcheck and p3train: the mnist files
// plus p3data's indices.
func p3Inputs(in map[string]string, data *pipeline.Env) map[string]string {
	out := map[string]string{"train_idx": data.Output("train_idx"), "val_idx": data.Output("val_idx")}
	for _, k := range p3MNISTKeys {
		out[k] = in[k]
	}
	return out
}

func p3ReadInt64s(t *testing.T, path string) ([]int, []int64) {
	t.Helper()
	a, err := npy.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Int64s()
	if err != nil {
		t.Fatal(err)
	}
	return a.Shape, v
}

func p3SHA(v []int64) string {
	b := make([]byte, 0, 8*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func p3ReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestP3Kinds(t *testing.T) {
	mn := []string{"train_images", "train_labels", "test_images", "test_labels"}
	all := append(append([]string(nil), mn...), "train_idx", "val_idx")
	cases := []struct {
		kind     pipeline.Kind
		name     string
		inputs   []string
		outputs  []string
		got      any
		defaults any
	}{
		{p3dataKind(), "p3data", mn, []string{"train_idx", "val_idx", "samples", "summary"},
			defaultP3DataParams(), &P3DataParams{Frac: 0.5, Seed: 20, Samples: 4}},
		{p3gradcheckKind(), "p3gradcheck", all, []string{"report"},
			defaultP3GradCheckParams(), &P3GradCheckParams{Entries: 10, Outputs: 5, Epsilon: 1e-4, Tol: 1e-6, Init: "uniform", Seed: 20}},
		{p3trainKind(), "p3train", all, []string{"train_loss", "train_error", "val_loss", "val_error",
			"linear", "curves", "training_plot", "validation_plot", "batches"},
			defaultP3TrainParams(), &P3TrainParams{LR: 0.1, Iterations: 10000, Batch: 64, ValEvery: 1000, Init: "uniform", Seed: 20}},
	}
	reg, err := pipeline.NewRegistry(Kinds()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := c.kind
			if k.Name != c.name || k.Version == "" || k.Doc == "" || !reflect.DeepEqual(k.Inputs, c.inputs) || !reflect.DeepEqual(k.Outputs, c.outputs) {
				t.Errorf("kind %+v", k)
			}
			if p := c.got; !reflect.DeepEqual(p, c.defaults) {
				t.Errorf("defaults %+v, want %+v", p, c.defaults)
			}
			if _, ok := reg.Lookup(c.name); !ok {
				t.Errorf("Kinds() lacks %s", c.name)
			}
		})
	}
}

// TestP3MNIST runs p3data on the official MNIST and compares its subsets
// with nn_ref.py's (golden/nn/train200.json: counts, sha256 of the int64
// indices, first indices), and checks with numpy that the files load and
// that the drawn samples are RandomState(20).choice(30000, 4,
// replace=False). Then it trains on them (p3CheckTrainGolden).
func TestP3MNIST(t *testing.T) {
	in := p3RealMNIST(t)
	g := p3ReadGolden(t)
	env := p3RunData(t, in, defaultP3DataParams())
	t.Run("train200", func(t *testing.T) { p3CheckTrainGolden(t, in, env, g) })

	for _, c := range []struct {
		key    string
		n      int
		sha    string
		head   []int
		counts []int
	}{
		{"train_idx", 30000, g.TrainSubsetSHA, g.TrainSubsetHead, g.TrainCounts},
		{"val_idx", 5000, g.ValSubsetSHA, g.ValSubsetHead, g.ValCounts},
	} {
		shape, v := p3ReadInt64s(t, env.Output(c.key))
		if !reflect.DeepEqual(shape, []int{c.n}) || p3SHA(v) != c.sha {
			t.Errorf("%s: shape %v sha256 %s, want [%d] %s", c.key, shape, p3SHA(v), c.n, c.sha)
		}
		for i, h := range c.head {
			if v[i] != int64(h) {
				t.Errorf("%s[%d] = %d, want %d", c.key, i, v[i], h)
			}
		}
	}
	var sum results.Subsets
	p3ReadJSON(t, env.Output("summary"), &sum)
	if sum.NTrainSource != 60000 || sum.NValSource != 10000 || sum.NTrain != 30000 || sum.NVal != 5000 ||
		!reflect.DeepEqual(sum.TrainCounts, g.TrainCounts) || !reflect.DeepEqual(sum.ValCounts, g.ValCounts) ||
		sum.Frac != 0.5 || sum.Seed != 20 || len(sum.Samples) != 4 {
		t.Errorf("summary %+v", sum)
	}
	p3CheckPNG(t, env.Output("samples"))

	out := pyref.Run(t, []string{"numpy"}, `
import json, sys, numpy as np
tr = np.load(sys.argv[1]); va = np.load(sys.argv[2]); y = np.load(sys.argv[3])
pos = np.random.RandomState(20).choice(len(tr), 4, replace=False)
print(json.dumps({"dtypes": [tr.dtype.str, va.dtype.str], "pos": pos.tolist(),
                  "src": tr[pos].tolist(), "lab": y[tr[pos]].tolist(),
                  "counts": np.bincount(y[tr], minlength=10).tolist()}))
`, env.Output("train_idx"), env.Output("val_idx"), in["train_labels"])
	var py struct {
		Dtypes        []string
		Pos, Src, Lab []int
		Counts        []int
	}
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !reflect.DeepEqual(py.Dtypes, []string{"<i8", "<i8"}) || !reflect.DeepEqual(py.Counts, g.TrainCounts) {
		t.Errorf("numpy sees %+v", py)
	}
	for i, s := range sum.Samples {
		if s.Position != py.Pos[i] || s.Source != py.Src[i] || s.Label != py.Lab[i] {
			t.Errorf("sample %d = %+v, numpy: position %d source %d label %d", i, s, py.Pos[i], py.Src[i], py.Lab[i])
		}
	}
}

// TestP3DataSmall: on a synthetic set the counts follow nn.ClassCounts'
// rounding, the subsets are sorted, distinct and of the right labels.
func TestP3DataSmall(t *testing.T) {
	in := p3FakeMNIST(t, 203, 51)
	for _, frac := range []float64{0.5, 0.25, 1} {
		t.Run(strconv.FormatFloat(frac, 'g', -1, 64), func(t *testing.T) {
			env := p3RunData(t, in, &P3DataParams{Frac: frac, Seed: 3, Samples: 6})
			var sum results.Subsets
			p3ReadJSON(t, env.Output("summary"), &sum)
			for _, c := range []struct {
				key, labels string
				n           int
				counts      []int
			}{{"train_idx", "train_labels", 203, sum.TrainCounts}, {"val_idx", "test_labels", 51, sum.ValCounts}} {
				_, idx := p3ReadInt64s(t, env.Output(c.key))
				_, lab := p3ReadInt64s(t, in[c.labels])
				if want := int(float64(c.n)*frac + 0.5); len(idx) != want {
					t.Errorf("%s: %d indices, want %d", c.key, len(idx), want)
				}
				got := make([]int, 10)
				for i, j := range idx {
					if i > 0 && j <= idx[i-1] {
						t.Fatalf("%s not strictly increasing at %d", c.key, i)
					}
					got[lab[j]]++
				}
				if !reflect.DeepEqual(got, c.counts) {
					t.Errorf("%s: counts %v, summary says %v", c.key, got, c.counts)
				}
			}
			if len(sum.Samples) != 6 {
				t.Errorf("samples %+v", sum.Samples)
			}
			p3CheckPNG(t, env.Output("samples"))
		})
	}
}

func TestP3DataErrors(t *testing.T) {
	good := p3FakeMNIST(t, 40, 20)
	badLabel := p3WriteMNIST(t, make([]uint8, 3*p3Pixels), []int64{1, 12, 3}, make([]uint8, p3Pixels), []int64{0})
	short := map[string]string{}
	for k, v := range good {
		short[k] = v
	}
	short["train_labels"] = good["test_labels"]
	cases := []struct {
		name   string
		in     map[string]string
		params *P3DataParams
		want   string
	}{
		{"frac 0", good, &P3DataParams{Frac: 0, Seed: 1, Samples: 4}, `param "frac"`},
		{"frac 1.5", good, &P3DataParams{Frac: 1.5, Seed: 1, Samples: 4}, `param "frac"`},
		{"no samples", good, &P3DataParams{Frac: 0.5, Seed: 1, Samples: 0}, `param "samples"`},
		{"too many samples", good, &P3DataParams{Frac: 0.5, Seed: 1, Samples: 21}, "has only 20 images"},
		{"label 12", badLabel, defaultP3DataParams(), "label 12 of sample 1 is not a digit"},
		{"count mismatch", short, defaultP3DataParams(), "has 40 images but"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, _ := p3Env(t, c.in, p3DataOutputs)
			err := p3dataKind().Call(context.Background(), env, c.params)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			for _, p := range env.Outputs {
				if _, err := os.Stat(p); !os.IsNotExist(err) {
					t.Errorf("%s exists after failure", p)
				}
			}
		})
	}
}
