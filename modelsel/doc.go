// Package modelsel reproduces scikit-learn 1.2.1's data splits index for
// index: train_test_split with and without stratify, StratifiedKFold
// without shuffling, and the homework's per-class subsample.
//
// # Definitions (docs/numerics.md#train-test-split and docs/numerics.md#stratifiedkfold)
//
//   - TrainTestSplitStratified is StratifiedShuffleSplit's first split as
//     train_test_split(..., test_size, random_state=seed, shuffle=True,
//     stratify=y) uses it: n_test = ⌈test_size·n⌉, per-class sizes from
//     approx_mode (whose tie-breaking draws from the same RandomState), a
//     permutation per class, then a permutation of train and of test.
//   - ShuffleSplit is the unstratified train_test_split: one
//     permutation(n); test is its head, train the next n_train.
//   - StratifiedKFold is the ≥ 0.22 allocation: classes coded by first
//     appearance, fold sizes per class from the sorted codes taken every
//     k-th, consecutive blocks within each class.
//   - PerClassSubsample is "num/10 random images per digit without
//     replacement", defined the numpy way (see its doc).
//
// # Shapes and types
//
// Labels are []int64 of length n. Index slices are []int into those n
// samples. Train and test orders are the (shuffled) orders scikit-learn
// returns; StratifiedKFold folds are ascending.
//
// # Errors
//
// Inputs scikit-learn rejects with ValueError return an error with a
// message close to scikit-learn's. The StratifiedKFold warning ("The
// least populated class in y has only m members") is not an error: the
// folds are returned, and StratifiedKFoldCheck reports the condition.
//
// # Concurrency
//
// Functions are safe for concurrent use when each call has its own
// RandomState.
package modelsel
