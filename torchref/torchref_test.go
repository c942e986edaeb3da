package torchref_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/torchrand"
	"hw1pipe/torchref"
	"hw1pipe/torchref/internal/mnisttest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	mnisttest.Cleanup()
	os.Exit(code)
}

// TestInitMatchesPython: fc1's initial parameters are bit-identical to
// Python's `torch.manual_seed(seed); nn.Linear(784, 10)` (Debian
// python3-torch 1.13, run live) and to torchrand's pure-Go model of the
// generator (docs/numerics.md#torch-generator).
func TestInitMatchesPython(t *testing.T) {
	const script = `
import sys, torch
torch.manual_seed(int(sys.argv[1]))
l = torch.nn.Linear(784, 10)
sys.stdout.buffer.write(l.weight.detach().numpy().astype('<f4').tobytes())
sys.stdout.buffer.write(l.bias.detach().numpy().astype('<f4').tobytes())
`
	for _, seed := range []int64{20, 0, 123456789} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			w, b, err := torchref.Init(seed)
			if err != nil {
				t.Fatal(err)
			}
			raw := pyref.Run(t, []string{"torch"}, script, strconv.FormatInt(seed, 10))
			py := f32s(t, raw)
			if len(py) != len(w)+len(b) {
				t.Fatalf("python gave %d values, want %d", len(py), len(w)+len(b))
			}
			assertBits(t, "weight vs python", w, py[:len(w)])
			assertBits(t, "bias vs python", b, py[len(w):])
			mw, mb := torchrand.New(uint64(seed)).LinearInit(torchref.Features, torchref.Classes)
			assertBits(t, "weight vs torchrand", w, mw)
			assertBits(t, "bias vs torchrand", b, mb)
		})
	}
	// docs/numerics.md#torch-test-vectors: torch.manual_seed(20); nn.Linear(784,10).
	w, _, err := torchref.Init(20)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		i    int
		want float64
	}{{0, 0.004391683265566826}, {1, -0.023043114691972733}, {2, 0.022479530423879623}, {9*784 + 783, 0.02737618423998356}} {
		if float64(w[c.i]) != c.want {
			t.Errorf("W flat[%d] = %v, docs/numerics.md#torch-test-vectors says %v", c.i, w[c.i], c.want)
		}
	}
}

// reference is golden/torchref/reference.json (see make_golden.py).
type reference struct {
	Torch      string            `json:"torch"`
	Iterations int               `json:"iterations"`
	NTrain     int               `json:"n_train"`
	DataSHA256 map[string]string `json:"data_sha256"`
	InitWeight string            `json:"init_fc1_weight_sha256_f32le"`
	PassOrders []struct {
		SHA256 string `json:"sha256_int64le"`
		Head   []int  `json:"head"`
	} `json:"pass_orders"`
}

var (
	runOnce sync.Once
	runRes  *torchref.Result
	runErr  error
	ref     reference
)

// trained runs Train once on the MNIST subset for as many updates as the
// golden reference (1,407: three full passes), PyTorch order, seed 20.
func trained(t *testing.T) (*torchref.Result, reference) {
	t.Helper()
	tr, va := mnisttest.Load(t)
	runOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join(mnisttest.GoldenDir(), "reference.json"))
		if err != nil {
			runErr = err
			return
		}
		if runErr = json.Unmarshal(b, &ref); runErr != nil {
			return
		}
		cfg := torchref.DefaultConfig()
		cfg.Iterations = ref.Iterations
		runRes, runErr = torchref.Train(cfg, tr, va)
	})
	if runErr != nil {
		t.Fatal(runErr)
	}
	return runRes, ref
}

// TestDataMatchesGolden guards the comparison below: the regenerated data
// set is the one the golden losses were computed on.
func TestDataMatchesGolden(t *testing.T) {
	_, ref := trained(t)
	dir := mnisttest.Dir(t)
	for name, want := range ref.DataSHA256 {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha(b); got != want {
			t.Errorf("%s: sha256 %s, golden made from %s", name, got, want)
		}
	}
}

