// Package nn is the from-scratch network of Problem 3 (ESE 546 HW1, parts
// a–g): a linear layer, a ReLU and a softmax cross-entropy loss with
// hand-written backward passes, their finite-difference gradient checks,
// and SGD training with the homework's logging.
//
// # Shapes
//
// Everything is float64, row-major. A batch of n samples of d features is
// an n×d []float64 (row i is sample i). Linear (linear_t) has W of shape
// classes×d (10×784) and B of shape classes×1 stored as 10 values, and
// computes h·Wᵀ + 1·bᵀ for the whole batch at once. A Dataset holds its
// labels in a []int and its n×d samples either in a *mat.Dense or, when
// NewDataset made it from 8-bit images, only in the compressed form the
// training loop reads (CSR below); dense rows are then made a batch at a
// time where a dense product needs them (Evaluate, Diagnose).
//
// Layers own their output and gradient buffers, grown on first use and
// reused afterwards, so a training loop allocates nothing per update
// (BenchmarkTrainStep reports 0 allocs). A returned slice is valid until
// the layer's next call of the same method. Layers keep a reference to
// their Forward input, which must not change before Backward.
//
// Linear has two forward paths. Forward takes a dense batch and uses
// gonum's blas64 (serial for batches up to 192 rows; gonum runs larger
// products on several goroutines). ForwardCSR takes rows of a CSR matrix
// and skips the zero pixels (about 81% of MNIST); Train uses it whenever
// the data compress (at most 256 distinct values, as pixels p/255 do),
// and copies no images. On amd64 CPUs with AVX2 and FMA the CSR kernels
// are assembly (sparse_amd64.s) working on a transposed copy of W; the
// build tag purego, or another CPU, selects the pure-Go kernels. All
// paths compute the same sums up to their order and FMA rounding (the
// tests hold them within 1e-15 of each other).
//
// # Data and randomness
//
// All randomness comes from hw1pipe/numpyrand, numpy's legacy RandomState,
// so each step equals its numpy spelling bit for bit:
//
//   - Initialize: np.random.seed(20); w = np.random.rand(10,784);
//     b = np.random.rand(10,1) (InitUniform, the default), or the
//     starter code's Frobenius-normalised Gaussians (InitGaussian).
//   - ClassSubset / Subsample: 50% of each class, per class
//     rs.choice(n_c, k_c, replace=False), with largest-remainder counts so
//     that MNIST gives exactly 30,000 and 5,000 samples.
//   - Loader: np.random.permutation(n) at every pass, consecutive batches
//     of 64 with a short last batch (drop_last=False).
//
// Train draws the initial weights and then the permutations from one
// stream seeded with Config.Seed (20 by default). It accepts injected
// initial weights and an injected Order, and returns the permutations it
// used, so another implementation (torchref) can be run on the same
// start and batches.
//
// # Numerics
//
// The loss subtracts each row's maximum before exponentiating. The matrix
// products use gonum's blas64, whose summation order differs from
// OpenBLAS's, so training agrees with a numpy implementation to rounding
// (about 1e-13 on the losses after 200 updates), not bit for bit; the
// initialisation, subsets and batch order are bit-exact. Go's math.Exp
// and math.Log differ from glibc's in the last bit (docs/numerics.md#libm).
//
// With the default U[0,1) start every score is about 52 ± 17 on MNIST
// (784 inputs of mean 0.13 times weights of mean 0.5): the scores are
// large, but all positive, so no ReLU is ever inactive, the net acts as
// plain softmax regression and SGD works (initial loss 4.4 because the
// softmax is shift-invariant and only the spread matters; after 10,000
// updates about 7.4% training and 8.4% validation error). The Gaussian
// start, whose scores straddle 0, leaves some units at z ≤ 0 for every
// input; their gradient is zero for good and their classes are almost
// never predicted (seed 20: units 1 and 7, about 28% error). Diagnose reports
// the score statistics, the saturation and the dead units.
//
// # Errors
//
// Shape mismatches in layer calls are programmer errors and panic. Bad
// data (labels out of range, a broken injected order or weights, a bad
// config) and a failed gradient check are returned as errors.
//
// Nothing in this package is safe for concurrent use; independent values
// may be used from different goroutines. The package starts no goroutines
// itself (only gonum's Gemm may, in Forward on more than 192 rows).
//
// References: docs/homework.md#problem-3-neural-networks, docs/numerics.md#floating-point-ground-rules and docs/numerics.md#mt19937-and-randomstate.
package nn
