package modelsel

import (
	"encoding/json"
	"testing"

	"hw1pipe/internal/pyref"
)

// TestPyrefLive runs the installed scikit-learn on fresh label vectors
// (docs/numerics.md#train-test-split and docs/numerics.md#stratifiedkfold) and compares every index.
func TestPyrefLive(t *testing.T) {
	out := pyref.Run(t, []string{"numpy", "sklearn"}, `
import json, sys, warnings
import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split
warnings.simplefilter("ignore")
rs = np.random.RandomState(11)
res = []
for n in (60, 101, 500, 2000):
    y = rs.randint(0, 5, n) * 5
    for ts, seed in ((0.2, 42), (0.3, 0), (0.15, 2**32 - 1)):
        a, b = train_test_split(np.arange(n), test_size=ts, random_state=seed, shuffle=True, stratify=y)
        folds = [0] * n
        for f, (_, te) in enumerate(StratifiedKFold(5).split(np.zeros(n), y)):
            for i in te:
                folds[i] = f
        res.append({"y": y.tolist(), "ts": ts, "seed": seed, "train": a.tolist(), "test": b.tolist(), "folds": folds})
json.dump(res, sys.stdout)
`)
	var res []struct {
		Y                  []int64
		Ts                 float64
		Seed               uint32
		Train, Test, Folds []int
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		tr, te, err := TrainTestSplitStratified(r.Y, r.Ts, r.Seed)
		checkSplit(t, "train_test_split", tr, te, err, splitRecord{Train: r.Train, Test: r.Test})
		labels, err := StratifiedKFoldLabels(r.Y, 5)
		if err != nil {
			t.Fatal(err)
		}
		sameInts(t, "StratifiedKFold", labels, r.Folds)
	}
}
