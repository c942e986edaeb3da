package torchref

import (
	"slices"
	"testing"

	"hw1pipe/torchrand"
)

// TestPytorchPassMatchesModel: with the global generator's draws replaced
// by torchrand's model of it, the passes equal torchrand.DataLoader's
// (docs/numerics.md#dataloader-seeding: base seed, then sampler seed, then randperm).
func TestPytorchPassMatchesModel(t *testing.T) {
	const n = 1000
	g := torchrand.New(20)
	draw := func() (int64, error) { return int64(g.Random64() & (1<<63 - 1)), nil }
	next := pytorchPass(n, draw)
	model := torchrand.New(20)
	for p := range 3 {
		got, err := next(p)
		if err != nil {
			t.Fatal(err)
		}
		want := torchrand.DataLoader{Len: n, Shuffle: true}.Iter(model)
		if !slices.Equal(got, want) {
			t.Fatalf("pass %d differs from torchrand.DataLoader: %v… vs %v…", p, got[:8], want[:8])
		}
	}
}

// TestBatcherCuts: ⌈n/size⌉ batches per pass, consecutive slices of the
// pass's permutation, the last one short; then the next pass.
func TestBatcherCuts(t *testing.T) {
	perms := [][]int{{4, 2, 0, 1, 3}, {3, 1, 4, 0, 2}}
	b := &batcher{n: 5, size: 2, next: sharedPass(perms)}
	want := [][]int64{{4, 2}, {0, 1}, {3}, {3, 1}, {4, 0}, {2}}
	for i, w := range want {
		got, err := b.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, w) {
			t.Fatalf("batch %d = %v, want %v", i, got, w)
		}
	}
	if _, err := b.Next(); err == nil {
		t.Fatal("a third pass should fail: only two permutations given")
	}
}
