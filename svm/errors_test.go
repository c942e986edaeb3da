package svm

import (
	"context"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestFitErrors(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{0, 0, 1, 0, 0, 1, 1, 1})
	nanX := mat.NewDense(4, 2, []float64{0, 0, 1, math.NaN(), 0, 1, 1, 1})
	y := []int64{0, 1, 0, 1}
	var pe *paramError
	for _, tc := range []struct {
		name string
		x    *mat.Dense
		y    []int64
		p    Params
		want func(error) bool
	}{
		{"one class", x, []int64{3, 3, 3, 3}, Params{}, func(e error) bool { return errors.Is(e, ErrOneClass) }},
		{"nan", nanX, y, Params{}, func(e error) bool { return errors.Is(e, ErrNotFinite) }},
		{"negative C", x, y, Params{C: -1}, func(e error) bool { return errors.As(e, &pe) && pe.Name == "C" }},
		{"negative gamma", x, y, Params{Gamma: Gamma{Mode: GammaValue, Value: -2}}, func(e error) bool { return errors.As(e, &pe) && pe.Name == "gamma" }},
		{"bad kernel", x, y, Params{Kernel: 9}, func(e error) bool { return errors.As(e, &pe) && pe.Name == "kernel" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fit(tc.x, tc.y, tc.p)
			if err == nil || !tc.want(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := Fit(mat.NewDense(1, 1, nil), []int64{1}, Params{}); !errors.Is(err, ErrOneClass) {
		t.Errorf("single sample: %v", err)
	}
}

// TestMaxIter: a cap reports MaxIterReached without failing (sklearn's
// fit_status_ = 1; the golden case iris_rbf_maxiter5 checks the values).
func TestMaxIter(t *testing.T) {
	x := mat.NewDense(10, 2, specX)
	m, err := Fit(x, specY, Params{MaxIter: 2})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MaxIterReached || !m.Status.Early() {
		t.Errorf("status %v", m.Status)
	}
	for _, it := range m.NIter {
		if it > 2 {
			t.Errorf("n_iter %v", m.NIter)
		}
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"scale", "auto", "0.01"} {
		g, err := ParseGamma(s)
		if err != nil || g.String() != s {
			t.Errorf("ParseGamma(%q) = %v, %v", s, g, err)
		}
	}
	for _, s := range []string{"", "-1", "fast", "NaN"} {
		if _, err := ParseGamma(s); err == nil {
			t.Errorf("ParseGamma(%q) accepted", s)
		}
	}
	for _, s := range []string{"rbf", "linear", "poly", "sigmoid"} {
		k, err := ParseKernel(s)
		if err != nil || k.String() != s {
			t.Errorf("ParseKernel(%q) = %v, %v", s, k, err)
		}
	}
	if _, err := ParseKernel("precomputed"); err == nil {
		t.Error("ParseKernel(precomputed) accepted")
	}
}

func TestConfusionMatrix(t *testing.T) {
	cm := ConfusionMatrix([]int64{0, 1, 2}, []int64{0, 1, 2, 2, 0}, []int64{0, 2, 2, 1, 0})
	want := [][]int{{2, 0, 0}, {0, 0, 1}, {0, 1, 1}}
	for i := range want {
		for j := range want[i] {
			if cm[i][j] != want[i][j] {
				t.Fatalf("cm = %v, want %v", cm, want)
			}
		}
	}
	if a := Accuracy([]int64{1, 2, 3}, []int64{1, 2, 0}); a != 2.0/3 {
		t.Errorf("accuracy %v", a)
	}
}

// TestFitGramSubset: FitGram on rows R of a bigger matrix equals Fit on the
// copied rows X[R] (gamma='scale' computed on X[R]), and both equal the
// on-demand dot-product path Fit takes past gramLimit.
func TestFitGramSubset(t *testing.T) {
	var doc goldenDoc
	readGolden(t, "svc_cases.json", &doc)
	ds := doc.Datasets["digits300"]
	x := mat.NewDense(ds.N, ds.D, ds.X)
	g := NewGram(x)
	var rows []int
	for i := 0; i < ds.N; i++ {
		if i%5 != 2 {
			rows = append(rows, i)
		}
	}
	sub := mat.NewDense(len(rows), ds.D, nil)
	ys := make([]int64, len(rows))
	for i, r := range rows {
		sub.SetRow(i, x.RawRowView(r))
		ys[i] = ds.Y[r]
	}
	for _, p := range []Params{{C: 10}, {Kernel: Linear, C: 0.5}, {Kernel: Poly, Gamma: Gamma{Mode: GammaAuto}}} {
		a, err := FitGram(g, x, rows, ys, p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Fit(sub, ys, p)
		if err != nil {
			t.Fatal(err)
		}
		// The on-demand path that Fit takes for large n.
		raw := sub.RawMatrix()
		all := make([]int, len(rows))
		for i := range all {
			all[i] = i
		}
		c, err := fit(context.Background(), rowDots{raw.Data, raw.Stride, raw.Cols}, sub, all, ys, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*Model{b, c} {
			checkInts(t, "support", a.Support, m.Support)
			checkInts(t, "n_iter", a.NIter, m.NIter)
			checkFloat(t, "dual", a.DualCoef, m.DualCoef, 0)
			checkFloat(t, "intercept", a.Intercept, m.Intercept, 0)
			checkFloat(t, "gamma", []float64{a.Gamma}, []float64{m.Gamma}, 0)
		}
	}
}

// TestFitContext: a cancelled context stops the fit with ctx.Err().
func TestFitContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := mat.NewDense(10, 2, specX)
	if _, err := FitContext(ctx, x, specY, Params{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if _, err := FitGramContext(ctx, NewGram(x), x, []int{0, 1, 2, 3}, []int64{0, 1, 0, 1}, Params{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}
