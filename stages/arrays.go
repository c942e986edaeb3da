package stages

import (
	"context"

	"hw1pipe/pipeline"
)

// pick returns xs[idx[0]], xs[idx[1]], ... as a new slice.
func pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// npyOut is one .npy output of a stage: its key, shape and data (a slice
// writeNPY takes).
type npyOut struct {
	key   string
	shape []int
	data  any
}

// writeNpys writes each array to its output, stopping when ctx is done.
func writeNpys(ctx context.Context, env *pipeline.Env, outs ...npyOut) error {
	for _, o := range outs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeNPY(env.Output(o.key), o.shape, o.data); err != nil {
			return err // names the path
		}
	}
	return nil
}
