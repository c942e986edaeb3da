package stages

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/pyref"
	"hw1pipe/results"
	"hw1pipe/svm"
)

var p1SVCOutputs = map[string]string{"metrics": ".json", "confusion": ".json", "confusion_png": ".png"}

// p1Splits runs p1data on the first 1500 training and 500 test images of
// the real MNIST files with num 400 (320 train / 80 validation rows of
// 14x14 pixels, 0..255) and returns the paths of its .npy outputs keyed as
// p1svc and p1grid expect them.
func p1Splits(t *testing.T) map[string]string {
	t.Helper()
	in := p1MNISTInputs(p1RealInputs(t, 1500, 500))
	p := defaultP1DataParams()
	p.Num = 400
	env, _ := p1Env(t, in, p1DataOutputs)
	if err := p1dataKind().Call(context.Background(), env, p); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range []string{"x_train", "y_train", "x_val", "y_val"} {
		out[k] = env.Output(k)
	}
	return out
}

func p1ReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestP1SVCKind(t *testing.T) {
	k := p1svcKind()
	if k.Name != "p1svc" || k.Version == "" || len(k.Inputs) != 4 || len(k.Outputs) != len(p1SVCOutputs) {
		t.Errorf("kind %+v", k)
	}
	if p := defaultP1SVCParams(); !reflect.DeepEqual(p, &P1SVCParams{C: 1, Kernel: "rbf", Gamma: "auto"}) {
		t.Errorf("defaults %+v", p)
	}
	requireRegistered(t, "p1svc")
}

// TestP1SVC runs the kind on a real MNIST subset, recomputes its numbers
// with package svm, and compares them with scikit-learn 1.2.1's SVC fitted
// on the same .npy files.
func TestP1SVC(t *testing.T) {
	splits := p1Splits(t)
	xTr, yTr, err := readXY(splits["x_train"], splits["y_train"])
	if err != nil {
		t.Fatal(err)
	}
	xVa, yVa, err := readXY(splits["x_val"], splits["y_val"])
	if err != nil {
		t.Fatal(err)
	}
	cases := []P1SVCParams{
		{C: 1, Kernel: "rbf", Gamma: "auto"},
		{C: 10, Kernel: "rbf", Gamma: "scale"},
		{C: 0.1, Kernel: "linear", Gamma: "scale"},
		{C: 1, Kernel: "rbf", Gamma: "1e-06"},
	}
	mets := make([]results.SVCMetrics, len(cases))
	cms := make([]results.Confusion, len(cases))
	for i, p := range cases {
		t.Run(p.Kernel+"_"+p.Gamma+"_C"+strconv.FormatFloat(p.C, 'g', -1, 64), func(t *testing.T) {
			env, rec := p1Env(t, splits, p1SVCOutputs)
			if err := p1svcKind().Call(context.Background(), env, &p); err != nil {
				t.Fatal(err)
			}
			met, cm := &mets[i], &cms[i]
			p1ReadJSON(t, env.Output("metrics"), met)
			p1ReadJSON(t, env.Output("confusion"), cm)
			p1CheckPNG(t, env.Output("confusion_png"))

			sp, _ := svmParams(p.C, "C", p.Kernel, p.Gamma)
			m, err := svm.Fit(xTr, yTr, sp)
			if err != nil {
				t.Fatal(err)
			}
			if met.ValAccuracy != m.Score(xVa, yVa) || met.TrainAccuracy != m.Score(xTr, yTr) ||
				!reflect.DeepEqual(met.NSupport, m.NSupport) || met.NSupportTotal != len(m.Support) ||
				met.SupportRatio != float64(len(m.Support))/320 || met.GammaValue != m.Gamma ||
				met.NTrain != 320 || met.NVal != 80 || met.NFeatures != 196 || met.Status != "converged" {
				t.Errorf("metrics %+v", met)
			}
			if !reflect.DeepEqual(cm.Labels, []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
				t.Fatalf("labels %v", cm.Labels)
			}
			diag, total := 0, 0
			for i, row := range cm.Matrix {
				n := 0
				for j, v := range row {
					n += v
					if i == j {
						diag += v
					}
				}
				total += n
				if n != 8 { // 80 validation rows, 8 per digit
					t.Errorf("row %d sums to %d", i, n)
				}
			}
			if float64(diag)/float64(total) != met.ValAccuracy {
				t.Errorf("trace %d/%d, accuracy %v", diag, total, met.ValAccuracy)
			}
			if n := len(rec.fracs); n == 0 || rec.fracs[n-1] != 1 {
				t.Errorf("progress %v", rec.fracs)
			}
		})
	}

	// One Python process fits every case (importing sklearn dominates).
	t.Run("sklearn", func(t *testing.T) {
		cfg, _ := json.Marshal(cases)
		out := pyref.Run(t, []string{"numpy", "sklearn"}, `
import json, sys, numpy as np
from sklearn.svm import SVC
from sklearn.metrics import confusion_matrix
a = [np.load(p) for p in sys.argv[1:5]]
res = []
for c in json.loads(sys.argv[5]):
    g = c["Gamma"] if c["Gamma"] in ("scale", "auto") else float(c["Gamma"])
    clf = SVC(C=c["C"], kernel=c["Kernel"], gamma=g).fit(a[0], a[1])
    res.append({"val_accuracy": clf.score(a[2], a[3]), "train_accuracy": clf.score(a[0], a[1]),
        "n_support": clf.n_support_.tolist(), "gamma_value": clf._gamma,
        "matrix": confusion_matrix(a[3], clf.predict(a[2])).tolist()})
print(json.dumps(res))
`, splits["x_train"], splits["y_train"], splits["x_val"], splits["y_val"], string(cfg))
		var ref []struct {
			ValAccuracy   float64 `json:"val_accuracy"`
			TrainAccuracy float64 `json:"train_accuracy"`
			NSupport      []int   `json:"n_support"`
			GammaValue    float64 `json:"gamma_value"`
			Matrix        [][]int
		}
		if err := json.Unmarshal(out, &ref); err != nil || len(ref) != len(cases) {
			t.Fatalf("%v: %s", err, out)
		}
		for i, r := range ref {
			met := mets[i]
			if r.ValAccuracy != met.ValAccuracy || r.TrainAccuracy != met.TrainAccuracy ||
				!reflect.DeepEqual(r.NSupport, met.NSupport) || r.GammaValue != met.GammaValue ||
				!reflect.DeepEqual(r.Matrix, cms[i].Matrix) {
				t.Errorf("%+v: scikit-learn %+v\nhw1pipe %+v %v", cases[i], r, met, cms[i].Matrix)
			}
		}
	})
}

