package nn

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
	"hw1pipe/numpyrand"
)

// Dataset is n labelled samples.
type Dataset struct {
	// X is n×d, one flattened image per row (d = 784 for MNIST), pixels
	// scaled to [0,1]. A Dataset made by NewDataset leaves X nil and keeps
	// the pixels in compressed form instead (30,000 MNIST images are
	// 188 MB as float64, about 14 MB compressed); Features, Dense and the
	// functions of this package read either form.
	X *mat.Dense
	// Y holds the n labels, each in [0, classes).
	Y []int

	// csr holds the samples when NewDataset built them from bytes (then X
	// is nil); Train builds it from X with NewCSR otherwise.
	csr *CSR
}

// Len returns the number of samples.
func (ds Dataset) Len() int { return len(ds.Y) }

// Features returns d, the length of a sample.
func (ds Dataset) Features() int {
	if ds.X == nil && ds.csr != nil {
		return ds.csr.cols
	}
	if ds.X == nil {
		return 0
	}
	_, d := ds.X.Dims()
	return d
}

// Dense returns the samples as an n×d matrix: X itself, or for a Dataset
// made by NewDataset a new matrix of the same values (8·n·d bytes).
func (ds Dataset) Dense() *mat.Dense {
	if ds.X != nil || ds.csr == nil {
		return ds.X
	}
	if ds.csr.rows == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(ds.csr.rows, ds.csr.cols, ds.rows(0, ds.csr.rows, nil))
}

// Row returns a copy of sample i (d values).
func (ds Dataset) Row(i int) []float64 {
	x := make([]float64, ds.Features())
	ds.row(i, x)
	return x
}

// rows returns samples s..s+m-1 as an m×d row-major slice: a view of X
// when its rows are contiguous, else the rows written into buf (grown as
// needed), with the same float64 values either way.
func (ds Dataset) rows(s, m int, buf []float64) []float64 {
	d := ds.Features()
	if ds.X == nil {
		buf = grow(buf, m*d)
		for r := 0; r < m; r++ {
			ds.csr.denseRow(s+r, buf[r*d:(r+1)*d])
		}
		return buf
	}
	if raw := ds.X.RawMatrix(); raw.Stride == d {
		return raw.Data[s*d : (s+m)*d]
	}
	buf = grow(buf, m*d)
	for r := 0; r < m; r++ {
		copy(buf[r*d:(r+1)*d], ds.X.RawRowView(s+r))
	}
	return buf
}

// samples returns the number of stored samples (rows of X or of the
// compressed form), which Len's labels must match.
func (ds Dataset) samples() int {
	if ds.X == nil {
		if ds.csr == nil {
			return 0
		}
		return ds.csr.rows
	}
	r, _ := ds.X.Dims()
	return r
}

// row writes sample i into dst (len d).
func (ds Dataset) row(i int, dst []float64) {
	if ds.X == nil {
		ds.csr.denseRow(i, dst)
		return
	}
	copy(dst, ds.X.RawRowView(i))
}

// NewDataset builds the Dataset of the samples idx (in that order) from
// raw 8-bit images: pixels holds N images of d bytes each, labels N bytes.
// Pixel p becomes float64(p)/255, bit for bit numpy's X.astype(float64)/255.
// The samples are kept compressed (X is nil) when d ≤ 65,536, the most
// columns a CSR holds, and in X otherwise. It returns an error if the
// sizes disagree or an index is out of range.
func NewDataset(pixels []byte, labels []byte, d int, idx []int) (Dataset, error) {
	if d <= 0 || len(pixels) != len(labels)*d {
		return Dataset{}, fmt.Errorf("nn: %d pixel bytes do not hold %d images of %d", len(pixels), len(labels), d)
	}
	y := make([]int, len(idx))
	for r, i := range idx {
		if i < 0 || i >= len(labels) {
			return Dataset{}, fmt.Errorf("nn: sample index %d out of range [0,%d)", i, len(labels))
		}
		y[r] = int(labels[i])
	}
	if d <= 1<<16 {
		return Dataset{Y: y, csr: byteCSR(pixels, d, idx)}, nil
	}
	// A table of the 256 quotients gives the same bits as dividing each
	// pixel, without a division per pixel.
	var scale [256]float64
	for p := range scale {
		scale[p] = float64(p) / 255
	}
	data := make([]float64, len(idx)*d)
	for r, i := range idx {
		row := data[r*d : (r+1)*d]
		for k, p := range pixels[i*d : (i+1)*d] {
			row[k] = scale[p]
		}
	}
	if len(idx) == 0 {
		return Dataset{X: &mat.Dense{}, Y: y}, nil
	}
	return Dataset{X: mat.NewDense(len(idx), d, data), Y: y}, nil
}

