package gabor

import "hw1pipe/artifacts/npy"

// readNpy reads a float64 .npy file, the only kind
// golden/gabor/make_golden.py writes.
func readNpy(path string) (shape []int, data []float64, err error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	data, err = a.Float64s()
	return a.Shape, data, err
}
