package stages

import (
	"bytes"
	"context"
	"crypto/sha256"
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

// p1Env returns an Env whose inputs are in (key -> path) and whose outputs
// are files named after their keys (with the given extensions) in a fresh
// temporary directory.
func p1Env(t *testing.T, in map[string]string, outs map[string]string) (*pipeline.Env, *mnistRecorder) {
	t.Helper()
	dir := t.TempDir()
	rec := &mnistRecorder{}
	env := &pipeline.Env{Stage: "p1", Inputs: in, Outputs: map[string]string{}, Reporter: rec}
	for k, ext := range outs {
		env.Outputs[k] = filepath.Join(dir, k+ext)
	}
	return env, rec
}

var p1DataOutputs = map[string]string{
	"x_train": ".npy", "y_train": ".npy", "x_val": ".npy", "y_val": ".npy",
	"digit": ".png", "digit_resized": ".png", "summary": ".json",
}

// p1MNISTInputs maps the mnist kind's output keys to files in dir.
func p1MNISTInputs(dir string) map[string]string {
	m := map[string]string{}
	for _, k := range []string{"train_images", "train_labels", "test_images", "test_labels"} {
		m[k] = filepath.Join(dir, k+".npy")
	}
	return m
}

// p1SyntheticInputs writes the synthetic data set of
// golden/p1/p1data_ref.py (function synthetic) as the mnist kind would.
func p1SyntheticInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	const nTrain, nTest = 600, 100
	pix := make([]uint8, (nTrain+nTest)*784)
	lab := make([]int64, nTrain+nTest)
	for i := range lab {
		for j := 0; j < 784; j++ {
			pix[i*784+j] = uint8((31*i + 7*j + (i*j)%13) % 256)
		}
		lab[i] = int64((7*i + i/3) % 10)
	}
	p1WriteInputs(t, dir, pix[:nTrain*784], lab[:nTrain], pix[nTrain*784:], lab[nTrain:])
	return dir
}

func p1WriteInputs(t *testing.T, dir string, trX []uint8, trY []int64, teX []uint8, teY []int64) {
	t.Helper()
	for _, w := range []struct {
		name  string
		shape []int
		data  any
	}{
		{"train_images", []int{len(trY), 784}, trX},
		{"train_labels", []int{len(trY)}, trY},
		{"test_images", []int{len(teY), 784}, teX},
		{"test_labels", []int{len(teY)}, teY},
	} {
		if err := npy.WriteFile(filepath.Join(dir, w.name+".npy"), w.shape, w.data); err != nil {
			t.Fatal(err)
		}
	}
}

// p1RealInputs writes the first nTrain training and nTest test images of
// the official MNIST files (from the GoMNIST module in the module cache) as
// the mnist kind would. It skips the test when the module is unavailable.
func p1RealInputs(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	src, err := (&mnist.ModuleSource{Module: mnist.DefaultModule}).Dir(context.Background())
	if err != nil {
		t.Skipf("GoMNIST module unavailable: %v", err)
	}
	src = filepath.Join(src, "data")
	read := func(images, labels string, n int) ([]uint8, []int64) {
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
		return pix[:n*784], lab[:n]
	}
	dir := t.TempDir()
	trX, trY := read(mnist.TrainImages, mnist.TrainLabels, nTrain)
	teX, teY := read(mnist.TestImages, mnist.TestLabels, nTest)
	p1WriteInputs(t, dir, trX, trY, teX, teY)
	return dir
}

