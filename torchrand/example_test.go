package torchrand_test

import (
	"fmt"

	"hw1pipe/torchrand"
)

func ExampleGenerator_Randperm() {
	g := torchrand.New(20) // torch.manual_seed(20)
	fmt.Println(g.Randperm(10))
	// Output: [1 2 9 5 4 3 7 6 0 8]
}

func ExampleDataLoaderOrder() {
	g := torchrand.New(20) // torch.manual_seed(20)
	g.LinearInit(784, 10)  // fc1 = nn.Linear(784, 10)
	orders := torchrand.DataLoaderOrder(g, 30000, 1, 0)
	fmt.Println(orders[0][:8])
	// Output: [21927 12894 224 1786 28054 26246 8919 9976]
}

// A validation pass between iter(train_loader) and the first next() moves
// the sampler's seed, so the first batch differs from ExampleDataLoaderOrder
// (checked against torch 1.13: [16427, 14739, 26931, 27694]).
func ExampleDataLoader_NewIterator() {
	g := torchrand.New(20)
	g.LinearInit(784, 10)
	train := torchrand.DataLoader{Len: 30000, Shuffle: true, BatchSize: 64}
	val := torchrand.DataLoader{Len: 5000, BatchSize: 64}
	it := train.NewIterator(g) // it = iter(train_loader)
	val.Iter(g)                // for batch in val_loader: ...
	batch, _ := it.Next()      // next(it)
	fmt.Println(len(batch), batch[:4])
	// Output: 64 [16427 14739 26931 27694]
}
