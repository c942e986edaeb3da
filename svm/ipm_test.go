package svm

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// forceIPM sends every linear pair of SolverFast to the interior-point
// method for the duration of a test.
func forceIPM(t testing.TB) {
	old := fastBudgetPerVar
	fastBudgetPerVar = 0
	t.Cleanup(func() { fastBudgetPerVar = old })
}

// dualObjective is ½αᵀQα − eᵀα of pair 0 of a binary model, in double
// precision (the quantity both solvers minimise).
func dualObjective(m *Model) float64 {
	d := m.NFeatures
	w := make([]float64, d)
	sum := 0.0
	for s, coef := range m.DualCoef {
		for k := range w {
			w[k] += coef * m.SupportVectors[s*d+k]
		}
		sum += math.Abs(coef)
	}
	return 0.5*ddot(w, w) - sum
}

// compareWithGolden checks a fast (interior-point) fit against
// scikit-learn's: the same predictions on the held-out rows, the same
// support vector counts within slack per class, and pair decision values
// on 50 held-out rows close, relative to their scale, to those of exact,
// the SolverExact fit (scikit-learn's bit for bit, TestGoldenSVC). Pair
// values rather than ovr ones: a vote that flips on a pair near zero
// moves an ovr value by 1 without changing a prediction.
func compareWithGolden(t *testing.T, m, exact *Model, xt *mat.Dense, want *goldenOut, slack int, decTol float64) {
	t.Helper()
	checkInt64(t, "classes_", m.Classes, want.Classes)
	checkInt64(t, "predict", m.Predict(xt), want.Predict)
	for c := range m.NSupport {
		if diff := m.NSupport[c] - want.NSupport[c]; diff > slack || diff < -slack {
			t.Errorf("n_support_ %v, scikit-learn %v (slack %d)", m.NSupport, want.NSupport, slack)
			break
		}
	}
	n, d := xt.Dims()
	head := xt.Slice(0, min(n, 50), 0, d).(*mat.Dense)
	got := m.DecisionOVO(head).RawMatrix().Data
	ref := exact.DecisionOVO(head).RawMatrix().Data
	scale := 0.0
	for _, v := range ref {
		scale = max(scale, math.Abs(v))
	}
	worst := 0.0
	for i := range got {
		worst = max(worst, math.Abs(got[i]-ref[i]))
	}
	t.Logf("n_support %v (scikit-learn %v), max |decision diff| %.3g of max |decision| %.3g", m.NSupport, want.NSupport, worst, scale)
	if worst > decTol*scale {
		t.Errorf("decision values differ by %.3g, more than %g × %.3g", worst, decTol, scale)
	}
}

// TestFastGoldenLinear fits every linear case of svc_cases.json with all
// pairs sent to the interior-point method and compares with
// scikit-learn 1.2.1.
func TestFastGoldenLinear(t *testing.T) {
	forceIPM(t)
	var doc goldenDoc
	readGolden(t, "svc_cases.json", &doc)
	for _, c := range doc.Cases {
		if c.Params["kernel"] != "linear" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			x, y, xt := doc.data(c)
			p := paramsFromPython(t, c.Params)
			exact, err := Fit(x, y, p)
			if err != nil {
				t.Fatal(err)
			}
			p.Solver = SolverFast
			m, err := Fit(x, y, p)
			if err != nil {
				t.Fatal(err)
			}
			if m.IPMPairs != m.NPairs() {
				t.Fatalf("%d of %d pairs by the interior-point method, want all", m.IPMPairs, m.NPairs())
			}
			compareWithGolden(t, m, exact, xt, &c.Out, 1, 1e-3)
		})
	}
}

// TestFastGoldenMNIST does the same on 500 real 14×14 MNIST digits with
// raw 0..255 pixels, linear C=1 (Problem 1's data and scale).
func TestFastGoldenMNIST(t *testing.T) {
	forceIPM(t)
	var doc mnistDoc
	readGolden(t, "mnist_cases.json", &doc)
	x, y := loadMNIST14(t, "train", doc.NTrain)
	xt, yt := loadMNIST14(t, "t10k", doc.NTest)
	for _, c := range doc.Cases {
		if c.Params["kernel"] != "linear" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			p := paramsFromPython(t, c.Params)
			exact, err := Fit(x, y, p)
			if err != nil {
				t.Fatal(err)
			}
			p.Solver = SolverFast
			m, err := Fit(x, y, p)
			if err != nil {
				t.Fatal(err)
			}
			want := c.Out.goldenOut
			compareWithGolden(t, m, exact, xt, &want, 1, 1e-3)
			if s := m.Score(xt, yt); s != c.Out.Score {
				t.Errorf("score %v, scikit-learn %v", s, c.Out.Score)
			}
		})
	}
}