func p1Sha(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func p1ReadSummary(t *testing.T, path string) results.Split {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s results.Split
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// p1CheckPNG checks that path is a PNG image.
func p1CheckPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err != nil || cfg.Width < 50 || cfg.Height < 50 {
		t.Errorf("%s: %v %+v", path, err, cfg)
	}
}

func TestP1DataKind(t *testing.T) {
	k := p1dataKind()
	if k.Name != "p1data" || k.Version == "" ||
		!reflect.DeepEqual(k.Inputs, []string{"train_images", "train_labels", "test_images", "test_labels"}) ||
		len(k.Outputs) != len(p1DataOutputs) {
		t.Errorf("kind %+v", k)
	}
	want := &P1DataParams{Num: 10000, Seed: 0, Size: 14, TestSize: 0.2, SplitSeed: 42}
	if p := defaultP1DataParams(); !reflect.DeepEqual(p, want) {
		t.Errorf("defaults %+v", p)
	}
	requireRegistered(t, "p1data")
}

// TestP1DataGolden runs the kind on the synthetic data set and compares the
// .npy bytes with the sha256 of the files numpy 1.24.2 / OpenCV 4.6.0 /
// scikit-learn 1.2.1 wrote for the same input
// (golden/p1/p1data_synthetic.json, made by golden/p1/p1data_ref.py golden).
// np.save and npy.Write give the same bytes, so equal hashes mean
// bit-identical arrays.
func TestP1DataGolden(t *testing.T) {
	b, err := os.ReadFile("../golden/p1/p1data_synthetic.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Inputs map[string]string
		Cases  []struct {
			Num         int
			Seed        uint32
			Size        int
			TestSize    float64 `json:"test_size"`
			SplitSeed   uint32  `json:"split_seed"`
			ScalePixels bool    `json:"scale_pixels"`
			Sha256      map[string]string
			YTrainHead  []int64 `json:"y_train_head"`
		}
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	in := p1MNISTInputs(p1SyntheticInputs(t))
	for k, want := range g.Inputs {
		if got := p1Sha(t, in[k]); got != want {
			t.Fatalf("synthetic input %s differs from the golden's: %s, want %s", k, got, want)
		}
	}
	for _, c := range g.Cases {
		name := "num" + strconv.Itoa(c.Num) + "_size" + strconv.Itoa(c.Size)
		t.Run(name, func(t *testing.T) {
			p := &P1DataParams{Num: c.Num, Seed: c.Seed, Size: c.Size, TestSize: c.TestSize, SplitSeed: c.SplitSeed, ScalePixels: c.ScalePixels}
			env, rec := p1Env(t, in, p1DataOutputs)
			if err := p1dataKind().Call(context.Background(), env, p); err != nil {
				t.Fatal(err)
			}
			for k, want := range c.Sha256 {
				if got := p1Sha(t, env.Output(k)); got != want {
					t.Errorf("%s: sha256 %s, numpy's %s", k, got, want)
				}
			}
			a, err := npy.ReadFile(env.Output("y_train"))
			if err != nil {
				t.Fatal(err)
			}
			yTr, _ := a.Int64s()
			if !reflect.DeepEqual(yTr[:len(c.YTrainHead)], c.YTrainHead) {
				t.Errorf("y_train head %v, want %v", yTr[:10], c.YTrainHead)
			}
			a, err = npy.ReadFile(env.Output("x_train"))
			if err != nil {
				t.Fatal(err)
			}
			xTr, _ := a.Float64s()
			s := p1ReadSummary(t, env.Output("summary"))
			nVal := (c.Num*int(c.TestSize*100) + 99) / 100 // ceil for these cases
			per := c.Num / 10
			if s.NSource != 700 || s.PerClass != per || s.Features != c.Size*c.Size ||
				s.NTrain != c.Num-nVal || s.NVal != nVal || s.ShownIndex != 0 || s.ShownLabel != yTr[0] {
				t.Errorf("summary %+v", s)
			}
			for d := 0; d < 10; d++ {
				if s.TrainCounts[d]+s.ValCounts[d] != per {
					t.Errorf("digit %d: %d train + %d val, want %d", d, s.TrainCounts[d], s.ValCounts[d], per)
				}
			}
			lo, hi := xTr[0], xTr[0]
			for _, v := range xTr {
				lo, hi = min(lo, v), max(hi, v)
			}
			if lo < s.PixelMin || hi > s.PixelMax || (c.ScalePixels && s.PixelMax > 1) || (!c.ScalePixels && s.PixelMax <= 1) {
				t.Errorf("pixel range [%v,%v], summary [%v,%v]", lo, hi, s.PixelMin, s.PixelMax)
			}
			// The shown source image, resized, is x_train[0]; with the
			// synthetic formula its first pixel (exact 2x: mean of the top
			// left 2x2 block) is known.
			if c.Size == 14 {
				i := s.ShownSource
				px := func(j int) float64 { return float64((31*i + 7*j + (i*j)%13) % 256) }
				if want := (((px(0) + px(1)) + px(28)) + px(29)) * 0.25; xTr[0] != want {
					t.Errorf("x_train[0][0] = %v, want %v from source image %d", xTr[0], want, i)
				}
			}
			p1CheckPNG(t, env.Output("digit"))
			p1CheckPNG(t, env.Output("digit_resized"))
			if n := len(rec.fracs); n == 0 || rec.fracs[n-1] != 1 {
				t.Errorf("progress %v", rec.fracs)
			}
		})
	}
}

// TestP1DataPyrefMNIST runs the kind and golden/p1/p1data_ref.py on the
// same subset of the real MNIST files and requires byte-identical .npy
// files.
func TestP1DataPyrefMNIST(t *testing.T) {
	pyref.Require(t, "numpy", "cv2", "sklearn")
	in := p1RealInputs(t, 1500, 500)
	cases := []struct {
		name string
		p    P1DataParams
	}{
		{"default_steps", P1DataParams{Num: 500, Seed: 0, Size: 14, TestSize: 0.2, SplitSeed: 42}},
		{"size9_scaled", P1DataParams{Num: 300, Seed: 123, Size: 9, TestSize: 0.3, SplitSeed: 1, ScalePixels: true, Show: 5}},
	}
	// One Python process computes every case (imports dominate).
	type refCase struct {
		Outdir      string  `json:"outdir"`
		Num         int     `json:"num"`
		Seed        uint32  `json:"seed"`
		Size        int     `json:"size"`
		TestSize    float64 `json:"test_size"`
		SplitSeed   uint32  `json:"split_seed"`
		ScalePixels bool    `json:"scale_pixels"`
	}
	var refs []refCase
	for _, c := range cases {
		p := c.p
		refs = append(refs, refCase{t.TempDir(), p.Num, p.Seed, p.Size, p.TestSize, p.SplitSeed, p.ScalePixels})
	}
	cfg, _ := json.Marshal(refs)
	pyref.RunFile(t, []string{"numpy", "cv2", "sklearn"}, "../golden/p1/p1data_ref.py", "cases", in, string(cfg))
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			env, _ := p1Env(t, p1MNISTInputs(in), p1DataOutputs)
			if err := p1dataKind().Call(context.Background(), env, &p); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"x_train", "y_train", "x_val", "y_val"} {
				if got, want := p1Sha(t, env.Output(k)), p1Sha(t, filepath.Join(refs[i].Outdir, k+".npy")); got != want {
					t.Errorf("%s differs from the Python reference", k)
				}
			}
			s := p1ReadSummary(t, env.Output("summary"))
			if s.NSource != 2000 || s.ShownIndex != p.Show {
				t.Errorf("summary %+v", s)
			}
		})
	}
}

