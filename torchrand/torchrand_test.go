package torchrand

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// goldenPath is the torch 1.13.1 (Debian 1.13.0a0 build) reference made by
// golden/numerics/make_torchrand.py (see golden/numerics/README.md).
var goldenPath = filepath.Join("..", "golden", "numerics", "torchrand.json")

type orderRecord struct {
	SHA256 string `json:"sha256"`
	Head   []int  `json:"head"`
	Tail   []int  `json:"tail"`
}

type loaderRecord struct {
	Epochs    []orderRecord `json:"epochs"`
	BaseSeeds []uint64      `json:"base_seeds"`
	NextRand  []float32     `json:"next_rand_f32"`
}

type linearRecord struct {
	W []float32 `json:"w"`
	B []float32 `json:"b"`
}

type golden struct {
	Rand3F32        []float32    `json:"seed20_rand3_f32"`
	Rand3F64        []float64    `json:"seed20_rand3_f64"`
	Randperm10      []int        `json:"seed20_randperm10"`
	Randperm30000   []int        `json:"seed20_randperm30000"`
	Uniform         []float32    `json:"seed7_rand1000_uniform_m3_5_f32"`
	Uniform64       []float64    `json:"seed3_uniform_m3.3_5.7_f64_x300"`
	Linear3x2       linearRecord `json:"seed20_linear3x2"`
	Linear784x10    linearRecord `json:"seed20_linear784x10"`
	MLPHash         string       `json:"seed20_linear784x100_then_100x10_sha256"`
	Loader          loaderRecord `json:"dataloader_30000_seed20_after_linear784x10"`
	LoaderValBetwen loaderRecord `json:"dataloader_30000_seed20_after_linear784x10_val_between"`
	Homework        struct {
		orderRecord
		NBatches  int   `json:"n_batches"`
		LastBatch []int `json:"last_batch"`
	} `json:"homework_10000_updates_val_every_1000"`
}

func loadGolden(t testing.TB) *golden {
	t.Helper()
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("read golden: %v", err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("decode %s: %v", goldenPath, err)
	}
	return &g
}