// byteCSR is NewCSR for the rows idx of 8-bit images scaled by 1/255:
// the code of a pixel is its byte.
func byteCSR(pixels []byte, d int, idx []int) *CSR {
	nnz := 0
	for _, i := range idx {
		nnz += nonzeros(pixels[i*d : (i+1)*d])
	}
	s := &CSR{rows: len(idx), cols: d, ptr: make([]int, len(idx)+1),
		col: make([]uint16, nnz), code: make([]uint8, nnz)}
	for p := range s.dict {
		s.dict[p] = float64(p) / 255
	}
	n := 0
	for r, i := range idx {
		row := pixels[i*d : (i+1)*d]
		// Eight pixels at a time: most of an MNIST image is zero runs.
		k := 0
		for ; k+8 <= len(row); k += 8 {
			if binary.LittleEndian.Uint64(row[k:]) == 0 {
				continue
			}
			for j, p := range row[k : k+8] {
				if p != 0 {
					s.col[n], s.code[n] = uint16(k+j), p
					n++
				}
			}
		}
		for ; k < len(row); k++ {
			if p := row[k]; p != 0 {
				s.col[n], s.code[n] = uint16(k), p
				n++
			}
		}
		s.ptr[r+1] = n
	}
	return s
}

// nonzeros counts the nonzero bytes of b.
func nonzeros(b []byte) int {
	n, k := 0, 0
	for ; k+8 <= len(b); k += 8 {
		if w := binary.LittleEndian.Uint64(b[k:]); w != 0 {
			for j := range 8 {
				if b[k+j] != 0 {
					n++
				}
			}
		}
	}
	for _, p := range b[k:] {
		if p != 0 {
			n++
		}
	}
	return n
}

// sparse returns ds's CSR form, or an error when it does not compress.
func (ds Dataset) sparse() (*CSR, error) {
	if ds.csr != nil {
		return ds.csr, nil
	}
	return NewCSR(ds.X)
}

// ClassSubset returns a seeded, class-stratified subset of the sample
// indices 0..len(labels)-1, sorted ascending. For each class c in
// ascending order, with idx_c the ascending indices of label c, it keeps
//
//	idx_c[rs.choice(len(idx_c), k_c, replace=False)]
//
// drawing from rs (numpy's choice without replacement draws a whole
// permutation of len(idx_c), even when k_c is 0). The counts k_c are the
// largest-remainder rounding of frac·len(idx_c) to a total of
// round(frac·len(labels)): each class gets floor(frac·n_c), then the
// classes with the largest fractional parts (ties to the smaller class)
// get one more. For MNIST and frac 0.5 this gives exactly 30,000 of the
// 60,000 training images (of the five odd classes 0, 3 and 5 round up, 8
// and 9 down) and 5,000 of the 10,000 test images (class 1 rounds up,
// class 9 down), where flooring every class would give 29,997 and 4,999.
//
// It returns an error if frac is not in (0,1] or a label is outside
// [0, classes).
func ClassSubset(labels []int, classes int, frac float64, rs *numpyrand.RandomState) ([]int, error) {
	if !(frac > 0 && frac <= 1) {
		return nil, fmt.Errorf("nn: subset fraction %v not in (0,1]", frac)
	}
	byClass := make([][]int, classes)
	for i, y := range labels {
		if y < 0 || y >= classes {
			return nil, fmt.Errorf("nn: label %d of sample %d out of range [0,%d)", y, i, classes)
		}
		byClass[y] = append(byClass[y], i)
	}
	k := ClassCounts(labels, classes, frac)
	var sel []int
	for c, idx := range byClass {
		for _, p := range rs.Choice(len(idx), k[c]) {
			sel = append(sel, idx[p])
		}
	}
	slices.Sort(sel)
	return sel, nil
}