// TestFastVersusExactObjective checks, on binary problems of raw MNIST
// pixels, that the interior-point answer is at least as good as
// libsvm's by the dual objective both minimise, and meets libsvm's
// stopping rule in exact arithmetic.
func TestFastVersusExactObjective(t *testing.T) {
	forceIPM(t)
	x, y := loadMNIST14(t, "train", 500)
	for _, pair := range [][2]int64{{7, 9}, {4, 9}, {3, 5}} {
		var rows []int
		var lab []int64
		for i, v := range y {
			if v == pair[0] || v == pair[1] {
				rows = append(rows, i)
				lab = append(lab, v)
			}
		}
		_, d := x.Dims()
		xs := mat.NewDense(len(rows), d, nil)
		for i, r := range rows {
			xs.SetRow(i, x.RawRowView(r))
		}
		for _, c := range []float64{0.1, 10} {
			exact, err := Fit(xs, lab, Params{C: c, Kernel: Linear})
			if err != nil {
				t.Fatal(err)
			}
			fast, err := Fit(xs, lab, Params{C: c, Kernel: Linear, Solver: SolverFast})
			if err != nil {
				t.Fatal(err)
			}
			oe, of := dualObjective(exact), dualObjective(fast)
			t.Logf("%d vs %d, C=%g: objective exact %.10g (%d SMO iterations, %d SVs), fast %.10g (%d SVs)",
				pair[0], pair[1], c, oe, exact.NIter[0], len(exact.Support), of, len(fast.Support))
			if of > oe+1e-9*math.Abs(oe) {
				t.Errorf("%d vs %d, C=%g: fast objective %.12g worse than libsvm's %.12g", pair[0], pair[1], c, of, oe)
			}
			if fast.IPMPairs != 1 {
				t.Errorf("IPMPairs = %d, want 1", fast.IPMPairs)
			}
		}
	}
}

// TestFastWithinBudgetIsExact: pairs SMO finishes within the budget are
// libsvm's bit for bit, and other kernels are untouched.
func TestFastWithinBudgetIsExact(t *testing.T) {
	var doc goldenDoc
	readGolden(t, "svc_cases.json", &doc)
	for _, c := range doc.Cases {
		if c.Params["kernel"] == "sigmoid" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			x, y, xt := doc.data(c)
			p := paramsFromPython(t, c.Params)
			p.Solver = SolverFast
			m, err := Fit(x, y, p)
			if err != nil {
				t.Fatal(err)
			}
			if m.IPMPairs != 0 {
				t.Fatalf("%d pairs by the interior-point method, want 0 on this small case", m.IPMPairs)
			}
			checkModel(t, m, xt, &c.Out, false)
		})
	}
}

// TestParseSolver round-trips the names and rejects others.
func TestParseSolver(t *testing.T) {
	for _, s := range []Solver{SolverExact, SolverFast} {
		got, err := ParseSolver(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSolver(%q) = %v, %v", s.String(), got, err)
		}
	}
	if _, err := ParseSolver("ipm"); err == nil {
		t.Error("ParseSolver(\"ipm\") succeeded")
	}
	if _, err := Fit(mat.NewDense(2, 1, []float64{0, 1}), []int64{0, 1}, Params{Solver: 7}); err == nil {
		t.Error("Fit with Solver 7 succeeded")
	}
}

// BenchmarkFitLinearHardFast and BenchmarkFitLinearHardExact fit digits 7
// vs 9 of the first 1,000 MNIST images (raw pixels, C=10): libsvm's SMO
// against the interior-point method.
func BenchmarkFitLinearHardFast(b *testing.B)  { benchHard(b, SolverFast) }
func BenchmarkFitLinearHardExact(b *testing.B) { benchHard(b, SolverExact) }

func benchHard(b *testing.B, s Solver) {
	x, y := benchData(b, 1000)
	var rows []int
	var lab []int64
	for i, v := range y {
		if v == 7 || v == 9 {
			rows = append(rows, i)
			lab = append(lab, v)
		}
	}
	_, d := x.Dims()
	xs := mat.NewDense(len(rows), d, nil)
	for i, r := range rows {
		xs.SetRow(i, x.RawRowView(r))
	}
	b.ResetTimer()
	var m *Model
	for i := 0; i < b.N; i++ {
		var err error
		if m, err = Fit(xs, lab, Params{C: 10, Kernel: Linear, Solver: s}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.NIter[0]), "iters")
	b.ReportMetric(float64(m.IPMPairs), "ipm")
}
