package verify

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hw1pipe/artifacts/h5"
	"hw1pipe/artifacts/pickle"
	"hw1pipe/artifacts/torchsave"
	"hw1pipe/internal/pyref"
)

// Fixtures come from hw1pipe's own writers plus two Python-made goldens:
// golden/artifacts/sklearn/svc_digits_rbf_scale.pkl (a fitted 10-class
// SVC, pickle.dumps by scikit-learn 1.2.1) and golden/artifacts/h5/linear.h5
// (h5py 3.7); golden/artifacts/README.md names the scripts.
const (
	goldenSVC = "../golden/artifacts/sklearn/svc_digits_rbf_scale.pkl"
	goldenH5  = "../golden/artifacts/h5/linear.h5"
)

func curve(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 2.3 / float64(i+1)
	}
	return v
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeTorch(t *testing.T, path string, wShape []int) {
	t.Helper()
	n := wShape[0] * wShape[1]
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(i%13-6) / 100
	}
	b := make([]float32, 10)
	if err := torchsave.WriteFile(path, []torchsave.Tensor{
		{Name: "fc1.weight", Shape: wShape, Data: w},
		{Name: "fc1.bias", Shape: []int{10}, Data: b},
	}); err != nil {
		t.Fatal(err)
	}
}

// goodFolder writes a submission folder that the autograder accepts.
func goodFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, a := range Assignments() {
		if err := os.MkdirAll(filepath.Join(dir, a), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range Deliverables() {
		p := filepath.Join(dir, filepath.FromSlash(d.Path()))
		switch d.Format {
		case FloatList:
			if err := pickle.WriteFile(p, curve(d.Len)); err != nil {
				t.Fatal(err)
			}
		case SklearnSVM:
			copyFile(t, goldenSVC, p)
		case LinearH5:
			copyFile(t, goldenH5, p)
		case TorchStateDict:
			writeTorch(t, p, []int{10, 784})
		}
	}
	return dir
}

func find(rep *Report, path, checker string) (Result, bool) {
	for _, r := range rep.Results {
		if r.Path == path && r.Checker == checker {
			return r, true
		}
	}
	return Result{}, false
}

func TestVerifyGoodFolder(t *testing.T) {
	dir := goodFolder(t)
	rep, err := Dir(context.Background(), dir, &Options{NoPython: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Fatalf("good folder failed: %v\n%v", err, rep.Results)
	}
	for _, d := range Deliverables() {
		r, ok := find(rep, d.Path(), "go")
		if !ok {
			t.Fatalf("no go check of %s", d.Path())
		}
		want := Pass
		if d.Format == LinearH5 && !h5.Built {
			want = NotBuilt
		}
		if r.Status != want {
			t.Errorf("%s: %v (%s), want %v", d.Path(), r.Status, r.Detail, want)
		}
		if p, _ := find(rep, d.Path(), "python"); p.Status != Skipped {
			t.Errorf("%s: python check %v with NoPython", d.Path(), p.Status)
		}
	}
	if r, _ := find(rep, "problem1/grid_search_svm.pkl", "go"); !strings.Contains(r.Detail, "10 classes, 64 features") {
		t.Errorf("svm detail %q", r.Detail)
	}
}

// TestVerifyPython runs the embedded check.py with the reference stack on
// a good folder (all pass) and a broken one (each break fails there too).
func TestVerifyPython(t *testing.T) {
	py := pyref.Require(t, "numpy", "sklearn", "torch", "h5py")
	dir := goodFolder(t)
	rep, err := Dir(context.Background(), dir, &Options{Python: py})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range Deliverables() {
		r, _ := find(rep, d.Path(), "python")
		if r.Status != Pass {
			t.Errorf("python %s: %v %s", d.Path(), r.Status, r.Detail)
		}
	}
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	// Break several files at once: one Python run covers them all.
	p3 := filepath.Join(dir, "problem3")
	if err := pickle.WriteFile(filepath.Join(p3, "self_NN_training_loss.pkl"), curve(9999)); err != nil {
		t.Fatal(err)
	}
	nan := curve(11)
	nan[4] = math.NaN()
	if err := pickle.WriteFile(filepath.Join(p3, "pytorch_NN_validation_error.pkl"), nan); err != nil {
		t.Fatal(err)
	}
	writeTorch(t, filepath.Join(p3, "pytorch_nn_weights.pth"), []int{10, 783})
	if err := os.WriteFile(filepath.Join(p3, "linear.h5"), []byte("not hdf5"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := pickle.WriteFile(filepath.Join(dir, "problem1", "grid_search_svm.pkl"), []any{1.0}); err != nil {
		t.Fatal(err)
	}
	rep, err = Dir(context.Background(), dir, &Options{Python: py})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"problem3/self_NN_training_loss.pkl":       "9999 values",
		"problem3/pytorch_NN_validation_error.pkl": "nan",
		"problem3/pytorch_nn_weights.pth":          "783",
		"problem3/linear.h5":                       "python: ",
		"problem1/grid_search_svm.pkl":             "want an SVC",
	} {
		r, _ := find(rep, path, "python")
		if r.Status != Fail || !strings.Contains(r.Detail, want) {
			t.Errorf("python %s: %v %q, want FAIL containing %q", path, r.Status, r.Detail, want)
		}
	}
}

func TestVerifyBroken(t *testing.T) {
	nan := curve(11)
	nan[3] = math.NaN()
	cases := []struct {
		name   string
		breakF func(t *testing.T, dir string)
		path   string // the failing file
		want   string // in its reason
	}{
		{"missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "problem3", "self_NN_validation_loss.pkl"))
		}, "problem3/self_NN_validation_loss.pkl", "missing"},
		{"wrong length", func(t *testing.T, dir string) {
			pickle.WriteFile(filepath.Join(dir, "problem3", "self_NN_training_error.pkl"), curve(9999))
		}, "problem3/self_NN_training_error.pkl", "wrong length: 9999 values, want 10000"},
		{"NaN", func(t *testing.T, dir string) {
			pickle.WriteFile(filepath.Join(dir, "problem3", "pytorch_NN_validation_loss.pkl"), nan)
		}, "problem3/pytorch_NN_validation_loss.pkl", "item 3 is NaN"},
		{"int item", func(t *testing.T, dir string) {
			v := make([]any, 11)
			for i := range v {
				v[i] = 0.5
			}
			v[7] = 1
			pickle.WriteFile(filepath.Join(dir, "problem3", "self_NN_validation_error.pkl"), v)
		}, "problem3/self_NN_validation_error.pkl", "item 7 is a int, want a Python float"},
		{"not a list", func(t *testing.T, dir string) {
			pickle.WriteFile(filepath.Join(dir, "problem3", "self_NN_validation_error.pkl"), pickle.Tuple{1.0})
		}, "problem3/self_NN_validation_error.pkl", "holds a tuple"},
		{"not a pickle", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "problem3", "pytorch_NN_training_loss.pkl"), []byte("loss,0.5\n"), 0o644)
		}, "problem3/pytorch_NN_training_loss.pkl", "not a pickle"},
		{"truncated pickle", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "problem3", "pytorch_NN_training_loss.pkl")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b[:len(b)/2:len(b)/2], '.'), 0o644)
		}, "problem3/pytorch_NN_training_loss.pkl", "unreadable pickle"},
		{"wrong torch shape", func(t *testing.T, dir string) {
			writeTorch(t, filepath.Join(dir, "problem3", "pytorch_nn_weights.pth"), []int{784, 10})
		}, "problem3/pytorch_nn_weights.pth", "fc1.weight has wrong shape [784 10], want [10 784]"},
		{"torch not a zip", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "problem3", "pytorch_nn_weights.pth"), []byte("PK nope"), 0o644)
		}, "problem3/pytorch_nn_weights.pth", "not a loadable torch.save archive"},
		{"h5 not hdf5", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "problem3", "linear.h5"), []byte("w,b\n"), 0o644)
		}, "problem3/linear.h5", "not an HDF5 file"},
		{"svm is a list", func(t *testing.T, dir string) {
			pickle.WriteFile(filepath.Join(dir, "problem1", "grid_search_svm.pkl"), curve(3))
		}, "problem1/grid_search_svm.pkl", "holds a list, want a fitted sklearn SVC or GridSearchCV"},
		{"unfitted svc", func(t *testing.T, dir string) {
			st := pickle.NewDict("kernel", "rbf", "C", 1.0, "gamma", "scale")
			pickle.WriteFile(filepath.Join(dir, "problem1", "grid_search_svm.pkl"),
				pickle.Object{Class: pickle.Global{Module: "sklearn.svm._classes", Name: "SVC"}, State: st})
		}, "problem1/grid_search_svm.pkl", "_gamma is None"},
		{"extra file", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "problem3", "notes.txt"), []byte("hi"), 0o644)
		}, "problem3/notes.txt", "unexpected file"},
		{"extra folder", func(t *testing.T, dir string) {
			os.Mkdir(filepath.Join(dir, "problem1", "old"), 0o755)
		}, "problem1/old", "unexpected folder"},
		{"misnamed", func(t *testing.T, dir string) {
			os.Rename(filepath.Join(dir, "problem3", "linear.h5"), filepath.Join(dir, "problem3", "Linear.h5"))
		}, "problem3/linear.h5", "missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := goodFolder(t)
			c.breakF(t, dir)
			rep, err := Dir(context.Background(), dir, &Options{NoPython: true})
			if err != nil {
				t.Fatal(err)
			}
			var got *Result
			for i, r := range rep.Failed() {
				if r.Path == c.path {
					got = &rep.Failed()[i]
				} else if !(c.name == "misnamed" && r.Path == "problem3/Linear.h5") {
					t.Errorf("also failed: %s: %s", r.Path, r.Detail)
				}
			}
			if got == nil || !strings.Contains(got.Detail, c.want) {
				t.Fatalf("want %s to fail with %q; results:\n%v", c.path, c.want, rep.Results)
			}
			fe, ok := rep.Err().(*failedError)
			if !ok || !strings.Contains(fe.Error(), c.path) {
				t.Errorf("Err() = %v, want a *failedError naming %s", rep.Err(), c.path)
			}
		})
	}
}

