//go:build !hdf5

package h5

// Built reports whether this binary has libhdf5 (build tag hdf5).
const Built = false

// WriteFile writes group with float64 attrs into a new HDF5 file at path.
// This build has no libhdf5: it returns ErrNotBuilt.
func WriteFile(path, group string, attrs []Attr) error {
	if err := validate(group, attrs); err != nil {
		return err
	}
	return ErrNotBuilt
}

// ReadAttrs reads the named float64 attributes of group. This build has
// no libhdf5: it returns ErrNotBuilt.
func ReadAttrs(path, group string, names ...string) ([]Attr, error) {
	return nil, ErrNotBuilt
}
