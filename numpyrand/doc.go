// Package numpyrand reproduces numpy's legacy RandomState (numpy 1.24,
// np.random.seed / np.random.RandomState) bit for bit, with the one
// exception for Gaussians described below.
//
// # Definitions
//
// The generator is MT19937 with Knuth's integer seeding (hw1pipe/mt19937).
// Every draw follows docs/numerics.md#mt19937-and-randomstate:
//
//   - Float64 (next_double): a = u32>>5 drawn first, b = u32>>6, value
//     (a·2²⁶+b)/2⁵³. Rand fills a slice in order (C order for an array).
//   - StandardNormal / Randn: the legacy polar method with one cached value.
//     numpy takes the log from glibc, which is not correctly rounded on
//     about 0.08% of arguments in (0,1). Built with cgo (the default, and
//     the Makefile's builds) this package calls glibc's log too and every
//     Gaussian is bit-exact (ExactGaussian). Without cgo it uses a
//     correctly rounded log (internal/crlog), and about 0.08% of Gaussian
//     pairs may differ from numpy in the last bit or two.
//   - RandInt: masked rejection on the low bits, 32-bit path when the range
//     fits, raw u32 for a range of exactly 2³², u64 otherwise.
//   - Permutation, Shuffle, ShuffleRows, Choice: Fisher–Yates from the end
//     with random_interval; Choice without replacement draws the whole
//     permutation and keeps its head.
//
// # Shapes
//
// Arrays are flat row-major slices: an n×d array is a []float64 of length
// n·d. ShuffleRows permutes the rows of such a slice.
//
// # Errors and panics
//
// Arguments that numpy rejects with ValueError (low ≥ high, k > n, n < 0,
// a slice length that is not a multiple of the row width) panic with a
// message that starts with "numpyrand: "; they are programmer errors here.
//
// # Concurrency
//
// A *RandomState is not safe for concurrent use.
//
// # References
//
// docs/numerics.md#libm, docs/numerics.md#mt19937-and-randomstate; numpy/random/mtrand.pyx and
// numpy/random/src/legacy/legacy-distributions.c describe the same
// algorithms.
package numpyrand
