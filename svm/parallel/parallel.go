// Package parallel is the only place in the svm and gridsearch packages that
// starts goroutines. For splits a loop of n independent items over
// GOMAXPROCS workers and waits for them; every item must write only its own
// preassigned slot, so results never depend on scheduling.
//
// Modelled on bild's parallel.Line, without touching GOMAXPROCS.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0,n), spread over at most
// runtime.GOMAXPROCS(0) goroutines, and returns when all calls are done.
// Items are handed out one at a time in ascending order, which balances
// uneven work (triangular Gram rows, grid cells of different cost).
// With n <= 1 or a single processor it runs inline.
func For(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
