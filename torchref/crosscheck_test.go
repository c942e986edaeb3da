package torchref_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"hw1pipe/artifacts/npy"
	"hw1pipe/nn"
	"hw1pipe/torchref"
	"hw1pipe/torchref/internal/mnisttest"
)

// TestCrossCheckFromScratch proves both implementations at once: hw1pipe's
// from-scratch network (package nn, float64), started from the libtorch
// net's initial weights and fed the libtorch net's batches, must follow
// the libtorch loss trajectory (float32) for 500 updates to within
// float32 precision.
func TestCrossCheckFromScratch(t *testing.T) {
	const updates = 500
	tr, va := mnisttest.Load(t)
	cfg := torchref.DefaultConfig()
	cfg.Iterations, cfg.ValInterval = updates, updates
	ref, err := torchref.Train(cfg, tr, va)
	if err != nil {
		t.Fatal(err)
	}

	dir := mnisttest.Dir(t)
	set := func(split string) nn.Dataset {
		a, err := npy.ReadFile(filepath.Join(dir, split+"_images.npy"))
		if err != nil {
			t.Fatal(err)
		}
		pix, err := a.Uint8s()
		if err != nil {
			t.Fatal(err)
		}
		l, err := npy.ReadFile(filepath.Join(dir, split+"_labels.npy"))
		if err != nil {
			t.Fatal(err)
		}
		y, err := l.Int64s()
		if err != nil {
			t.Fatal(err)
		}
		lab := make([]byte, len(y))
		idx := make([]int, len(y))
		for i, v := range y {
			lab[i], idx[i] = byte(v), i
		}
		ds, err := nn.NewDataset(pix, lab, torchref.Features, idx)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	w := make([]float64, len(ref.InitWeight))
	for i, v := range ref.InitWeight {
		w[i] = float64(v)
	}
	b := make([]float64, len(ref.InitBias))
	for i, v := range ref.InitBias {
		b[i] = float64(v)
	}
	got, err := nn.Train(context.Background(), set("train"), set("val"), nn.Config{
		LR: cfg.LR, Iterations: updates, BatchSize: cfg.BatchSize, ValInterval: updates,
		Init: nn.InitUniform, Seed: 20, InitW: w, InitB: b,
		Order: func(pass int) []int { return ref.Perms[pass] },
	})
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for i := range ref.TrainLoss {
		rel := math.Abs(got.TrainLoss[i]-ref.TrainLoss[i]) / math.Abs(ref.TrainLoss[i])
		worst = math.Max(worst, rel)
		if rel > 1e-4 {
			t.Fatalf("update %d: from-scratch loss %v, libtorch %v (relative difference %.2g > 1e-4)",
				i+1, got.TrainLoss[i], ref.TrainLoss[i], rel)
		}
	}
	for i := range ref.ValLoss {
		if rel := math.Abs(got.ValLoss[i]-ref.ValLoss[i]) / ref.ValLoss[i]; rel > 1e-4 {
			t.Errorf("validation %d: from-scratch loss %v, libtorch %v", i, got.ValLoss[i], ref.ValLoss[i])
		}
	}
	t.Logf("%d updates: largest relative loss difference %.2g", updates, worst)
}
