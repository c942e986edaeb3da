package modelsel

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"hw1pipe/numpyrand"
)

// goldenPath is the scikit-learn 1.2.1 / numpy 1.24.2 reference made by
// golden/numerics/make_modelsel.py (see golden/numerics/README.md).
var goldenPath = filepath.Join("..", "golden", "numerics", "modelsel.json")

type splitRecord struct {
	Train []int  `json:"train"`
	Test  []int  `json:"test"`
	Error string `json:"error"`
}

type foldRecord struct {
	Folds  []int  `json:"folds"`
	Warned bool   `json:"warned"`
	Error  string `json:"error"`
}

type golden struct {
	Spec31 struct {
		Y        []int64 `json:"y"`
		TestSize float64 `json:"test_size"`
		Seed     uint32  `json:"seed"`
		splitRecord
	} `json:"spec31"`
	Spec32 struct {
		Y []int64 `json:"y"`
		K int     `json:"k"`
		foldRecord
	} `json:"spec32"`
	Y10000       []int64     `json:"y10000"`
	TTS          splitRecord `json:"y10000_tts_0.2_42"`
	SKF          foldRecord  `json:"y10000_skf5"`
	TrainSKF     foldRecord  `json:"y10000_train_skf5"`
	ShuffleSplit splitRecord `json:"y10000_shufflesplit_0.2_42"`
	PerClass100  []int       `json:"y10000_perclass_100_seed0"`
	Cases        []struct {
		Y        []int64     `json:"y"`
		TestSize float64     `json:"test_size"`
		Seed     uint32      `json:"seed"`
		K        int         `json:"k"`
		TTS      splitRecord `json:"tts"`
		SKF      foldRecord  `json:"skf"`
	} `json:"cases"`
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

func sameInts(t *testing.T, name string, got, want []int) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", name, head(got), head(want))
	}
}

func head(s []int) []int {
	if len(s) > 20 {
		return s[:20]
	}
	return s
}

func checkSplit(t *testing.T, name string, train, test []int, err error, want splitRecord) {
	t.Helper()
	if want.Error != "" {
		var se *splitError
		if !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want a *splitError like sklearn's %q", name, err, want.Error)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sameInts(t, name+" train", train, want.Train)
	sameInts(t, name+" test", test, want.Test)
}

func checkFolds(t *testing.T, name string, y []int64, k int, want foldRecord) {
	t.Helper()
	labels, err := StratifiedKFoldLabels(y, k)
	if want.Error != "" {
		var se *splitError
		if !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want a *splitError like sklearn's %q", name, err, want.Error)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sameInts(t, name+" fold labels", labels, want.Folds)
	warned := StratifiedKFoldCheck(y, k) != nil
	if warned != want.Warned {
		t.Errorf("%s: StratifiedKFoldCheck warned=%v, sklearn warned=%v", name, warned, want.Warned)
	}
	folds, err := StratifiedKFold(y, k)
	if err != nil {
		t.Fatal(err)
	}
	for f, fold := range folds {
		var wantTest, wantTrain []int
		for i, l := range want.Folds {
			if l == f {
				wantTest = append(wantTest, i)
			} else {
				wantTrain = append(wantTrain, i)
			}
		}
		sameInts(t, name+" test fold", fold.Test, wantTest)
		sameInts(t, name+" train fold", fold.Train, wantTrain)
	}
}

// TestSpecVectors checks the vectors printed in docs/numerics.md#train-test-split and docs/numerics.md#stratifiedkfold.
func TestSpecVectors(t *testing.T) {
	y := make([]int64, 20)
	for i := range y {
		switch {
		case i >= 16:
			y[i] = 2
		case i >= 10:
			y[i] = 1
		}
	}
	train, test, err := TrainTestSplitStratified(y, 0.25, 42)
	checkSplit(t, "§3.1", train, test, err, splitRecord{
		Train: []int{17, 10, 8, 9, 11, 12, 6, 15, 19, 5, 2, 0, 1, 18, 13},
		Test:  []int{4, 16, 3, 14, 7},
	})
	checkFolds(t, "§3.2", []int64{0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 1, 2, 1, 0, 2, 1, 2}, 5,
		foldRecord{Folds: []int{0, 1, 0, 0, 1, 0, 1, 2, 2, 2, 1, 3, 3, 2, 3, 3, 4, 4, 4, 4}})
}

// TestGolden compares with scikit-learn 1.2.1 splits stored in the golden
// file.
func TestGolden(t *testing.T) {
	g := loadGolden(t)
	t.Run("spec", func(t *testing.T) {
		tr, te, err := TrainTestSplitStratified(g.Spec31.Y, g.Spec31.TestSize, g.Spec31.Seed)
		checkSplit(t, "spec31", tr, te, err, g.Spec31.splitRecord)
		checkFolds(t, "spec32", g.Spec32.Y, g.Spec32.K, g.Spec32.foldRecord)
	})
	t.Run("y10000", func(t *testing.T) {
		tr, te, err := TrainTestSplitStratified(g.Y10000, 0.2, 42)
		checkSplit(t, "train_test_split", tr, te, err, g.TTS)
		checkFolds(t, "skf5", g.Y10000, 5, g.SKF)
		ytr := make([]int64, len(tr))
		for i, j := range tr {
			ytr[i] = g.Y10000[j]
		}
		checkFolds(t, "skf5 on train", ytr, 5, g.TrainSKF)
		tr, te, err = ShuffleSplit(len(g.Y10000), 0.2, 42)
		checkSplit(t, "shuffle split", tr, te, err, g.ShuffleSplit)
		pc, err := PerClassSubsample(g.Y10000, 100, numpyrand.New(0))
		if err != nil {
			t.Fatal(err)
		}
		sameInts(t, "per-class subsample", pc, g.PerClass100)
	})
	t.Run("cases", func(t *testing.T) {
		for i, c := range g.Cases {
			tr, te, err := TrainTestSplitStratified(c.Y, c.TestSize, c.Seed)
			checkSplit(t, "case tts", tr, te, err, c.TTS)
			checkFolds(t, "case skf", c.Y, c.K, c.SKF)
			if t.Failed() {
				t.Fatalf("case %d: y=%v test_size=%v seed=%d k=%d", i, c.Y, c.TestSize, c.Seed, c.K)
			}
		}
	})
}

func TestErrors(t *testing.T) {
	y := []int64{0, 0, 1, 1, 2}
	for _, ts := range []float64{0, 1, -0.1, 1.5} {
		if _, _, err := TrainTestSplitStratified(y, ts, 1); err == nil {
			t.Errorf("test_size %v: no error", ts)
		}
	}
	if _, err := StratifiedKFold(y, 1); err == nil {
		t.Error("k=1: no error")
	}
	if _, err := StratifiedKFold(y, 6); err == nil {
		t.Error("k > n: no error")
	}
	if _, err := PerClassSubsample(y, 2, numpyrand.New(0)); err == nil {
		t.Error("class 2 has 1 member: no error")
	}
	var w *FewMembersWarning
	if err := StratifiedKFoldCheck(y, 2); !errors.As(err, &w) || w.MinMembers != 1 {
		t.Errorf("StratifiedKFoldCheck = %v", err)
	}
}
