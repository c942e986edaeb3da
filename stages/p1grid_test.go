package stages

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"hw1pipe/gridsearch"
	"hw1pipe/internal/pyref"
	"hw1pipe/results"
	"hw1pipe/svm"
)

var p1GridOutputs = map[string]string{"grid_csv": ".csv", "grid_md": ".md", "results": ".json", "model": ".pkl"}

func TestP1GridKind(t *testing.T) {
	k := p1gridKind()
	if k.Name != "p1grid" || k.Version == "" || len(k.Inputs) != 4 || len(k.Outputs) != len(p1GridOutputs) {
		t.Errorf("kind %+v", k)
	}
	want := &P1GridParams{
		Grid:  P1Grid{C: []float64{0.1, 1, 10}, Kernel: []string{"linear", "rbf"}, Gamma: []string{"scale", "auto"}},
		Folds: 5, Export: "best_estimator", SklearnVersion: "1.2.1", Solver: "fast",
	}
	if p := defaultP1GridParams(); !reflect.DeepEqual(p, want) {
		t.Errorf("defaults %+v", p)
	}
	requireRegistered(t, "p1grid")
}

// TestP1Grid runs the kind with both exports on a real MNIST subset (320
// training rows), checks its tables against package gridsearch, then
// loads both pickles in scikit-learn 1.2.1 and also runs the real
// GridSearchCV on the same .npy files.
func TestP1Grid(t *testing.T) {
	splits := p1Splits(t)
	xTr, yTr, err := readXY(splits["x_train"], splits["y_train"])
	if err != nil {
		t.Fatal(err)
	}
	xVa, yVa, err := readXY(splits["x_val"], splits["y_val"])
	if err != nil {
		t.Fatal(err)
	}
	p := defaultP1GridParams()
	grid, err := searchGrid(p.Grid)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := gridsearch.Search(context.Background(), xTr, yTr, grid, gridsearch.Options{Folds: 5})
	if err != nil {
		t.Fatal(err)
	}
	wantPred := ref.BestModel.Predict(xVa)

	pickles := map[string]string{}
	parent := t // outputs must outlive the subtests
	for _, export := range []string{"best_estimator", "search"} {
		t.Run(export, func(t *testing.T) {
			p := defaultP1GridParams()
			p.Export = export
			env, rec := p1Env(parent, splits, p1GridOutputs)
			if err := p1gridKind().Call(context.Background(), env, p); err != nil {
				t.Fatal(err)
			}
			pickles[export] = env.Output("model")

			var res results.Grid
			p1ReadJSON(t, env.Output("results"), &res)
			if res.BestIndex != ref.BestIndex || res.BestCVScore != ref.BestScore ||
				res.ValAccuracy != ref.BestModel.Score(xVa, yVa) || res.NSupportTotal != len(ref.BestModel.Support) ||
				res.NTrain != 320 || res.NVal != 80 || res.Folds != 5 || res.NCandidates != 12 ||
				res.Export != export || res.SklearnVersion != "1.2.1" || res.FailedFits != 0 {
				t.Errorf("results %+v, search best %d %v", res, ref.BestIndex, ref.BestScore)
			}
			if got, want := res.BestParams, (results.BestParams{C: ref.BestParams.C, Kernel: ref.BestParams.Kernel.String(),
				Gamma: results.Gamma{Name: ref.BestParams.Gamma.String()}}); got != want {
				t.Errorf("best params %+v, want %+v", got, want)
			}

			f, err := os.Open(env.Output("grid_csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 13 || !reflect.DeepEqual(rows[0][:3], []string{"param_C", "param_gamma", "param_kernel"}) ||
				rows[0][8] != "mean_test_score" || rows[0][10] != "rank_test_score" {
				t.Fatalf("csv header %v, %d rows", rows[0], len(rows))
			}
			if !reflect.DeepEqual(rows[1][:3], []string{"0.1", "scale", "linear"}) || !reflect.DeepEqual(rows[12][:3], []string{"10", "auto", "rbf"}) {
				t.Errorf("csv rows %v ... %v", rows[1], rows[12])
			}
			for c := 0; c < 12; c++ {
				if rows[c+1][8] != results.PyFloat(ref.MeanTestScore[c]) || rows[c+1][10] != results.PyValue(ref.RankTestScore[c]) ||
					rows[c+1][3] != results.PyFloat(ref.SplitTestScores[c][0]) {
					t.Errorf("csv row %d %v, search mean %v rank %d", c, rows[c+1], ref.MeanTestScore[c], ref.RankTestScore[c])
				}
			}
			md, err := os.ReadFile(env.Output("grid_md"))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(md), "\n| "); n != 13 || !strings.Contains(string(md), "validation accuracy") {
				t.Errorf("markdown has %d table rows:\n%s", n, md)
			}
			if n := len(rec.fracs); n < 60 || rec.fracs[n-1] != 1 {
				t.Errorf("progress %v", rec.fracs)
			}
		})
	}

	t.Run("sklearn", func(t *testing.T) {
		if len(pickles) != 2 {
			t.Skip("a run failed")
		}
		pred, _ := json.Marshal(wantPred)
		out := pyref.Run(t, []string{"numpy", "sklearn"}, `
import json, pickle, sys, numpy as np
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV
xtr, ytr, xva, yva = [np.load(p) for p in sys.argv[1:5]]
want = np.array(json.loads(sys.argv[7]))
res = {}
with open(sys.argv[5], "rb") as f:
    est = pickle.load(f)
res["best_estimator"] = {"type": type(est).__name__, "params": {k: est.get_params()[k] for k in ("C", "kernel", "gamma")},
    "pred_equal": bool((est.predict(xva) == want).all()), "score": est.score(xva, yva)}
with open(sys.argv[6], "rb") as f:
    gs = pickle.load(f)
res["search"] = {"type": type(gs).__name__, "params": gs.best_params_, "best_score": float(gs.best_score_),
    "mean": gs.cv_results_["mean_test_score"].tolist(), "rank": gs.cv_results_["rank_test_score"].tolist(),
    "pred_equal": bool((gs.predict(xva) == want).all()), "score": gs.score(xva, yva)}
real = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"], "gamma": ["scale", "auto"]}, cv=5).fit(xtr, ytr)
res["real"] = {"type": "GridSearchCV", "params": real.best_params_, "best_score": float(real.best_score_),
    "mean": real.cv_results_["mean_test_score"].tolist(), "rank": real.cv_results_["rank_test_score"].tolist(),
    "pred_equal": bool((real.predict(xva) == want).all()), "score": real.score(xva, yva)}
print(json.dumps(res))
`, splits["x_train"], splits["y_train"], splits["x_val"], splits["y_val"], pickles["best_estimator"], pickles["search"], string(pred))
		var got map[string]struct {
			Type      string
			Params    map[string]any
			BestScore float64 `json:"best_score"`
			Mean      []float64
			Rank      []int
			PredEqual bool `json:"pred_equal"`
			Score     float64
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		wantParams := map[string]any{}
		for _, name := range ref.Names {
			wantParams[name] = gridsearch.ParamValue(ref.BestParams, name)
		}
		score := ref.BestModel.Score(xVa, yVa)
		for name, g := range got {
			wantType := "GridSearchCV"
			if name == "best_estimator" {
				wantType = "SVC"
			}
			if g.Type != wantType || !reflect.DeepEqual(g.Params, wantParams) || !g.PredEqual || g.Score != score {
				t.Errorf("%s: %+v; hw1pipe best %v, validation accuracy %v", name, g, wantParams, score)
			}
			if name != "best_estimator" && (g.BestScore != ref.BestScore || !reflect.DeepEqual(g.Mean, ref.MeanTestScore) || !reflect.DeepEqual(g.Rank, ref.RankTestScore)) {
				t.Errorf("%s: CV means %v ranks %v; hw1pipe %v %v", name, g.Mean, g.Rank, ref.MeanTestScore, ref.RankTestScore)
			}
		}
	})
}

func TestP1GridErrors(t *testing.T) {
	splits := map[string]string{"x_train": "/nonexistent/x.npy", "y_train": "y", "x_val": "xv", "y_val": "yv"}
	for _, c := range []struct {
		name string
		edit func(p *P1GridParams)
		want string
	}{
		{"kernel", func(p *P1GridParams) { p.Grid.Kernel = []string{"rbf", "cubic"} }, `param "grid.kernel[1]"`},
		{"gamma", func(p *P1GridParams) { p.Grid.Gamma = []string{"0"} }, `param "grid.gamma[0]"`},
		{"C", func(p *P1GridParams) { p.Grid.C = []float64{1, -1} }, `param "grid.C[1]"`},
		{"empty", func(p *P1GridParams) { p.Grid.C = nil }, "at least one value"},
		{"folds", func(p *P1GridParams) { p.Folds = 1 }, `param "folds"`},
		{"export", func(p *P1GridParams) { p.Export = "model" }, `param "export"`},
		{"version", func(p *P1GridParams) { p.SklearnVersion = "one" }, `param "sklearn_version"`},
		{"solver", func(p *P1GridParams) { p.Solver = "ipm" }, `param "solver"`},
		{"input", func(p *P1GridParams) {}, "/nonexistent/x.npy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := defaultP1GridParams()
			c.edit(p)
			env, _ := p1Env(t, splits, p1GridOutputs)
			err := p1gridKind().Call(context.Background(), env, p)
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

// TestP1SklearnSVC: the conversion keeps every fitted array and spells C
// and gamma as a Python caller would.
func TestP1SklearnSVC(t *testing.T) {
	for _, c := range []struct {
		c     float64
		gamma svm.Gamma
		wantC any
		wantG any
	}{
		{10, svm.Gamma{Mode: svm.GammaScale}, 10, "scale"},
		{0.1, svm.Gamma{Mode: svm.GammaAuto}, 0.1, "auto"},
		{2.5, svm.Gamma{Mode: svm.GammaValue, Value: 0.01}, 2.5, 0.01},
	} {
		p := sklearnParams(svm.Params{C: c.c, Kernel: svm.RBF, Gamma: c.gamma, Degree: 3, Tol: 1e-3})
		if p.C != c.wantC || p.Gamma != c.wantG || p.Kernel != "rbf" || p.Degree != 3 || p.Tol != 1e-3 {
			t.Errorf("%v %v: %+v", c.c, c.gamma, p)
		}
	}
	m := &svm.Model{Classes: []int64{3, 7}, Gamma: 0.5, NFeatures: 2, NSamples: 4, Support: []int{0, 3},
		SupportVectors: []float64{1, 2, 3, 4}, NSupport: []int{1, 1}, DualCoef: []float64{-1, 1}, Intercept: []float64{0.25}, NIter: []int{9}}
	s := sklearnSVC(m, sklearnParams(svm.Params{C: 1, Degree: 3, Tol: 1e-3}))
	if !reflect.DeepEqual(s.Support, []int32{0, 3}) || !reflect.DeepEqual(s.NSupport, []int32{1, 1}) || !reflect.DeepEqual(s.NIter, []int32{9}) ||
		!reflect.DeepEqual(s.DualCoef, m.DualCoef) || !reflect.DeepEqual(s.Intercept, m.Intercept) || s.GammaValue != 0.5 ||
		s.NFeatures != 2 || s.NSamples != 4 || !reflect.DeepEqual(s.Classes, m.Classes) {
		t.Errorf("%+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}