func TestVerifyNoFolder(t *testing.T) {
	if _, err := Dir(context.Background(), filepath.Join(t.TempDir(), "nope"), nil); err == nil {
		t.Fatal("no error for a missing folder")
	}
}

func TestVerifyDeliverables(t *testing.T) {
	var names []string
	for _, d := range Deliverables() {
		names = append(names, d.Path())
	}
	want := "problem1/grid_search_svm.pkl problem3/self_NN_training_loss.pkl problem3/self_NN_training_error.pkl " +
		"problem3/self_NN_validation_loss.pkl problem3/self_NN_validation_error.pkl problem3/pytorch_NN_training_loss.pkl " +
		"problem3/pytorch_NN_training_error.pkl problem3/pytorch_NN_validation_loss.pkl problem3/pytorch_NN_validation_error.pkl " +
		"problem3/linear.h5 problem3/pytorch_nn_weights.pth"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("deliverables\n got %s\nwant %s", got, want)
	}
}

// TestVerifyGridSearch checks a GridSearchCV pickle made by scikit-learn
// 1.2.1 (golden/artifacts/sklearn/grid_iris.pkl, 3 classes): the export
// the starter code uses.
func TestVerifyGridSearch(t *testing.T) {
	dir := goodFolder(t)
	copyFile(t, "../golden/artifacts/sklearn/grid_iris.pkl", filepath.Join(dir, "problem1", "grid_search_svm.pkl"))
	rep, err := Dir(context.Background(), dir, &Options{NoPython: true, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := find(rep, "problem1/grid_search_svm.pkl", "go")
	if r.Status != Pass || !strings.HasPrefix(r.Detail, "fitted GridSearchCV, best_estimator_ kernel") {
		t.Errorf("go: %v %s", r.Status, r.Detail)
	}
	rep, _ = Dir(context.Background(), dir, &Options{NoPython: true})
	r, _ = find(rep, "problem1/grid_search_svm.pkl", "go")
	if r.Status != Fail || !strings.Contains(r.Detail, "classes_ has 3 classes, want 10") {
		t.Errorf("10-class check: %v %s", r.Status, r.Detail)
	}
}

// TestVerifyPythonTimeout: a checker that never answers (a hostile file
// that slipped past check.py's budgets would look the same) is killed at
// the deadline and every file fails saying so.
func TestVerifyPythonTimeout(t *testing.T) {
	dir := goodFolder(t)
	hang := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(hang, []byte("#!/bin/sh\nexec sleep 60\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := Dir(context.Background(), dir, &Options{Python: hang, PythonTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range Deliverables() {
		r, _ := find(rep, d.Path(), "python")
		if r.Status != Fail || !strings.Contains(r.Detail, "took longer than 500ms") {
			t.Errorf("python %s: %v %q, want FAIL after the deadline", d.Path(), r.Status, r.Detail)
		}
	}
}
