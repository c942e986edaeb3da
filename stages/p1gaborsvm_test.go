package stages

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/artifacts/npy"
	"hw1pipe/imgresize"
	"hw1pipe/internal/pyref"
	"hw1pipe/pca"
	"hw1pipe/results"
	"hw1pipe/standardize"
)

var p1GaborSVMOutputs = map[string]string{
	"train_pca": ".npy", "val_pca": ".npy", "results": ".json", "table": ".md",
}

func TestP1GaborSVMKind(t *testing.T) {
	k := p1gaborsvmKind()
	if k.Name != "p1gaborsvm" || k.Version == "" ||
		!reflect.DeepEqual(k.Inputs, []string{"train_features", "train_labels", "val_features", "val_labels"}) ||
		!reflect.DeepEqual(k.Outputs, []string{"train_pca", "val_pca", "results", "table"}) {
		t.Errorf("kind %+v", k)
	}
	want := &P1GaborSVMParams{Components: 50, PCASolver: "gram", C: []float64{1, 10}, Kernel: "rbf", Gamma: "scale"}
	if p := defaultP1GaborSVMParams(); !reflect.DeepEqual(p, want) {
		t.Errorf("defaults %+v", p)
	}
}

// p1GaborMNISTSplits writes x_train/x_val as p1data would (14×14 by
// cv2.resize's exact-2× path) from the first nTr MNIST training and nVa
// MNIST test images.
func p1GaborMNISTSplits(t *testing.T, nTr, nVa int) map[string]string {
	t.Helper()
	src := p1RealInputs(t, nTr, nVa)
	dir := t.TempDir()
	in := map[string]string{}
	for _, s := range []struct{ img, lab, x, y string }{
		{"train_images", "train_labels", "x_train", "y_train"},
		{"test_images", "test_labels", "x_val", "y_val"},
	} {
		pix, y, err := p1Source(filepath.Join(src, s.img+".npy"), filepath.Join(src, s.lab+".npy"))
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, len(y)*196)
		img := make([]float64, 784)
		for i := range y {
			for q, v := range pix[i*784 : (i+1)*784] {
				img[q] = float64(v)
			}
			imgresize.LinearFloat64(x[i*196:(i+1)*196], 14, 14, img, 28, 28)
		}
		in[s.x], in[s.y] = filepath.Join(dir, s.x+".npy"), filepath.Join(dir, s.y+".npy")
		if err := npy.WriteFile(in[s.x], []int{len(y), 196}, x); err != nil {
			t.Fatal(err)
		}
		if err := npy.WriteFile(in[s.y], []int{len(y)}, y); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// TestP1GaborSVMPyref runs both Problem 1h kinds on 300 + 300 real MNIST
// images (30 per class) with 20 components, then checks that the PCA
// files equal standardize + pca applied directly, and that scikit-learn
// 1.2.1's StandardScaler + PCA(20, svd_solver='full') + SVC(C,
// gamma='scale') on the same feature files gives the same projection (to
// rounding) and validation accuracies within 0.01 (the fidelity
// bar).
func TestP1GaborSVMPyref(t *testing.T) {
	in := p1GaborMNISTSplits(t, 500, 500)
	fp := &P1GaborFeaturesParams{PerClass: 30, Seed: 0, Scale: 1, ShowFilter: 3}
	fenv, _ := p1Env(t, in, p1GaborFeatureOutputs)
	if err := p1gaborfeaturesKind().Call(context.Background(), fenv, fp); err != nil {
		t.Fatal(err)
	}
	sin := map[string]string{}
	for _, k := range []string{"train_features", "train_labels", "val_features", "val_labels"} {
		sin[k] = fenv.Output(k)
	}
	sp := &P1GaborSVMParams{Components: 20, PCASolver: "gram", C: []float64{1, 10}, Kernel: "rbf", Gamma: "scale"}
	env, rec := p1Env(t, sin, p1GaborSVMOutputs)
	if err := p1gaborsvmKind().Call(context.Background(), env, sp); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.fracs); n == 0 || rec.fracs[n-1] != 1 {
		t.Errorf("progress %v", rec.fracs)
	}
	var res results.GaborSVM
	if err := readJSON(env.Output("results"), &res); err != nil {
		t.Fatal(err)
	}
	if res.NTrain != 300 || res.NVal != 300 || res.NFeatures != 3136 || res.Components != 20 ||
		len(res.Fits) != 2 || len(res.ExplainedVarianceRatio) != 20 || !(res.ExplainedVarianceRatioSum > 0 && res.ExplainedVarianceRatioSum < 1) {
		t.Fatalf("results %+v", res)
	}
	best := res.Fits[0]
	if res.Fits[1].ValAccuracy > best.ValAccuracy {
		best = res.Fits[1]
	}
	if res.BestC != best.C || res.BestValAccuracy != best.ValAccuracy {
		t.Errorf("best C=%v acc=%v, fits %+v", res.BestC, res.BestValAccuracy, res.Fits)
	}
	table, err := os.ReadFile(env.Output("table"))
	if err != nil || !strings.Contains(string(table), "| 10 |") || !strings.Contains(string(table), "Best: C=") {
		t.Errorf("table %q %v", table, err)
	}

	// The projections equal standardize + pca applied directly.
	xTr, _, _ := readXY(sin["train_features"], sin["train_labels"])
	xVa, _, _ := readXY(sin["val_features"], sin["val_labels"])
	var sc standardize.Scaler
	sc.Fit(xTr)
	var sTr, sVa, wTr, wVa mat.Dense
	sc.TransformTo(&sTr, xTr)
	sc.TransformTo(&sVa, xVa)
	var pc pca.PCA
	if !pc.Fit(&sTr, 20) {
		t.Fatal("PCA did not converge")
	}
	pc.TransformTo(&wTr, &sTr)
	pc.TransformTo(&wVa, &sVa)
	for _, c := range []struct {
		key  string
		want *mat.Dense
	}{{"train_pca", &wTr}, {"val_pca", &wVa}} {
		got, err := readDense(env.Output(c.key))
		if err != nil {
			t.Fatal(err)
		}
		// The stage's Gram solver against the exact SVD: the same
		// components to rounding.
		if !mat.EqualApprox(got, c.want, 1e-10) {
			t.Errorf("%s differs from standardize + pca applied directly", c.key)
		}
	}

	pyref.Require(t, "numpy", "sklearn")
	const script = `
import json, sys
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.decomposition import PCA
from sklearn.svm import SVC
xtr, ytr, xva, yva, ptr, pva = (np.load(p) for p in sys.argv[1:7])
k = int(sys.argv[7])
sc = StandardScaler().fit(xtr)
pca = PCA(n_components=k, svd_solver='full').fit(sc.transform(xtr))
ztr, zva = pca.transform(sc.transform(xtr)), pca.transform(sc.transform(xva))
out = {"pca_max_abs_diff": float(max(np.abs(ztr - ptr).max(), np.abs(zva - pva).max())),
       "pca_max_abs": float(np.abs(ztr).max()),
       "evr_sum": float(pca.explained_variance_ratio_.sum()), "fits": []}
for c in json.loads(sys.argv[8]):
    m = make_pipeline(StandardScaler(), PCA(n_components=k, svd_solver='full'), SVC(C=c, kernel='rbf', gamma='scale')).fit(xtr, ytr)
    out["fits"].append({"C": c, "val_accuracy": m.score(xva, yva), "n_sv": int(m[-1].n_support_.sum())})
print(json.dumps(out))
`
	cs, _ := json.Marshal(sp.C)
	b := pyref.Run(t, []string{"numpy", "sklearn"}, script,
		sin["train_features"], sin["train_labels"], sin["val_features"], sin["val_labels"],
		env.Output("train_pca"), env.Output("val_pca"), "20", string(cs))
	var ref struct {
		PCAMaxAbsDiff float64 `json:"pca_max_abs_diff"`
		PCAMaxAbs     float64 `json:"pca_max_abs"`
		EVRSum        float64 `json:"evr_sum"`
		Fits          []struct {
			C           float64 `json:"C"`
			ValAccuracy float64 `json:"val_accuracy"`
			NSV         int     `json:"n_sv"`
		} `json:"fits"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	t.Logf("sklearn: %s", b)
	// Exact SVDs from LAPACK and gonum agree to ~1e-13 relative
	// (docs/numerics.md#pca); the projections are of order 10.
	if ref.PCAMaxAbsDiff > 1e-9*ref.PCAMaxAbs {
		t.Errorf("projections differ from scikit-learn's by %g (max |z| %g)", ref.PCAMaxAbsDiff, ref.PCAMaxAbs)
	}
	if math.Abs(ref.EVRSum-res.ExplainedVarianceRatioSum) > 1e-12 {
		t.Errorf("explained variance ratio sum %v, scikit-learn %v", res.ExplainedVarianceRatioSum, ref.EVRSum)
	}
	for i, f := range res.Fits {
		r := ref.Fits[i]
		if r.C != f.C || math.Abs(r.ValAccuracy-f.ValAccuracy) > 0.01 {
			t.Errorf("C=%v: validation accuracy %v, scikit-learn %v", f.C, f.ValAccuracy, r.ValAccuracy)
		}
		t.Logf("C=%v: accuracy %v (sklearn %v), support vectors %d (sklearn %d)", f.C, f.ValAccuracy, r.ValAccuracy, f.NSupportTotal, r.NSV)
	}
}

// TestP1GaborSVMErrors: bad params and inputs are errors naming the
// problem, and nothing is written.
func TestP1GaborSVMErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, shape []int, data any) string {
		p := filepath.Join(dir, name+".npy")
		if err := npy.WriteFile(p, shape, data); err != nil {
			t.Fatal(err)
		}
		return p
	}
	x := make([]float64, 20*8)
	for i := range x {
		x[i] = float64((i * 7) % 11)
	}
	y := make([]int64, 20)
	for i := range y {
		y[i] = int64(i % 2)
	}
	in := map[string]string{
		"train_features": write("trf", []int{20, 8}, x), "train_labels": write("trl", []int{20}, y),
		"val_features": write("vaf", []int{20, 8}, x), "val_labels": write("val", []int{20}, y),
	}
	wide := map[string]string{}
	for k, v := range in {
		wide[k] = v
	}
	wide["val_features"] = write("vaf9", []int{10, 16}, x)
	wide["val_labels"] = write("val9", []int{10}, y[:10])
	for _, c := range []struct {
		name string
		in   map[string]string
		p    P1GaborSVMParams
		want string
	}{
		{"components", in, P1GaborSVMParams{Components: 9, PCASolver: "gram", C: []float64{1}, Kernel: "rbf", Gamma: "scale"}, "components = 9"},
		{"no_C", in, P1GaborSVMParams{Components: 2, PCASolver: "gram", Kernel: "rbf", Gamma: "scale"}, `param "C"`},
		{"bad_C", in, P1GaborSVMParams{Components: 2, PCASolver: "gram", C: []float64{1, -1}, Kernel: "rbf", Gamma: "scale"}, `param "C[1]"`},
		{"gamma", in, P1GaborSVMParams{Components: 2, PCASolver: "gram", C: []float64{1}, Kernel: "rbf", Gamma: "gama"}, `param "gamma"`},
		{"widths", wide, P1GaborSVMParams{Components: 2, PCASolver: "gram", C: []float64{1}, Kernel: "rbf", Gamma: "scale"}, "16"},
		{"solver", in, P1GaborSVMParams{Components: 2, PCASolver: "arpack", C: []float64{1}, Kernel: "rbf", Gamma: "scale"}, "pca_solver"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			env, _ := p1Env(t, c.in, p1GaborSVMOutputs)
			err := p1gaborsvmKind().Call(context.Background(), env, &p)
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
}