// ClassCounts returns the per-class sample counts ClassSubset keeps (see
// there for the rounding). Labels outside [0, classes) are ignored.
func ClassCounts(labels []int, classes int, frac float64) []int {
	n := make([]int, classes)
	for _, y := range labels {
		if y >= 0 && y < classes {
			n[y]++
		}
	}
	k := make([]int, classes)
	rem := make([]float64, classes)
	total, sum := 0, 0
	for c, nc := range n {
		x := frac * float64(nc)
		k[c] = int(math.Floor(x))
		rem[c] = x - float64(k[c])
		total += nc
		sum += k[c]
	}
	target := int(math.Floor(frac*float64(total) + 0.5))
	order := make([]int, classes)
	for c := range order {
		order[c] = c
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for _, c := range order {
		if sum >= target {
			break
		}
		if rem[c] > 0 {
			k[c]++
			sum++
		}
	}
	return k
}

// Subsample draws the class-stratified subsets of a training and a
// validation set from one numpy stream seeded with seed: the training
// subset first, then the validation subset, as ClassSubset describes.
func Subsample(trainLabels, valLabels []int, classes int, frac float64, seed uint32) (train, val []int, err error) {
	rs := numpyrand.New(seed)
	if train, err = ClassSubset(trainLabels, classes, frac, rs); err != nil {
		return nil, nil, err
	}
	if val, err = ClassSubset(valLabels, classes, frac, rs); err != nil {
		return nil, nil, err
	}
	return train, val, nil
}

// An Order gives the visiting order of the n training samples for each
// pass (epoch) over them: a permutation of 0..n-1. Passes are numbered
// from 0 and requested in increasing order, each once.
type Order func(pass int) []int

// NumpyOrder returns the Order that draws rs.Permutation(n) at every pass,
// like np.random.permutation(n) at the start of each epoch.
func NumpyOrder(rs *numpyrand.RandomState, n int) Order {
	return func(int) []int { return rs.Permutation(n) }
}

// Loader yields training batches: each pass takes the samples in the
// order of its permutation and cuts it into consecutive batches, the last
// one shorter when the batch size does not divide n (PyTorch's
// drop_last=False; 30,000 samples give 468 batches of 64 and one of 48
// per pass). Then the next pass starts with a new permutation.
//
// A Loader is not safe for concurrent use.
type Loader struct {
	ds    Dataset
	batch int
	order Order
	perms [][]int
	perm  []int
	pos   int
	xb    []float64
	yb    []int
	seen  []bool
}

// NewLoader returns a Loader over ds. It panics if batch < 1 or ds is
// empty.
func NewLoader(ds Dataset, batch int, order Order) *Loader {
	if batch < 1 || ds.Len() == 0 {
		panic("nn: NewLoader needs batch ≥ 1 and a non-empty dataset")
	}
	return &Loader{ds: ds, batch: batch, order: order,
		xb: make([]float64, batch*ds.Features()), yb: make([]int, batch)}
}

// Next returns the next batch: x is n×d (row-major, a copy of the rows)
// and y its n labels, n = len(y) ≤ the batch size. Both are owned by the
// Loader and valid until the next call. It returns an *OrderError if the
// Order gives something other than a permutation of 0..n-1.
func (l *Loader) Next() (x []float64, y []int, err error) {
	rows, y, err := l.NextRows()
	if err != nil {
		return nil, nil, err
	}
	d := l.ds.Features()
	for r, i := range rows {
		l.ds.row(i, l.xb[r*d:(r+1)*d])
	}
	return l.xb[:len(rows)*d], y, nil
}

// NextRows is Next without the copy: it returns the dataset rows of the
// next batch (a view of the pass's permutation) and their labels.
func (l *Loader) NextRows() (rows, y []int, err error) {
	n := l.ds.Len()
	if l.perm == nil || l.pos == n {
		p := l.order(len(l.perms))
		if err := l.checkPerm(p, n, len(l.perms)); err != nil {
			return nil, nil, err
		}
		l.perm, l.pos = p, 0
		l.perms = append(l.perms, p)
	}
	m := min(l.batch, n-l.pos)
	rows = l.perm[l.pos : l.pos+m]
	for r, i := range rows {
		l.yb[r] = l.ds.Y[i]
	}
	l.pos += m
	return rows, l.yb[:m], nil
}

// Perms returns the permutation of every pass started so far, in order
// (the Loader's own slices; do not modify them).
func (l *Loader) Perms() [][]int { return l.perms }

// OrderError reports an Order whose result is not a permutation.
type OrderError struct {
	Pass int
	Msg  string
}

func (e *OrderError) Error() string { return fmt.Sprintf("nn: order of pass %d: %s", e.Pass, e.Msg) }

func (l *Loader) checkPerm(p []int, n, pass int) error {
	if len(p) != n {
		return &OrderError{pass, fmt.Sprintf("length %d, want %d", len(p), n)}
	}
	if l.seen == nil {
		l.seen = make([]bool, n)
	}
	seen := l.seen
	clear(seen)
	for _, i := range p {
		if i < 0 || i >= n || seen[i] {
			return &OrderError{pass, fmt.Sprintf("index %d out of range or repeated", i)}
		}
		seen[i] = true
	}
	return nil
}
