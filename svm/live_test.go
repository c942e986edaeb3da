package svm

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/internal/pyref"
)

// liveScript fits scikit-learn's SVC on each problem of a JSON file and
// prints the attributes TestLiveSVC compares.
const liveScript = `
import json, sys, warnings
import numpy as np
from sklearn.svm import SVC
warnings.simplefilter("ignore")
out = []
for p in json.load(open(sys.argv[1])):
    x = np.array(p["x"]).reshape(p["n"], p["d"])
    xt = np.array(p["xt"]).reshape(-1, p["d"])
    clf = SVC(**p["params"]).fit(x, np.array(p["y"]))
    out.append({"support": clf.support_.tolist(), "n_support": clf.n_support_.tolist(),
                "_dual_coef": clf._dual_coef_.ravel().tolist(), "_intercept": clf._intercept_.tolist(),
                "intercept": clf.intercept_.tolist(), "classes": clf.classes_.tolist(),
                "gamma": float(clf._gamma), "n_iter": clf.n_iter_.tolist(), "fit_status": int(clf.fit_status_),
                "predict": clf.predict(xt).tolist(),
                "decision_function": clf.decision_function(xt).ravel().tolist()})
json.dump(out, sys.stdout)
`

// TestLiveSVC draws fresh random problems (clustered, overlapping classes,
// 2–5 classes, random C and kernel) and compares with scikit-learn run live
// through pyref. Unlike the goldens, it explores new data for every
// $HW1PIPE_LIVE_SEED (default 11).
func TestLiveSVC(t *testing.T) {
	pyref.Require(t, "sklearn")
	seed := uint64(11)
	if s, err := strconv.ParseUint(os.Getenv("HW1PIPE_LIVE_SEED"), 10, 64); err == nil {
		seed = s
	}
	rng := rand.New(rand.NewPCG(seed, 12))
	type problem struct {
		N      int            `json:"n"`
		D      int            `json:"d"`
		X      []float64      `json:"x"`
		Xt     []float64      `json:"xt"`
		Y      []int64        `json:"y"`
		Params map[string]any `json:"params"`
	}
	kernels := []string{"rbf", "linear", "poly", "rbf"}
	var probs []problem
	for i := 0; i < 8; i++ {
		n, d, k := 60+rng.IntN(150), 2+rng.IntN(12), 2+rng.IntN(4)
		p := problem{N: n, D: d, Y: make([]int64, n)}
		centers := make([]float64, k*d)
		for j := range centers {
			centers[j] = rng.NormFloat64() * 1.5
		}
		gen := func(c int) []float64 {
			row := make([]float64, d)
			for j := range row {
				row[j] = centers[c*d+j] + rng.NormFloat64()
			}
			return row
		}
		for r := 0; r < n; r++ {
			c := rng.IntN(k)
			p.Y[r] = int64(10 * c)
			p.X = append(p.X, gen(c)...)
		}
		for r := 0; r < 30; r++ {
			p.Xt = append(p.Xt, gen(rng.IntN(k))...)
		}
		p.Params = map[string]any{
			"C":         []float64{0.01, 0.3, 1, 7, 100}[rng.IntN(5)],
			"kernel":    kernels[i%len(kernels)],
			"shrinking": rng.IntN(3) != 0,
		}
		if i%3 == 1 {
			p.Params["gamma"] = "auto"
		}
		if p.Params["kernel"] == "poly" {
			p.Params["coef0"] = 1.0
			p.Params["degree"] = 2.0
		}
		probs = append(probs, p)
	}
	in, _ := json.Marshal(probs)
	path := filepath.Join(t.TempDir(), "problems.json")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var want []goldenOut
	if err := json.Unmarshal(pyref.Run(t, []string{"sklearn"}, liveScript, path), &want); err != nil {
		t.Fatal(err)
	}
	for i, p := range probs {
		t.Run(p.Params["kernel"].(string), func(t *testing.T) {
			kw := map[string]any{}
			for k, v := range p.Params {
				kw[k] = v
			}
			m, err := Fit(mat.NewDense(p.N, p.D, p.X), p.Y, paramsFromPython(t, kw))
			if err != nil {
				t.Fatal(err)
			}
			checkModelTol(t, m, mat.NewDense(30, p.D, p.Xt), &want[i], 30, 0, 1e-13)
		})
	}
}
