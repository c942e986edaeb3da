package svm

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The ten-point set of docs/numerics.md#svc-prediction, checked there against
// scikit-learn 1.2.1.
var (
	specX  = []float64{0, 0, 1, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 2, 3, 3, 3, 0, 1, 2}
	specY  = []int64{2, 0, 1, 0, 2, 1, 1, 2, 0, 1}
	specXt = []float64{0.5, 0.5, 2.5, 1.0, 0.2, 1.8}
)

func TestSpecVectors(t *testing.T) {
	x := mat.NewDense(10, 2, specX)
	xt := mat.NewDense(3, 2, specXt)
	m, err := Fit(x, specY, Params{C: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkFloat(t, "gamma", []float64{m.Gamma}, []float64{0.43103448275862055}, 0)
	checkInts(t, "support_", m.Support, []int{1, 3, 8, 2, 5, 9, 0, 4, 7})
	checkInts(t, "n_support_", m.NSupport, []int{3, 3, 3})
	checkFloat(t, "dual_coef_", m.DualCoef, []float64{
		1, 1, 1, -1, -1, -1, -1, -1, -0.7022067464435815,
		0.9017894009909443, 1, 0.8004173454526372, 1, 0.9232689068386732, 1, -1, -1, -0.9232689068386732}, 0)
	checkFloat(t, "intercept_", m.Intercept, []float64{-0.26608768245205283, 0.07371615070468475, 0.21401660017727409}, 0)
	checkInts(t, "n_iter_", m.NIter, []int{3, 11, 6})
	checkFloat(t, "ovo", m.DecisionOVO(xt).RawMatrix().Data, []float64{
		-0.0800904611652718, 0.7022965517056912, 0.7207543860679434,
		0.045448431074073425, 0.4022375698515139, 0.2914832815472157,
		-1.047028550743577, 0.32647086689605515, 1.2590909057651867}, 1e-15)
	checkFloat(t, "ovr row0", m.DecisionFunction(xt).RawRowView(0), []float64{1.1278518379320388, 2.1482350258109166, -0.19576572047926388}, 1e-15)
	checkInt64(t, "predict", m.Predict(xt), []int64{1, 0, 1})

	yb := make([]int64, 10)
	for i, v := range specY {
		if v == 1 {
			yb[i] = 1
		}
	}
	mb, err := Fit(x, yb, Params{C: 1, Kernel: Linear})
	if err != nil {
		t.Fatal(err)
	}
	checkFloat(t, "binary intercept_", mb.PublicIntercept(), []float64{-0.1424273504273504}, 0)
	checkFloat(t, "binary decision", mb.DecisionFunction(xt).RawMatrix().Data, []float64{-0.2854017094017093, -1.7139145299145286, 0.7141059829059831}, 1e-15)
}

func checkFloat(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: len %d, want %d", name, len(got), len(want))
		return
	}
	worst := 0.0
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if d > tol*math.Max(1, math.Abs(want[i])) || (tol == 0 && got[i] != want[i]) {
			t.Errorf("%s[%d] = %v, want %v (diff %g)", name, i, got[i], want[i], d)
			if worst++; worst > 5 {
				return
			}
		}
	}
}

func checkInts(t *testing.T, name string, got, want []int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", name, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s = %v, want %v", name, got, want)
			return
		}
	}
}

func checkInt64(t *testing.T, name string, got, want []int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", name, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s = %v, want %v", name, got, want)
			return
		}
	}
}