func same[T comparable](t *testing.T, name string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	bad := 0
	for i := range want {
		if got[i] != want[i] {
			if bad < 5 {
				t.Errorf("%s[%d] = %v, want %v", name, i, got[i], want[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d differ", name, bad, len(want))
	}
}

func orderSHA(order []int) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range order {
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestSpecVectors checks the vectors printed in docs/numerics.md#torch-test-vectors.
func TestSpecVectors(t *testing.T) {
	same(t, "randperm(10)", New(20).Randperm(10), []int{1, 2, 9, 5, 4, 3, 7, 6, 0, 8})
	r := make([]float32, 3)
	New(20).Rand(r)
	same(t, "rand(3)", r, []float32{0.5614835619926453, 0.17739641666412354, 0.8147134184837341})
	r64 := make([]float64, 3)
	New(20).UniformFloat64(r64, 0, 1)
	same(t, "rand(3,f64)", r64, []float64{0.49186891909203756, 0.5177078029691095, 0.854933239115691})
	w, b := New(20).LinearInit(3, 2)
	same(t, "Linear(3,2).weight", w, []float32{0.07099509984254837, -0.37251052260398865, 0.3633997440338135,
		-0.19682782888412476, -0.30961376428604126, 0.3269593119621277})
	same(t, "Linear(3,2).bias", b, []float32{0.4092184007167816, -0.4605415165424347})
	g := New(20)
	w, _ = g.LinearInit(784, 10)
	same(t, "Linear(784,10).weight[0,0:3],[9,783]", []float32{w[0], w[1], w[2], w[9*784+783]},
		[]float32{0.004391683265566826, -0.023043114691972733, 0.022479530423879623, 0.02737618423998356})
	if s := g.Random64(); s != 1922212551750089913 {
		t.Errorf("base_seed = %d, want 1922212551750089913", s)
	}
	if s := g.Random64() & (1<<63 - 1); s != 8972080909816540334 {
		t.Errorf("sampler seed = %d, want 8972080909816540334", s)
	}
	same(t, "epoch 0 head", New(8972080909816540334).Randperm(30000)[:8], []int{21927, 12894, 224, 1786, 28054, 26246, 8919, 9976})
}

// TestGolden compares with torch 1.13 output stored in the golden file.
func TestGolden(t *testing.T) {
	gd := loadGolden(t)
	t.Run("rand", func(t *testing.T) {
		r := make([]float32, 3)
		New(20).Rand(r)
		same(t, "rand(3)", r, gd.Rand3F32)
		r64 := make([]float64, 3)
		New(20).UniformFloat64(r64, 0, 1)
		same(t, "rand(3,f64)", r64, gd.Rand3F64)
		u := make([]float32, 1000)
		New(7).UniformFloat32(u, -3, 5)
		same(t, "uniform_(-3,5)", u, gd.Uniform)
		u64 := make([]float64, 300)
		New(3).UniformFloat64(u64, -3.3, 5.7)
		same(t, "uniform_(-3.3,5.7) float64", u64, gd.Uniform64)
	})
	t.Run("randperm", func(t *testing.T) {
		same(t, "randperm(10)", New(20).Randperm(10), gd.Randperm10)
		same(t, "randperm(30000)", New(20).Randperm(30000), gd.Randperm30000)
	})
	t.Run("linear", func(t *testing.T) {
		w, b := New(20).LinearInit(3, 2)
		same(t, "Linear(3,2).weight", w, gd.Linear3x2.W)
		same(t, "Linear(3,2).bias", b, gd.Linear3x2.B)
		w, b = New(20).LinearInit(784, 10)
		same(t, "Linear(784,10).weight", w, gd.Linear784x10.W)
		same(t, "Linear(784,10).bias", b, gd.Linear784x10.B)
		g := New(20)
		w1, b1 := g.LinearInit(784, 100)
		w2, b2 := g.LinearInit(100, 10)
		h := sha256.New()
		for _, s := range [][]float32{w1, b1, w2, b2} {
			for _, v := range s {
				binary.Write(h, binary.LittleEndian, math.Float32bits(v))
			}
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != gd.MLPHash {
			t.Errorf("Linear(784,100)+Linear(100,10): hash differs from torch")
		}
	})
	for _, tc := range []struct {
		name      string
		valPasses int
		rec       loaderRecord
	}{
		{"dataloader", 0, gd.Loader},
		{"dataloader with validation pass", 1, gd.LoaderValBetwen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := New(20)
			g.LinearInit(784, 10)
			// _base_seed (int64 random_(), i.e. Random64 mod 2⁶³) is the first
			// draw of each epoch's iterator.
			probe := *g
			orders := DataLoaderOrder(g, 30000, 3, tc.valPasses)
			for e, o := range orders {
				if s := probe.Random64() & (1<<63 - 1); s != tc.rec.BaseSeeds[e] {
					t.Errorf("epoch %d base_seed %d, torch %d", e, s, tc.rec.BaseSeeds[e])
				}
				probe.Random64()
				for v := 0; v < tc.valPasses; v++ {
					probe.Random64()
				}
				same(t, "head", o[:16], tc.rec.Epochs[e].Head)
				same(t, "tail", o[len(o)-16:], tc.rec.Epochs[e].Tail)
				if orderSHA(o) != tc.rec.Epochs[e].SHA256 {
					t.Errorf("epoch %d: order hash differs from torch", e)
				}
			}
			next := make([]float32, 2)
			g.Rand(next)
			same(t, "torch.rand(2) after the loop", next, tc.rec.NextRand)
		})
	}
}

// TestHomeworkSchedule reproduces Problem 3's loop under torch: 10,000
// updates of batch 64 over 30,000 items, a full validation pass (5,000
// items, batch 64, no shuffle) before updates 0, 1000, …, 9000 and after
// the last, the training iterator created before the first validation
// pass and re-created when exhausted.
func TestHomeworkSchedule(t *testing.T) {
	gd := loadGolden(t)
	g := New(20)
	g.LinearInit(784, 10)
	train := DataLoader{Len: 30000, Shuffle: true, BatchSize: 64}
	val := DataLoader{Len: 5000, BatchSize: 64}
	it := train.NewIterator(g)
	var all, last []int
	n := 0
	for step := 0; step <= 10000; step++ {
		if step%1000 == 0 {
			vi := val.NewIterator(g)
			for _, ok := vi.Next(); ok; _, ok = vi.Next() {
			}
		}
		if step == 10000 {
			break
		}
		b, ok := it.Next()
		if !ok {
			it = train.NewIterator(g)
			b, _ = it.Next()
		}
		all = append(all, b...)
		last = b
		n++
	}
	if n != gd.Homework.NBatches {
		t.Fatalf("%d batches, torch %d", n, gd.Homework.NBatches)
	}
	same(t, "first indices", all[:16], gd.Homework.Head)
	same(t, "last batch", last, gd.Homework.LastBatch)
	if orderSHA(all) != gd.Homework.SHA256 {
		t.Errorf("the %d training indices differ from torch's (hash)", len(all))
	}
}

// TestFMAF32 checks fmaf32 against exact rational arithmetic.
func TestFMAF32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200000; i++ {
		x := float32(r.Uint32()&0xFFFFFF) / (1 << 24)
		y := float32(math.Ldexp(r.Float64(), r.IntN(40)-20))
		z := float32(math.Ldexp(r.NormFloat64(), r.IntN(60)-30))
		exact := new(big.Float).SetPrec(2000)
		exact.SetFloat64(float64(x))
		exact.Mul(exact, new(big.Float).SetPrec(2000).SetFloat64(float64(y)))
		exact.Add(exact, new(big.Float).SetPrec(2000).SetFloat64(float64(z)))
		want, _ := exact.Float32()
		if got := fmaf32(x, y, z); got != want {
			t.Fatalf("fmaf32(%v,%v,%v) = %v, want %v", x, y, z, got, want)
		}
	}
}

func BenchmarkRandperm30000(b *testing.B) { benchRandperm(b, 30000) }

func benchRandperm(b *testing.B, n int) {
	g := New(1)
	for i := 0; i < b.N; i++ {
		g.Randperm(n)
	}
}
