// Package torchrand reproduces PyTorch 1.13's CPU random generator and the
// draws hw1pipe depends on: torch.rand (float32 and float64 uniform_),
// torch.randperm, nn.Linear's default initialisation and the index order
// of DataLoader(shuffle=True).
//
// # Definitions (docs/numerics.md#pytorch-cpu)
//
//   - The engine is MT19937 (hw1pipe/mt19937) seeded with seed mod 2³².
//     Random is one u32; Random64 is (u32₁<<32)|u32₂.
//   - float32 uniform_(from, to): x = float32(u32 & 0xFFFFFF)·2⁻²⁴, then
//     fma(x, to−from, from) in float32 (the AVX2 build contracts it).
//   - float64 uniform_: fma((Random64 & (2⁵³−1))·2⁻⁵³, to−from, from).
//   - randperm(n): r = 0..n−1; for i = 0..n−2, z = Random() mod (n−i),
//     swap r[i], r[i+z].
//   - nn.Linear(in, out): weight (out×in, row-major) then bias, each
//     uniform in ±bound; weight bound √3·√(2/(1+5))/√in, bias bound 1/√in.
//
// # DataLoader and the global generator
//
// torch.utils.data.DataLoader with num_workers=0 touches the global
// generator in two places:
//
//  1. Creating an iterator (every `for batch in loader`, i.e. every epoch
//     or every validation pass) draws _base_seed = one Random64. This
//     happens for shuffle=False loaders too, so each validation pass
//     advances the global stream by two u32 draws.
//  2. With shuffle=True, the RandomSampler runs at the first next(): it
//     draws seed = Random64 mod 2⁶³, seeds a fresh generator with it and
//     yields that generator's randperm(n).
//
// DataLoader.Iter performs both steps for one full pass; DataLoader.
// NewIterator and Iterator.Next separate them, as iter(loader) and
// next(it) do, for schedules that validate in the middle of an epoch.
// DataLoaderOrder is the schedule "each epoch, a full training pass
// followed by k validation passes". Batches are consecutive slices of the
// order (the last one short).
//
// # Concurrency and errors
//
// A *Generator is not safe for concurrent use. Negative sizes panic with a
// "torchrand: " message; nothing returns an error.
package torchrand
