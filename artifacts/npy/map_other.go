//go:build !unix

package npy

// MapFile is ReadFile where memory mapping is not available; release does
// nothing.
func MapFile(path string) (a *Array, release func() error, err error) {
	a, err = ReadFile(path)
	return a, func() error { return nil }, err
}
