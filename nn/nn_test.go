package nn_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/nn"
	"hw1pipe/numpyrand"
)

const goldenDir = "../golden/nn"

// trainGolden is golden/nn/train200.json, written by
// `nn_ref.py golden` (see golden/nn/README.md).
type trainGolden struct {
	Seed              uint32  `json:"seed"`
	DataSeed          uint32  `json:"data_seed"`
	Updates           int     `json:"updates"`
	ValEvery          int     `json:"val_every"`
	TrainCounts       []int   `json:"train_counts"`
	ValCounts         []int   `json:"val_counts"`
	TrainSubsetSHA256 string  `json:"train_subset_sha256"`
	ValSubsetSHA256   string  `json:"val_subset_sha256"`
	TrainSubsetHead   []int   `json:"train_subset_head"`
	ValSubsetHead     []int   `json:"val_subset_head"`
	Batches           [][]int `json:"batches"`
	W0SHA256          string  `json:"w0_sha256"`
	B0SHA256          string  `json:"b0_sha256"`
	Logs
}

// Logs is the JSON of nn_ref.py's train().
type Logs struct {
	Loss     []float64 `json:"loss"`
	Err      []float64 `json:"err"`
	ValSteps []int     `json:"val_steps"`
	ValLoss  []float64 `json:"val_loss"`
	ValErr   []float64 `json:"val_err"`
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func shaFloats(x []float64) string {
	b := make([]byte, 0, 8*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func shaInts(x []int) string {
	b := make([]byte, 0, 8*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

type initGolden struct {
	WSHA256 string  `json:"w_sha256"`
	BSHA256 string  `json:"b_sha256"`
	W00     float64 `json:"w00"`
	WLast   float64 `json:"w_last"`
	B0      float64 `json:"b0"`
	BLast   float64 `json:"b_last"`
}

// TestInitialize: np.random.seed(20) then the Init's numpy lines, bit for
// bit. Expected values: golden/nn/init.json (`nn_ref.py init`) and
// docs/numerics.md#uniform-doubles for the uniform case.
func TestInitialize(t *testing.T) {
	var g map[string]initGolden
	readJSON(t, "init.json", &g)
	for _, init := range []nn.Init{nn.InitUniform, nn.InitGaussian} {
		t.Run(init.String(), func(t *testing.T) {
			l := nn.NewLinear(784, 10)
			nn.Initialize(l, init, numpyrand.New(20))
			want := g[init.String()]
			if init == nn.InitGaussian {
				// Without cgo numpyrand's log is correctly rounded, and
				// glibc's is not for r2 = 0.9100300299358766: entries 3540
				// and 3541 of randn(10,784) are then 1 ulp off, and after the
				// division by the norm one entry stays off, by 2 ulp. With
				// cgo it calls glibc's log and must be exact.
				var maxULP int64
				if !numpyrand.ExactGaussian {
					maxULP = 2
				}
				checkULP(t, l.W, readNpyFloats(t, "init_gaussian_w.npy"), maxULP)
			} else if got := shaFloats(l.W); got != want.WSHA256 {
				t.Errorf("W sha256 %s, numpy %s (W[0,0]=%v want %v)", got, want.WSHA256, l.W[0], want.W00)
			}
			if got := shaFloats(l.B); got != want.BSHA256 {
				t.Errorf("b sha256 %s, numpy %s (b[0]=%v want %v)", got, want.BSHA256, l.B[0], want.B0)
			}
			if l.W[0] != want.W00 || l.W[7839] != want.WLast || l.B[0] != want.B0 || l.B[9] != want.BLast {
				t.Errorf("corner values %v %v %v %v, want %v %v %v %v",
					l.W[0], l.W[7839], l.B[0], l.B[9], want.W00, want.WLast, want.B0, want.BLast)
			}
			if init == nn.InitUniform {
				// docs/numerics.md#numpy-random-test-vectors: R[0,0], R[0,783], R[9,783], next rand(10,1)[0,0].
				if l.W[0] != 0.5881308010772742 || l.W[783] != 0.17846549902374165 ||
					l.W[7839] != 0.15578965098276465 || l.B[0] != 0.8770318784929747 {
					t.Errorf("uniform init differs from docs/numerics.md#numpy-random-test-vectors")
				}
			}
		})
	}
}

func readNpyFloats(t *testing.T, name string) []float64 {
	return readNpyFile(t, filepath.Join(goldenDir, name))
}

func readNpyFile(t *testing.T, path string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := npy.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	x, err := a.Float64s()
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// checkULP fails unless got and want differ by at most maxULP units in
// the last place everywhere; it logs how many entries differ at all.
func checkULP(t *testing.T, got, want []float64, maxULP int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	diff := 0
	for i := range got {
		if got[i] == want[i] {
			continue
		}
		diff++
		d := int64(math.Float64bits(got[i])) - int64(math.Float64bits(want[i]))
		if d < -maxULP || d > maxULP || math.Signbit(got[i]) != math.Signbit(want[i]) {
			t.Errorf("[%d] = %v, numpy %v: more than %d ulp apart", i, got[i], want[i], maxULP)
		}
	}
	if len(got) > 0 {
		t.Logf("%d of %d values differ from numpy (each by ≤ %d ulp)", diff, len(got), maxULP)
	}
}

// TestInitializeLive re-runs the golden's numpy lines.
func TestInitializeLive(t *testing.T) {
	out := pyref.RunFile(t, []string{"numpy"}, filepath.Join(goldenDir, "nn_ref.py"), "init")
	var g map[string]initGolden
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	for _, init := range []nn.Init{nn.InitUniform, nn.InitGaussian} {
		l := nn.NewLinear(784, 10)
		nn.Initialize(l, init, numpyrand.New(20))
		if shaFloats(l.B) != g[init.String()].BSHA256 {
			t.Errorf("%v: b differs from live numpy", init)
		}
		if init == nn.InitUniform && shaFloats(l.W) != g[init.String()].WSHA256 {
			t.Errorf("%v: W differs from live numpy", init)
		}
	}
	checkULP(t, nil, nil, 0) // the Gaussian W: see TestInitialize
	w := filepath.Join(t.TempDir(), "w.npy")
	pyref.RunFile(t, []string{"numpy"}, filepath.Join(goldenDir, "nn_ref.py"), "init", w)
	l := nn.NewLinear(784, 10)
	nn.Initialize(l, nn.InitGaussian, numpyrand.New(20))
	checkULP(t, l.W, readNpyFile(t, w), 2)
}

// TestLayers checks each layer on inputs small enough to work by hand.
func TestLayers(t *testing.T) {
	l := nn.NewLinear(3, 2)
	copy(l.W, []float64{1, 2, 3, 4, 5, 6})
	copy(l.B, []float64{0.5, -1})
	x := []float64{1, 0, -1, 2, 1, 0} // 2×3
	z := l.Forward(x, 2)
	// rows: [1-3+0.5, 4-6-1] = [-1.5,-3]; [2+2+0.5, 8+5-1] = [4.5, 12]
	if want := []float64{-1.5, -3, 4.5, 12}; !slices.Equal(z, want) {
		t.Fatalf("Linear.Forward = %v, want %v", z, want)
	}
	dy := []float64{1, 0, 2, -1}
	dx := l.Backward(dy)
	// dW = dyᵀx: row0 = 1·[1,0,-1] + 2·[2,1,0]; row1 = -1·[2,1,0]
	if want := []float64{5, 2, -1, -2, -1, 0}; !slices.Equal(l.DW, want) {
		t.Errorf("DW = %v, want %v", l.DW, want)
	}
	if want := []float64{3, -1}; !slices.Equal(l.DB, want) {
		t.Errorf("DB = %v, want %v", l.DB, want)
	}
	// dx = dy·W: [1,2,3]; 2·[1,2,3] − [4,5,6]
	if want := []float64{1, 2, 3, -2, -1, 0}; !slices.Equal(dx, want) {
		t.Errorf("dx = %v, want %v", dx, want)
	}
	l.ZeroGrad()
	if slices.ContainsFunc(append(l.DW, l.DB...), func(v float64) bool { return v != 0 }) {
		t.Error("ZeroGrad left non-zero gradients")
	}

	var r nn.ReLU
	if got, want := r.Forward([]float64{-1, 0, 2}), []float64{0, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("ReLU.Forward = %v, want %v", got, want)
	}
	if got, want := r.Backward([]float64{5, 6, 7}), []float64{0, 0, 7}; !slices.Equal(got, want) {
		t.Errorf("ReLU.Backward = %v, want %v", got, want)
	}
}

// TestLinearCSR: the sparse path equals the dense one up to summation
// order, for the unrolled 10-output kernel and the general one.
func TestLinearCSR(t *testing.T) {
	for _, tc := range []struct {
		out int
		avx bool
	}{{10, false}, {3, false}, {10, true}, {3, true}, {12, true}, {13, true}} {
		out := tc.out
		t.Run(fmt.Sprintf("out%d/avx=%v", out, tc.avx), func(t *testing.T) {
			if tc.avx && !*nn.UseAVX {
				t.Skip("no AVX2/FMA on this CPU")
			}
			defer func(old bool) { *nn.UseAVX = old }(*nn.UseAVX)
			*nn.UseAVX = tc.avx
			const n, in = 7, 784
			rs := numpyrand.New(uint32(out))
			xs := mnistLike(rs, n)
			clear(xs[:in]) // an empty row
			csr, err := nn.NewCSR(mat.NewDense(n, in, xs))
			if err != nil {
				t.Fatal(err)
			}
			if csr.NNZ() == 0 {
				t.Fatal("no nonzeros")
			}
			dense, sparse := nn.NewLinear(in, out), nn.NewLinear(in, out)
			nn.Initialize(dense, nn.InitGaussian, rs)
			copy(sparse.W, dense.W)
			copy(sparse.B, dense.B)
			dy := make([]float64, 4*out)
			rs.Randn(dy)
			dy[out+1] = 0
			rows := []int{6, 3, 3, 0}
			sub := make([]float64, 0, len(rows)*in)
			for _, r := range rows {
				sub = append(sub, xs[r*in:(r+1)*in]...)
			}
			zd := slices.Clone(dense.Forward(sub, len(rows)))
			zs := sparse.ForwardCSR(csr, rows)
			checkClose(t, "z", zs, zd, 1e-15)
			dense.BackwardParams(dy)
			sparse.BackwardParams(dy)
			checkClose(t, "dW", sparse.DW, dense.DW, 1e-15)
			checkClose(t, "db", sparse.DB, dense.DB, 0)
		})
	}
}

// TestNewCSR: values are kept bit for bit; more than 256 distinct values
// do not compress.
func TestNewCSR(t *testing.T) {
	x := mat.NewDense(2, 3, []float64{0, 1. / 255, 0, 0.5, 0, 1. / 255})
	s, err := nn.NewCSR(x)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := s.Dims(); r != 2 || c != 3 || s.NNZ() != 3 {
		t.Errorf("Dims %d×%d NNZ %d, want 2×3 and 3", r, c, s.NNZ())
	}
	l := nn.NewLinear(3, 1)
	copy(l.W, []float64{1, 1, 1})
	if z := l.ForwardCSR(s, []int{0, 1}); z[0] != 1./255 || z[1] != 0.5+1./255 {
		t.Errorf("ForwardCSR = %v", z)
	}
	// NewDataset's CSR, built from the bytes, equals NewCSR of its X.
	pix := make([]byte, 5*784)
	rs := numpyrand.New(8)
	for i := range pix {
		if rs.Float64() < 0.2 {
			pix[i] = byte(rs.RandInt(1, 256))
		}
	}
	ds, err := nn.NewDataset(pix, []byte{1, 2, 3, 4, 5}, 784, []int{4, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	fromBytes := nn.DatasetCSR(ds)
	fromX, err := nn.NewCSR(ds.Dense())
	if err != nil || fromBytes == nil {
		t.Fatal(err, fromBytes)
	}
	la, lb := nn.NewLinear(784, 10), nn.NewLinear(784, 10)
	nn.Initialize(la, nn.InitGaussian, numpyrand.New(1))
	nn.Initialize(lb, nn.InitGaussian, numpyrand.New(1))
	if za, zb := la.ForwardCSR(fromBytes, []int{0, 1, 2}), lb.ForwardCSR(fromX, []int{0, 1, 2}); !slices.Equal(za, zb) || fromBytes.NNZ() != fromX.NNZ() {
		t.Errorf("byte CSR and NewCSR differ: %v vs %v", za, zb)
	}

	many := make([]float64, 257)
	for i := range many {
		many[i] = float64(i + 1)
	}
	if _, err := nn.NewCSR(mat.NewDense(1, 257, many)); err != nn.ErrNotCompressible {
		t.Errorf("257 distinct values: err = %v, want ErrNotCompressible", err)
	}
}

// TestSoftmaxCrossEntropy: scores ±1000 would overflow a naive exp.
// Expected values worked by hand: loss = logsumexp(z) − z_y.
func TestSoftmaxCrossEntropy(t *testing.T) {
	for _, tc := range []struct {
		name     string
		z        []float64
		y        []int
		loss     float64
		err      float64
		grad     []float64
		tol      float64
		whereFor string
	}{
		{"huge-correct", []float64{1000, 0, -1000}, []int{0}, 0, 0, []float64{0, 0, 0}, 1e-300, "exp(-1000) underflows to 0"},
		{"huge-wrong", []float64{1000, 0, -1000}, []int{1}, 1000, 1, []float64{1, -1, 0}, 0, "loss = 1000 exactly"},
		{"ties", []float64{2, 2, 2, 0, 0, 0}, []int{1, 0}, math.Log(3), 0.5, []float64{1. / 6, -1. / 3, 1. / 6, -1. / 3, 1. / 6, 1. / 6}, 1e-15, "argmax takes the first maximum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := nn.NewSoftmaxCrossEntropy(3)
			loss, e := s.Forward(tc.z, tc.y)
			if !scalar.EqualWithinAbs(loss, tc.loss, 1e-15) || e != tc.err {
				t.Errorf("Forward = %v, %v; want %v, %v (%s)", loss, e, tc.loss, tc.err, tc.whereFor)
			}
			g := s.Backward()
			for i := range g {
				if !scalar.EqualWithinAbs(g[i], tc.grad[i], max(tc.tol, 1e-16)) {
					t.Errorf("Backward = %v, want %v", g, tc.grad)
					break
				}
			}
		})
	}
}

func randomSample(seed uint32) ([]float64, int) {
	rs := numpyrand.New(seed)
	x := make([]float64, 784)
	rs.Rand(x)
	for i := range x {
		if x[i] < 0.8 { // MNIST-like: mostly zero pixels
			x[i] = 0
		}
	}
	return x, int(rs.RandInt(0, 10))
}

// TestGradCheck: every layer's Backward within 1e-6 of central finite
// differences (homework part e), for both initialisations, on a random
// sample and, when available, on an MNIST image.
func TestGradCheck(t *testing.T) {
	type sample struct {
		name string
		x    []float64
		y    int
	}
	x, y := randomSample(3)
	samples := []sample{{"random", x, y}}
	if _, err := os.Stat(mnistDir()); err == nil {
		m := loadMNIST(t)
		ds, err := nn.NewDataset(m.trX, m.trY8, 784, []int{0})
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, sample{"mnist0", ds.Row(0), ds.Y[0]})
	}
	for _, init := range []nn.Init{nn.InitUniform, nn.InitGaussian} {
		for _, s := range samples {
			t.Run(init.String()+"/"+s.name, func(t *testing.T) {
				net := nn.NewNet(784, 10)
				nn.Initialize(net.L, init, numpyrand.New(20))
				w0 := slices.Clone(net.L.W)
				rep, err := nn.GradCheck(net, s.x, s.y, nn.GradCheckConfig{Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(w0, net.L.W) {
					t.Error("GradCheck did not restore W")
				}
				count := map[string]int{}
				ks := map[string]map[int]bool{}
				for _, e := range rep.Entries {
					key := e.Layer + "." + e.Param
					count[key]++
					if ks[key] == nil {
						ks[key] = map[int]bool{}
					}
					ks[key][e.K] = true
				}
				for key, want := range map[string]int{"linear.W": 50, "linear.b": 50, "linear.h": 50, "relu.h": 50, "loss.h": 10, "net.W": 50, "net.b": 10} {
					if count[key] != want {
						t.Errorf("%s: %d entries checked, want %d", key, count[key], want)
					}
				}
				for _, key := range []string{"linear.W", "linear.b", "linear.h", "relu.h"} {
					if len(ks[key]) != 5 {
						t.Errorf("%s: %d output indices, want 5", key, len(ks[key]))
					}
				}
				if rep.MaxAbsErr > 1e-6 || rep.MaxAbsErr == 0 {
					t.Errorf("max abs error %g", rep.MaxAbsErr)
				}
				t.Logf("%d entries, max abs error %.3g", len(rep.Entries), rep.MaxAbsErr)

				// The same check with an impossible tolerance must fail.
				_, err = nn.GradCheck(net, s.x, s.y, nn.GradCheckConfig{Seed: 1, Tol: 1e-300})
				var ge *nn.GradCheckError
				if !errors.As(err, &ge) || ge.Entry.AbsErr != rep.MaxAbsErr {
					t.Errorf("tiny tolerance: err = %v, want a GradCheckError for the worst entry", err)
				}
			})
		}
	}
}

// TestClassCounts: largest-remainder counts give exactly half of MNIST.
func TestClassCounts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels []int
		want   []int
	}{
		{"ties-to-smaller-class", []int{0, 0, 0, 1, 1, 1, 2}, []int{2, 2, 0}},
		{"even", []int{0, 0, 1, 1, 2, 2}, []int{1, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nn.ClassCounts(tc.labels, 3, 0.5); !slices.Equal(got, tc.want) {
				t.Errorf("ClassCounts = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("mnist", func(t *testing.T) {
		m := loadMNIST(t)
		var g trainGolden
		readJSON(t, "train200.json", &g)
		tr, te := nn.ClassCounts(m.trY, 10, 0.5), nn.ClassCounts(m.teY, 10, 0.5)
		if !slices.Equal(tr, g.TrainCounts) || !slices.Equal(te, g.ValCounts) {
			t.Errorf("counts %v %v, numpy %v %v", tr, te, g.TrainCounts, g.ValCounts)
		}
		sum := func(x []int) (s int) {
			for _, v := range x {
				s += v
			}
			return
		}
		if sum(tr) != 30000 || sum(te) != 5000 {
			t.Errorf("totals %d, %d; want 30000, 5000", sum(tr), sum(te))
		}
	})
}

// TestLoader: consecutive batches of each pass's permutation, short last
// batch, a new numpy permutation per pass.
func TestLoader(t *testing.T) {
	const n, d = 10, 2
	data := make([]float64, n*d)
	y := make([]int, n)
	for i := range y {
		data[2*i], data[2*i+1], y[i] = float64(i), -float64(i), i%3
	}
	ds := nn.Dataset{X: mat.NewDense(n, d, data), Y: y}
	ld := nn.NewLoader(ds, 4, nn.NumpyOrder(numpyrand.New(5), n))
	ref := numpyrand.New(5)
	var sizes []int
	for pass := 0; pass < 3; pass++ {
		perm := ref.Permutation(n)
		for s := 0; s < n; s += 4 {
			x, yb, err := ld.Next()
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(yb))
			for r := range yb {
				i := perm[s+r]
				if x[r*d] != float64(i) || x[r*d+1] != -float64(i) || yb[r] != i%3 {
					t.Fatalf("pass %d batch at %d row %d: got (%v,%v,%d), want sample %d", pass, s, r, x[r*d], x[r*d+1], yb[r], i)
				}
			}
		}
		if !slices.Equal(ld.Perms()[pass], perm) {
			t.Errorf("Perms()[%d] = %v, want %v", pass, ld.Perms()[pass], perm)
		}
	}
	if want := []int{4, 4, 2, 4, 4, 2, 4, 4, 2}; !slices.Equal(sizes, want) {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}

	bad := nn.NewLoader(ds, 4, func(int) []int { return []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 8} })
	var oe *nn.OrderError
	if _, _, err := bad.Next(); !errors.As(err, &oe) {
		t.Errorf("repeated index: err = %v, want *OrderError", err)
	}
}

func checkClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if !(d <= tol) {
			t.Errorf("%s[%d] = %.17g, want %.17g (|diff| %.3g > %g)", what, i, got[i], want[i], d, tol)
			return
		}
		worst = max(worst, d)
	}
	t.Logf("%s: %d values, max |diff| %.3g", what, len(got), worst)
}

// batchesOf maps a result's permutations to the original MNIST indices of
// its first updates batches.
func batchesOf(res *nn.Result, trIdx []int, n, batch, updates int) [][]int {
	var out [][]int
	for _, p := range res.Perms {
		for s := 0; s < n && len(out) < updates; s += batch {
			b := []int{}
			for _, i := range p[s:min(s+batch, n)] {
				b = append(b, trIdx[i])
			}
			out = append(out, b)
		}
	}
	return out
}

// TestTrainGolden: 200 updates from seed 20 against numpy's
// (golden/nn/train200.json). Subsets, initial weights and batch order are
// bit-exact; losses and validation within 1e-9 (different matmul
// summation order and libm); error rates equal.
func TestTrainGolden(t *testing.T) {
	for _, avx := range []bool{false, true} {
		t.Run(fmt.Sprintf("avx=%v", avx), func(t *testing.T) {
			if avx && !*nn.UseAVX {
				t.Skip("no AVX2/FMA on this CPU")
			}
			defer func(old bool) { *nn.UseAVX = old }(*nn.UseAVX)
			*nn.UseAVX = avx
			testTrainGolden(t)
		})
	}
}

func testTrainGolden(t *testing.T) {
	var g trainGolden
	readJSON(t, "train200.json", &g)
	train, val, trIdx, vaIdx := halfMNIST(t, g.DataSeed)
	if shaInts(trIdx) != g.TrainSubsetSHA256 || shaInts(vaIdx) != g.ValSubsetSHA256 {
		t.Fatalf("subsets differ from numpy: heads %v %v, numpy %v %v", trIdx[:10], vaIdx[:10], g.TrainSubsetHead, g.ValSubsetHead)
	}
	cfg := nn.DefaultConfig()
	cfg.Seed, cfg.Iterations, cfg.ValInterval = g.Seed, g.Updates, g.ValEvery
	res, err := nn.Train(context.Background(), train, val, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if shaFloats(res.W0) != g.W0SHA256 || shaFloats(res.B0) != g.B0SHA256 {
		t.Error("initial weights differ from numpy")
	}
	got := batchesOf(res, trIdx, train.Len(), 64, g.Updates)
	for u := range g.Batches {
		if !slices.Equal(got[u], g.Batches[u]) {
			t.Fatalf("batch %d = %v…, numpy %v…", u, got[u][:4], g.Batches[u][:4])
		}
	}
	checkClose(t, "loss", res.TrainLoss, g.Loss, 1e-9)
	checkClose(t, "err", res.TrainErr, g.Err, 0)
	checkClose(t, "val_loss", res.ValLoss, g.ValLoss, 1e-9)
	checkClose(t, "val_err", res.ValErr, g.ValErr, 0)
	if !slices.Equal(res.ValSteps, g.ValSteps) {
		t.Errorf("val steps %v, want %v", res.ValSteps, g.ValSteps)
	}
}

func writeNpy(t *testing.T, dir, name string, shape []int, data any) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := npy.Write(f, shape, data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTrainNumpyLive: numpy trains from hw1pipe's own initial weights and
// batch order (here the Gaussian init and another seed), exported as .npy.
func TestTrainNumpyLive(t *testing.T) {
	pyref.Require(t, "numpy")
	train, val, trIdx, vaIdx := halfMNIST(t, 3)
	const updates, every = 200, 50
	cfg := nn.Config{Iterations: updates, ValInterval: every, Init: nn.InitGaussian, Seed: 7}
	res, err := nn.Train(context.Background(), train, val, cfg)
	if err != nil {
		t.Fatal(err)
	}
	batches := batchesOf(res, trIdx, train.Len(), 64, updates)
	flat := make([]int64, 0, updates*64)
	for _, b := range batches {
		if len(b) != 64 {
			t.Fatal("expected full batches within the first pass")
		}
		for _, i := range b {
			flat = append(flat, int64(i))
		}
	}
	va := make([]int64, len(vaIdx))
	for i, v := range vaIdx {
		va[i] = int64(v)
	}
	dir := t.TempDir()
	out := pyref.RunFile(t, []string{"numpy"}, filepath.Join(goldenDir, "nn_ref.py"), "train", mnistDir(),
		writeNpy(t, dir, "w0.npy", []int{10, 784}, res.W0),
		writeNpy(t, dir, "b0.npy", []int{10, 1}, res.B0),
		writeNpy(t, dir, "batches.npy", []int{updates, 64}, flat),
		writeNpy(t, dir, "val.npy", []int{len(va)}, va),
		"50")
	var g Logs
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "loss", res.TrainLoss, g.Loss, 1e-9)
	checkClose(t, "err", res.TrainErr, g.Err, 0)
	checkClose(t, "val_loss", res.ValLoss, g.ValLoss, 1e-9)
	checkClose(t, "val_err", res.ValErr, g.ValErr, 0)
}

// TestTrainInjected: injected weights and order are used as given and
// reported back; the default order does not depend on injected weights.
func TestTrainInjected(t *testing.T) {
	const n, d = 50, 784
	rs := numpyrand.New(9)
	data := make([]float64, n*d)
	rs.Rand(data)
	y := make([]int, n)
	for i := range y {
		y[i] = int(rs.RandInt(0, 10))
	}
	ds := nn.Dataset{X: mat.NewDense(n, d, data), Y: y}
	w := make([]float64, 10*d)
	b := make([]float64, 10)
	rs.Randn(w)
	rs.Randn(b)
	perms := [][]int{rs.Permutation(n), rs.Permutation(n), rs.Permutation(n)}
	cfg := nn.Config{Iterations: 5, BatchSize: 20, ValInterval: 2, Seed: 1, InitW: w, InitB: b,
		Order: func(p int) []int { return perms[p] }}
	res, err := nn.Train(context.Background(), ds, ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.W0, w) || !slices.Equal(res.B0, b) {
		t.Error("injected weights not used")
	}
	if len(res.Perms) != 2 || !slices.Equal(res.Perms[0], perms[0]) || !slices.Equal(res.Perms[1], perms[1]) {
		t.Errorf("Perms = %d passes, want the 2 injected ones", len(res.Perms))
	}
	if !slices.Equal(res.ValSteps, []int{0, 2, 4}) {
		t.Errorf("ValSteps = %v", res.ValSteps)
	}
	// Default order: the permutations after the (ignored) drawn init.
	cfg.Order = nil
	res2, err := nn.Train(context.Background(), ds, ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref := numpyrand.New(1)
	nn.Initialize(nn.NewLinear(d, 10), nn.InitUniform, ref)
	if !slices.Equal(res2.Perms[0], ref.Permutation(n)) {
		t.Error("default order is not the numpy stream after the init draws")
	}

	// Progress sees every update; a cancelled context stops the run.
	calls := 0
	cfg.Iterations, cfg.Progress = 7, func(done, total int) {
		calls++
		if done != calls || total != 7 {
			t.Errorf("Progress(%d, %d) at call %d", done, total, calls)
		}
	}
	if _, err := nn.Train(context.Background(), ds, ds, cfg); err != nil || calls != 7 {
		t.Errorf("progress: %d calls, err %v", calls, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg.Iterations, cfg.Progress = 300, nil
	if _, err := nn.Train(ctx, ds, ds, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}

	for _, bad := range []nn.Config{
		{LR: -1},
		{Iterations: -1},
		{InitW: w[:10], InitB: b},
	} {
		if _, err := nn.Train(context.Background(), ds, ds, bad); err == nil {
			t.Errorf("config %+v: no error", bad)
		}
	}
}

// TestDiagnose: at the uniform start every score is large and positive.
func TestDiagnose(t *testing.T) {
	x, y := randomSample(4)
	ds := nn.Dataset{X: mat.NewDense(1, 784, x), Y: []int{y}}
	l := nn.NewLinear(784, 10)
	nn.Initialize(l, nn.InitUniform, numpyrand.New(20))
	dg := nn.Diagnose(l.W, l.B, ds)
	if dg.LogitMin <= 0 || dg.DeadFraction != 0 || len(dg.DeadUnits) != 0 {
		t.Errorf("uniform start: %+v", dg)
	}
	for i := range l.W {
		l.W[i] = -l.W[i]
	}
	for i := range l.B {
		l.B[i] = -l.B[i]
	}
	dg = nn.Diagnose(l.W, l.B, ds)
	if dg.DeadFraction != 1 || len(dg.DeadUnits) != 10 || dg.MeanMaxProb != 0.1 {
		t.Errorf("negated start: %+v", dg)
	}
}
