package torchref

import (
	"fmt"

	"hw1pipe/torchrand"
)

// batcher hands out the index lists of consecutive training batches,
// starting a new pass (permutation) whenever the current one is used up.
type batcher struct {
	n, size int
	// next returns the permutation of pass p (numbered from 0).
	next  func(p int) ([]int, error)
	perms [][]int
	perm  []int
	pos   int
	buf   []int64
}

// Next returns the dataset indices of the next batch, valid until the
// next call. A pass of n samples gives ⌈n/size⌉ batches, the last short.
func (b *batcher) Next() ([]int64, error) {
	if b.perm == nil || b.pos == b.n {
		p, err := b.next(len(b.perms))
		if err != nil {
			return nil, err
		}
		if err := checkPerm(p, b.n, len(b.perms)); err != nil {
			return nil, err
		}
		b.perm, b.pos = p, 0
		b.perms = append(b.perms, p)
	}
	m := min(b.size, b.n-b.pos)
	b.buf = b.buf[:0]
	for _, i := range b.perm[b.pos : b.pos+m] {
		b.buf = append(b.buf, int64(i))
	}
	b.pos += m
	return b.buf, nil
}

// pytorchPass returns the permutation source of DataLoader(shuffle=True)
// over n items, drawing its seeds with draw (one random64 mod 2⁶³ from
// libtorch's global generator per call, like `torch.empty((),
// dtype=torch.int64).random_()`). Each pass costs two draws: the
// iterator's _base_seed, then RandomSampler's seed.
func pytorchPass(n int, draw func() (int64, error)) func(int) ([]int, error) {
	return func(int) ([]int, error) {
		if _, err := draw(); err != nil { // _BaseDataLoaderIter._base_seed
			return nil, err
		}
		seed, err := draw() // RandomSampler.__iter__
		if err != nil {
			return nil, err
		}
		return torchrand.New(uint64(seed)).Randperm(n), nil
	}
}

// sharedPass returns the permutation source that replays perms.
func sharedPass(perms [][]int) func(int) ([]int, error) {
	return func(p int) ([]int, error) {
		if p >= len(perms) {
			return nil, &DataError{Set: "perms", Msg: fmt.Sprintf("pass %d needed but only %d permutations given", p, len(perms))}
		}
		return perms[p], nil
	}
}

func checkPerm(p []int, n, pass int) error {
	if len(p) != n {
		return &DataError{Set: "perms", Msg: fmt.Sprintf("pass %d: length %d, want %d", pass, len(p), n)}
	}
	seen := make([]bool, n)
	for _, i := range p {
		if i < 0 || i >= n || seen[i] {
			return &DataError{Set: "perms", Msg: fmt.Sprintf("pass %d: index %d out of range or repeated", pass, i)}
		}
		seen[i] = true
	}
	return nil
}
