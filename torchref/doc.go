// Package torchref trains Problem 3h's reference network in libtorch,
// through gotch (github.com/sugarme/gotch v0.7.0), so that its numbers
// are PyTorch's own.
//
// # The network (Problem 3h, docs/homework.md#problem-3-reference-network)
//
//	logits = relu(x·Wᵀ + b)   W: 10×784 float32, b: 10 float32, x: batch×784
//	loss   = CrossEntropyLoss(logits, y)   (mean over the batch)
//	W, b  ← SGD, lr 0.1, no momentum      (torch::optim::SGD: p.add_(g, −lr))
//
// Every operation is the libtorch kernel Python's nn.Linear, F.relu,
// nn.CrossEntropyLoss and optim.SGD call (at::linear, at::relu,
// at::cross_entropy_loss, Tensor::add_ with alpha), so a Python loop on
// the same libtorch gives the same losses.
//
// # Random numbers (docs/numerics.md#pytorch-cpu)
//
// Train calls torch::manual_seed(Seed) and draws the initial weights with
// uniform_ on the global generator, weight then bias, the bounds of
// PyTorch's default Linear initialisation: the values are bit-identical to
// `torch.manual_seed(seed); nn.Linear(784, 10)`.
//
// With OrderPyTorch the training batches are those of
// DataLoader(TensorDataset(X, y), batch_size, shuffle=True): each pass
// draws the iterator's base seed and then the RandomSampler's seed
// (random64 mod 2⁶³) from libtorch's global generator, and the pass's
// order is randperm(n) of a fresh generator with that seed, computed by
// hw1pipe/torchrand. Every validation pass draws one more base seed, as a
// shuffle=False DataLoader does. The loop Train mirrors is, in Python:
//
//	torch.manual_seed(seed); net = Net()
//	validate()                               # t = 0
//	for t in 1..Iterations:
//	    x, y = next(batches)                 # `for x, y in train_loader` forever
//	    opt.zero_grad(); loss = crit(net(x), y); loss.backward(); opt.step()
//	    if t % ValInterval == 0: validate()
//
// golden/torchref/reference.py is that loop.
//
// With OrderShared the passes' permutations are given (Config.Perms), the
// same ones hw1pipe's from-scratch network used.
//
// # Measurements
//
// Each update records the batch loss (float32 widened to float64) and the
// batch error, (number of argmax ≠ label)/batch size in float64. Validation
// cuts the validation set in order into batches of BatchSize (the last one
// short) and averages the per-batch loss and error over the batches.
//
// # Errors, panics, concurrency
//
// Train and Init return errors for bad shapes, bad permutations and
// libtorch failures (*ConfigError, *DataError, or a wrapped libtorch
// message); nothing panics on bad input. They use libtorch's global
// generator, so at most one may run in a process at a time, and they lock
// their goroutine to one OS thread while they run, because libtorch's grad
// mode and gotch's last-error slot are thread-local. libtorch runs its own
// intra-op threads (Config.Threads).
//
// Working around gotch v0.7.0: its Must* functions call log.Fatal, so only
// the error-returning calls are used; it never frees tensors, so every
// tensor is dropped explicitly; ts.GradSetEnabled misreads its C result,
// so grad mode is switched through at_grad_set_enabled directly; there is
// no Go wrapper for at_manual_seed, which is called through cgo.
//
// # Building
//
// gotch is the patched copy made by scripts/setup-gotch.sh in build/gotch
// (this module's go.mod replaces github.com/sugarme/gotch with it); the
// cgo flags point at Debian 12's libtorch-dev 1.13. This package is its
// own module so that hw1pipe's main module stays pure Go: the pipeline
// runs the binary cmd/hw1torch.
package torchref
