package mnist

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Image geometry of every MNIST image.
const (
	Rows   = 28
	Cols   = 28
	Pixels = Rows * Cols // 784
)

// Official file names.
const (
	TrainImages = "train-images-idx3-ubyte.gz"
	TrainLabels = "train-labels-idx1-ubyte.gz"
	TestImages  = "t10k-images-idx3-ubyte.gz"
	TestLabels  = "t10k-labels-idx1-ubyte.gz"
)

// FileInfo describes one official file.
type FileInfo struct {
	Name  string
	MD5   string // hex digest of the compressed file
	Size  int64  // compressed size in bytes
	Count int    // images or labels it holds
}

// Official returns the four files in the order train images, train labels,
// test images, test labels, with the MD5 sums torchvision also checks
// against and the sizes of the published files.
func Official() []FileInfo {
	return []FileInfo{
		{TrainImages, "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9912422, 60000},
		{TrainLabels, "d53e105ee54ea40749a09fcbcd1e9432", 28881, 60000},
		{TestImages, "9fb629c4189551a2d022fa330f9573f3", 1648877, 10000},
		{TestLabels, "ec29112dd5afa0611ce80d1b7f02629c", 4542, 10000},
	}
}

// Set is one split of the data.
type Set struct {
	// Images is n×784, row-major: image i is Images[i*784:(i+1)*784],
	// its 28 pixel rows top to bottom.
	Images []uint8
	// Labels holds n digits 0..9.
	Labels []int64
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Origin says which source supplied a file.
type Origin struct {
	File   string
	Source string // the Source's String()
}

// Dataset is the full MNIST data set.
type Dataset struct {
	Train Set // 60,000 images
	Test  Set // 10,000 images
	// Origins lists the four files in Official's order with their source.
	Origins []Origin
}

// Reporter receives progress: frac in [0,1] and a short message.
// *pipeline.Env satisfies it.
type Reporter interface {
	Progress(frac float64, msg string)
}

// Loader fetches, verifies and decodes the data set.
type Loader struct {
	// Sources are tried in order for each file; see NewSources.
	Sources []Source
	// Reporter, if not nil, hears about each file fetched and decoded.
	Reporter Reporter

	// files replaces Official() in this package's tests, which need small
	// fake files with their own sums. Nil (always, outside those tests)
	// means the official files.
	files []FileInfo
}

// ChecksumError reports a file whose MD5 differs from the official one. The
// file's bytes are discarded.
type ChecksumError struct {
	File   string // file name
	Source string // where it came from
	Want   string // official MD5
	Got    string // MD5 of the bytes received
	Size   int64  // bytes received (more than the official size is cut off at size+1)
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("mnist: %s from %s: md5 %s, want %s (%d bytes received)", e.File, e.Source, e.Got, e.Want, e.Size)
}

// fetchError reports a file that no source could supply; Errs holds each
// source's error in order.
type fetchError struct {
	File string
	Errs []error
}

func (e *fetchError) Error() string {
	if len(e.Errs) == 0 {
		return "mnist: " + e.File + ": no sources configured"
	}
	var b strings.Builder
	b.WriteString("mnist: no source supplied " + e.File + ":")
	for _, err := range e.Errs {
		b.WriteString("\n\t" + err.Error())
	}
	return b.String()
}

func (e *fetchError) Unwrap() []error { return e.Errs }

// maxFile bounds what is read of a file whose size is not known.
const maxFile = 64 << 20

// Load fetches the four files, verifies their checksums and decodes them.
// It checks that both splits have the official counts, that images are
// 28×28 and that every label is a digit.
func (l *Loader) Load(ctx context.Context) (*Dataset, error) {
	files := l.files
	if files == nil {
		files = Official()
	}
	raw := make([][]byte, len(files))
	ds := &Dataset{Origins: make([]Origin, len(files))}
	steps := float64(2 * len(files))
	for i, f := range files {
		data, src, err := l.fetch(ctx, f)
		if err != nil {
			return nil, err
		}
		raw[i] = data
		ds.Origins[i] = Origin{File: f.Name, Source: src}
		l.progress(float64(i+1)/steps, fmt.Sprintf("%s: md5 ok, from %s", f.Name, src))
	}
	sets := []*Set{&ds.Train, &ds.Test}
	for k, set := range sets {
		img, lab := files[2*k], files[2*k+1]
		pix, n, rows, cols, err := DecodeImages(img.Name, raw[2*k])
		if err != nil {
			return nil, err
		}
		switch {
		case rows != Rows || cols != Cols:
			return nil, &formatError{File: img.Name, Msg: fmt.Sprintf("images are %dx%d, want %dx%d", rows, cols, Rows, Cols)}
		case n != img.Count:
			return nil, &formatError{File: img.Name, Msg: fmt.Sprintf("%d images, want %d", n, img.Count)}
		}
		raw[2*k] = nil // let the compressed bytes go
		l.progress(float64(len(files)+2*k+1)/steps, fmt.Sprintf("%s: %d images", img.Name, n))

		labels, err := DecodeLabels(lab.Name, raw[2*k+1])
		if err != nil {
			return nil, err
		}
		if len(labels) != lab.Count {
			return nil, &formatError{File: lab.Name, Msg: fmt.Sprintf("%d labels, want %d", len(labels), lab.Count)}
		}
		l.progress(float64(len(files)+2*k+2)/steps, fmt.Sprintf("%s: %d labels", lab.Name, len(labels)))
		set.Images, set.Labels = pix, labels
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

func (l *Loader) progress(frac float64, msg string) {
	if l.Reporter != nil {
		l.Reporter.Progress(frac, msg)
	}
}

// fetch returns the verified bytes of f from the first source that has
// them, and that source's description.
func (l *Loader) fetch(ctx context.Context, f FileInfo) ([]byte, string, error) {
	var errs []error
	for _, s := range l.Sources {
		if err := ctx.Err(); err != nil {
			return nil, "", err
		}
		data, err := readVerified(ctx, s, f)
		if err == nil {
			return data, s.String(), nil
		}
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		errs = append(errs, err)
	}
	return nil, "", &fetchError{File: f.Name, Errs: errs}
}

func readVerified(ctx context.Context, s Source, f FileInfo) ([]byte, error) {
	rc, err := s.Open(ctx, f.Name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	defer rc.Close()
	limit := int64(maxFile)
	if f.Size > 0 {
		limit = f.Size + 1 // one byte more shows an oversized file
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit))
	if err != nil {
		return nil, fmt.Errorf("%s: read %s: %w", s, f.Name, err)
	}
	sum := md5.Sum(data)
	if got := hex.EncodeToString(sum[:]); got != f.MD5 {
		return nil, &ChecksumError{File: f.Name, Source: s.String(), Want: f.MD5, Got: got, Size: int64(len(data))}
	}
	return data, nil
}