// TestP1DataErrors: bad params and data come back as errors naming the
// problem, and no output is written.
func TestP1DataErrors(t *testing.T) {
	in := p1MNISTInputs(p1SyntheticInputs(t))
	for _, c := range []struct {
		name string
		p    P1DataParams
		want string
	}{
		{"num_not_multiple", P1DataParams{Num: 305, Size: 14, TestSize: 0.2}, "multiple of 10"},
		{"too_few_members", P1DataParams{Num: 1000, Size: 14, TestSize: 0.2}, "subsample 100 per digit"},
		{"test_size", P1DataParams{Num: 300, Size: 14, TestSize: 1}, "test_size"},
		{"show", P1DataParams{Num: 300, Size: 14, TestSize: 0.2, Show: 240}, "show"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			env, _ := p1Env(t, in, p1DataOutputs)
			err := p1dataKind().Call(context.Background(), env, &p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			for _, path := range env.Outputs {
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Errorf("%s exists after failure", path)
				}
			}
		})
	}
	// Labels that do not match the images.
	bad := p1MNISTInputs(t.TempDir())
	p1WriteInputs(t, filepath.Dir(bad["train_images"]), make([]uint8, 2*784), []int64{1, 2}, make([]uint8, 784), []int64{0})
	if err := npy.WriteFile(bad["train_images"], []int{3, 784}, make([]uint8, 3*784)); err != nil {
		t.Fatal(err)
	}
	env, _ := p1Env(t, bad, p1DataOutputs)
	if err := p1dataKind().Call(context.Background(), env, defaultP1DataParams()); err == nil || !strings.Contains(err.Error(), "3 images but") {
		t.Errorf("err = %v", err)
	}
}