// TestOrderMatchesDataLoader: the first three passes' index order equals
// what Python's DataLoader(shuffle=True) visited under torch.manual_seed(20)
// in the same loop (validation passes included), golden/torchref.
func TestOrderMatchesDataLoader(t *testing.T) {
	res, ref := trained(t)
	if len(res.Perms) < len(ref.PassOrders) || len(ref.PassOrders) != 3 {
		t.Fatalf("%d passes run, golden has %d (want 3)", len(res.Perms), len(ref.PassOrders))
	}
	for p, want := range ref.PassOrders {
		got := res.Perms[p]
		buf := make([]byte, 0, 8*len(got))
		for _, i := range got {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(i))
		}
		if s := sha(buf); s != want.SHA256 {
			t.Errorf("pass %d: order sha256 %s, python %s (head %v, python %v)", p, s, want.SHA256, got[:8], want.Head)
		}
	}
	buf := make([]byte, 0, 4*len(res.InitWeight))
	for _, v := range res.InitWeight {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
	}
	if s := sha(buf); s != ref.InitWeight {
		t.Errorf("init weight sha256 %s, python %s", s, ref.InitWeight)
	}
}

// TestReproducesPyTorch: every training loss and error, and the
// validation after 0 and 1,000 updates, equal Python PyTorch's
// (reference.py on Debian's torch 1.13, the same libtorch) within 1e-6.
// They have been bit-identical in every run so far.
func TestReproducesPyTorch(t *testing.T) {
	res, ref := trained(t)
	cases := []struct {
		file string
		got  []float64
	}{
		{"reference_training_loss.npy", res.TrainLoss},
		{"reference_training_error.npy", res.TrainError},
		{"reference_validation_loss.npy", res.ValLoss},
		{"reference_validation_error.npy", res.ValError},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			a, err := npy.ReadFile(filepath.Join(mnisttest.GoldenDir(), c.file))
			if err != nil {
				t.Fatal(err)
			}
			want, err := a.Float64s()
			if err != nil {
				t.Fatal(err)
			}
			if len(c.got) != len(want) {
				t.Fatalf("%d values, golden has %d", len(c.got), len(want))
			}
			worst, at, differ := 0.0, 0, 0
			for i := range want {
				if d := math.Abs(c.got[i] - want[i]); d > worst {
					worst, at = d, i
				}
				if c.got[i] != want[i] {
					differ++
				}
			}
			t.Logf("%d values, max |Go−Python| = %g at %d, %d not bit-equal (python torch %s)", len(want), worst, at, differ, ref.Torch)
			if worst > 1e-6 {
				t.Errorf("max |Go−Python| = %g at index %d (Go %v, Python %v)", worst, at, c.got[at], want[at])
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	good := torchref.Dataset{X: make([]float32, 2*torchref.Features), Y: []int64{0, 1}}
	cases := []struct {
		name       string
		cfg        torchref.Config
		train, val torchref.Dataset
		want       string
	}{
		{"negative lr", torchref.Config{LR: -1}, good, good, "config LR"},
		{"shared without perms", torchref.Config{Order: torchref.OrderShared}, good, good, "config Perms"},
		{"short pixels", torchref.Config{}, torchref.Dataset{X: make([]float32, 5), Y: []int64{0}}, good, "train: 5 pixel values"},
		{"bad label", torchref.Config{}, good, torchref.Dataset{X: good.X, Y: []int64{0, 10}}, "validation: label 10"},
		{"empty", torchref.Config{}, torchref.Dataset{}, good, "train: no samples"},
		{"partial image", torchref.Config{}, torchref.Dataset{Pixels: make([]uint8, 900), Y: []int64{0}}, good, "train: 900 pixel bytes"},
		{"images for labels", torchref.Config{}, torchref.Dataset{Pixels: make([]uint8, 2*torchref.Features), Y: []int64{0}}, good, "train: 2 images for 1 labels"},
		{"rows for labels", torchref.Config{}, good, torchref.Dataset{Pixels: make([]uint8, 2*torchref.Features), Rows: []int{1}, Y: []int64{0, 1}}, "validation: 1 rows for 2 labels"},
		{"row out of range", torchref.Config{}, torchref.Dataset{Pixels: make([]uint8, 2*torchref.Features), Rows: []int{1, 2}, Y: []int64{0, 1}}, good, "train: row 2 at index 1"},
		{"bad perm", torchref.Config{Order: torchref.OrderShared, Perms: [][]int{{0, 0}}, Iterations: 1}, good, good, "index 0 out of range or repeated"},
		{"too few perms", torchref.Config{Order: torchref.OrderShared, Perms: [][]int{{1, 0}}, Iterations: 2, BatchSize: 2}, good, good, "pass 1 needed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := torchref.Train(c.cfg, c.train, c.val)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

// TestPixels: a Dataset of 8-bit images and rows trains exactly as the
// float32 values (X/255).astype(float32) of those rows do.
func TestPixels(t *testing.T) {
	const images, n = 12, 9
	pix := make([]uint8, images*torchref.Features)
	for i := range pix {
		if i%5 != 0 {
			pix[i] = uint8(i * 7919 % 256)
		}
	}
	rows := []int{11, 0, 3, 3, 7, 2, 10, 5, 1}
	y := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	x := make([]float32, 0, n*torchref.Features)
	for _, r := range rows {
		for _, p := range pix[r*torchref.Features : (r+1)*torchref.Features] {
			x = append(x, float32(float64(p)/255))
		}
	}
	cfg := torchref.Config{Iterations: 6, BatchSize: 4, ValInterval: 3}
	want, err := torchref.Train(cfg, torchref.Dataset{X: x, Y: y}, torchref.Dataset{X: x, Y: y})
	if err != nil {
		t.Fatal(err)
	}
	byRows := torchref.Dataset{Pixels: pix, Rows: rows, Y: y}
	got, err := torchref.Train(cfg, byRows, byRows)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pixels and rows: %+v\nfloat32 values: %+v", got, want)
	}
	whole := torchref.Dataset{Pixels: pix[:n*torchref.Features], Y: y}
	x = x[:0]
	for _, p := range whole.Pixels {
		x = append(x, float32(float64(p)/255))
	}
	if want, err = torchref.Train(cfg, torchref.Dataset{X: x, Y: y}, whole); err != nil {
		t.Fatal(err)
	}
	if got, err = torchref.Train(cfg, whole, whole); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("whole pixels: %+v\nfloat32 values: %+v", got, want)
	}
}

// TestSharedOrder: with OrderShared, batches are consecutive slices of
// the given permutations (the last one short), pass after pass.
func TestSharedOrder(t *testing.T) {
	n := 5
	ds := torchref.Dataset{X: make([]float32, n*torchref.Features), Y: make([]int64, n)}
	for i := range ds.X {
		ds.X[i] = float32(i%7) / 7
	}
	perms := [][]int{{4, 3, 2, 1, 0}, {0, 1, 2, 3, 4}, {2, 0, 4, 1, 3}}
	res, err := torchref.Train(torchref.Config{Order: torchref.OrderShared, Perms: perms, Iterations: 7, BatchSize: 2, ValInterval: 7}, ds, ds)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Perms) != 3 {
		t.Fatalf("%d passes used, want 3 (3 batches per pass, 7 updates)", len(res.Perms))
	}
	for p := range perms {
		for i := range perms[p] {
			if res.Perms[p][i] != perms[p][i] {
				t.Fatalf("pass %d = %v, want %v", p, res.Perms[p], perms[p])
			}
		}
	}
	if len(res.TrainLoss) != 7 || len(res.ValLoss) != 2 {
		t.Fatalf("%d train, %d validation values; want 7, 2", len(res.TrainLoss), len(res.ValLoss))
	}
}

func benchTrain(b *testing.B, iterations int) {
	tr, va := mnisttest.Load(b)
	cfg := torchref.DefaultConfig()
	cfg.Iterations = iterations
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := torchref.Train(cfg, tr, va); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrain10000 is the full Problem 3h run (10,000 updates, 11
// validations); bench/torch_bench.sh times Python's loop beside it.
func BenchmarkTrain10000(b *testing.B) { benchTrain(b, 10000) }

// BenchmarkTrain1000 is a tenth of it.
func BenchmarkTrain1000(b *testing.B) { benchTrain(b, 1000) }

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func f32s(t *testing.T, raw []byte) []float32 {
	t.Helper()
	if len(raw)%4 != 0 {
		t.Fatalf("python output has %d bytes", len(raw))
	}
	v := make([]float32, len(raw)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v
}

func assertBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			if bad == 0 {
				t.Errorf("%s: first difference at %d: %v vs %v", what, i, got[i], want[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values differ", what, bad, len(got))
	}
}
