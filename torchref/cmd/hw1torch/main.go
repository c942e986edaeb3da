// Command hw1torch trains Problem 3h's reference network in libtorch (see
// package hw1pipe/torchref) and writes its measurements and weights as
// .npy files. hw1pipe's pipeline runs it as a separate binary so that the
// main module stays pure Go.
//
// Usage:
//
//	hw1torch train --train-images X.npy --train-labels y.npy \
//	    --val-images Xv.npy --val-labels yv.npy --out DIR \
//	    [--train-index i.npy] [--val-index iv.npy] [--seed 20] [--lr 0.1] [--iterations 10000] [--batch 64] \
//	    [--val-every 1000] [--order pytorch|shared] [--perms P.npy] \
//	    [--threads N] [--write-perms]
//	hw1torch version
//
// Images are n×784 (or n×28×28) arrays: float32 is used as is, float64 is
// rounded to float32, uint8 becomes float32(v/255) computed in float64
// (numpy's (X/255).astype(np.float32)). Labels are int64, int32 or uint8.
// An index (--train-index, --val-index: int64, int32 or uint8, one
// dimension) selects the set's samples from the images and labels, in its
// order: X[index], y[index].
// --perms (order shared) is an int64 or int32 array P×n: row p is the
// permutation of training pass p.
//
// DIR receives training_loss.npy, training_error.npy (float64, one per
// update), validation_loss.npy, validation_error.npy (float64, after 0,
// val-every, … updates), fc1_weight.npy (float32 10×784), fc1_bias.npy
// (float32 10), init_fc1_weight.npy, init_fc1_bias.npy,
// pytorch_nn_weights.pth (torch.save of the trained state_dict: fc1.weight,
// fc1.bias), and with --write-perms pass_orders.npy (int64, one row per
// pass). Each file is written to a temporary name and renamed.
//
// Exit status: 0 on success, 2 for a usage error, 1 for any other failure.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