func TestP1SVCErrors(t *testing.T) {
	in := p1MNISTInputs(p1SyntheticInputs(t))
	env, _ := p1Env(t, in, p1DataOutputs)
	p := defaultP1DataParams()
	p.Num = 300
	if err := p1dataKind().Call(context.Background(), env, p); err != nil {
		t.Fatal(err)
	}
	splits := map[string]string{}
	for _, k := range []string{"x_train", "y_train", "x_val", "y_val"} {
		splits[k] = env.Output(k)
	}
	for _, c := range []struct {
		name string
		p    P1SVCParams
		want string
	}{
		{"kernel", P1SVCParams{C: 1, Kernel: "rbff", Gamma: "auto"}, `param "kernel"`},
		{"gamma", P1SVCParams{C: 1, Kernel: "rbf", Gamma: "-1"}, `param "gamma"`},
		{"C", P1SVCParams{C: 0, Kernel: "rbf", Gamma: "auto"}, `param "C"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			env, _ := p1Env(t, splits, p1SVCOutputs)
			err := p1svcKind().Call(context.Background(), env, &p)
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
	// x_val with another feature count.
	bad := map[string]string{"x_train": splits["x_train"], "y_train": splits["y_train"], "y_val": splits["y_val"]}
	bad["x_val"] = filepath.Join(t.TempDir(), "x_val.npy")
	if err := npy.WriteFile(bad["x_val"], []int{60, 10}, make([]float64, 600)); err != nil {
		t.Fatal(err)
	}
	env, _ = p1Env(t, bad, p1SVCOutputs)
	if err := p1svcKind().Call(context.Background(), env, defaultP1SVCParams()); err == nil || !strings.Contains(err.Error(), "196 features but x_val has 10") {
		t.Errorf("err = %v", err)
	}
}
