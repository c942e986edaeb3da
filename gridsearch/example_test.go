package gridsearch_test

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/gridsearch"
	"hw1pipe/svm"
)

func ExampleSearch() {
	// Three overlapping classes, 30 samples. The printed values are
	// scikit-learn 1.2.1's for the same data and grid.
	var data []float64
	var y []int64
	for i := 0; i < 30; i++ {
		c := int64(i % 3)
		data = append(data, float64(c)+float64(i%5)*0.4, float64(i%7)*0.3)
		y = append(y, c)
	}
	x := mat.NewDense(30, 2, data)
	grid := gridsearch.Grid{
		C:      []float64{0.1, 10},
		Kernel: []svm.KernelType{svm.Linear, svm.RBF},
	}
	r, err := gridsearch.Search(context.Background(), x, y, grid, gridsearch.Options{})
	if err != nil {
		panic(err)
	}
	for i, p := range r.Candidates {
		fmt.Printf("C=%v kernel=%v mean=%.4f rank=%d\n", p.C, p.Kernel, r.MeanTestScore[i], r.RankTestScore[i])
	}
	fmt.Println("best:", r.BestIndex)
	// Output:
	// C=0.1 kernel=linear mean=0.7000 rank=3
	// C=0.1 kernel=rbf mean=0.7333 rank=1
	// C=10 kernel=linear mean=0.7333 rank=1
	// C=10 kernel=rbf mean=0.6667 rank=4
	// best: 1
}
