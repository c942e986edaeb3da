// Package mt19937 is the 32-bit Mersenne Twister (Matsumoto & Nishimura
// 1998) with the integer seeding that numpy's legacy RandomState and
// PyTorch's CPU generator both use.
//
// It is the shared core of hw1pipe/numpyrand and hw1pipe/torchrand; see
// docs/numerics.md#mt19937 (state, Knuth seeding, regeneration, tempering) and docs/numerics.md#torch-generator
// (torch uses seed mod 2³²).
//
// A *Source is not safe for concurrent use. Nothing in this package
// panics or returns errors.
package mt19937
