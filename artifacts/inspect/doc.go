// Package inspect reads hw1pipe's deliverables back without Python:
// pickles (including numpy arrays and scikit-learn objects), torch.save
// archives, .npy files and, when built with the hdf5 tag, HDF5 files.
//
// DecodePickle and LoadTorch turn a file into plain Go values (see Dict,
// Array, Object, Tensor) using github.com/nlpodyssey/gopickle, with
// stand-ins for the numpy globals gopickle does not know
// (docs/formats.md#reading-pickles-in-go): numpy.core.multiarray._reconstruct, numpy.dtype,
// numpy.core.multiarray.scalar, numpy.ma.core._mareconstruct and
// _codecs.encode. Every other class becomes an *Object holding its
// constructor arguments and BUILD state, so sklearn estimators can be
// examined key by key. Nothing is executed.
//
// Describe prints a short human-readable tree of a file: types, shapes,
// dtypes and a few values. It is what `hw1pipe inspect FILE` shows.
//
// All functions return errors for malformed input; none panics on bad
// data. They are safe for concurrent use.
//
// Untrusted files are safe to read: files are opened only if regular
// (internal/regfile), pickles are checked with pickle.Scan before gopickle
// runs them, every size in a torch.save archive is checked against the
// bytes present (ReadTorch, which replaces gopickle's own torch loader),
// and decoded values may nest at most MaxNesting levels.
package inspect
