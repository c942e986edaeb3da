package pickle

import "hw1pipe/internal/atomicfile"

// WriteFile pickles v with protocol 4 (pickle.dump's default) into path.
// The pickle goes to a temporary file in the same directory that is
// renamed over path only when complete, so a bad value or a failed write
// leaves no file behind.
func WriteFile(path string, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, b)
}
