package nn_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"hw1pipe/nn"
	"hw1pipe/numpyrand"
)

// randomPixels returns n 784-pixel images, about 80% zero pixels like MNIST,
// and n labels.
func randomPixels(seed uint32, n int) (pix, labels []byte) {
	rs := numpyrand.New(seed)
	pix = make([]byte, n*784)
	for i := range pix {
		if rs.Float64() < 0.2 {
			pix[i] = byte(rs.RandInt(1, 256))
		}
	}
	labels = make([]byte, n)
	for i := range labels {
		labels[i] = byte(rs.RandInt(0, 10))
	}
	return pix, labels
}

// TestDatasetFromBytes: a Dataset made by NewDataset keeps its samples
// compressed, yet everything that reads it sees the values of the dense
// matrix float64(p)/255, and computes bit for bit what it computes on that
// matrix.
func TestDatasetFromBytes(t *testing.T) {
	pix, labels := randomPixels(5, 300)
	idx := []int{299, 0, 17, 17, 150, 3, 42, 298, 100, 7, 64, 65, 66, 1}
	for i := 200; i < 290; i++ {
		idx = append(idx, i)
	}
	ds, err := nn.NewDataset(pix, labels, 784, idx)
	if err != nil {
		t.Fatal(err)
	}
	if ds.X != nil || ds.Features() != 784 || ds.Len() != len(idx) {
		t.Fatalf("X %v, Features %d, Len %d: want nil, 784, %d", ds.X, ds.Features(), ds.Len(), len(idx))
	}
	dense := ds.Dense()
	if r, c := dense.Dims(); r != len(idx) || c != 784 {
		t.Fatalf("Dense is %d×%d, want %d×784", r, c, len(idx))
	}
	for r, i := range idx {
		if ds.Y[r] != int(labels[i]) {
			t.Fatalf("Y[%d] = %d, want %d", r, ds.Y[r], labels[i])
		}
		row := ds.Row(r)
		for k, p := range pix[i*784 : (i+1)*784] {
			if want := float64(p) / 255; dense.At(r, k) != want || row[k] != want {
				t.Fatalf("sample %d pixel %d: Dense %v, Row %v, want %v", r, k, dense.At(r, k), row[k], want)
			}
		}
	}
	ref := nn.Dataset{X: dense, Y: ds.Y}

	w, b := nn.NewLinear(784, 10), nn.NewLinear(784, 10)
	nn.Initialize(w, nn.InitGaussian, numpyrand.New(2))
	nn.Initialize(b, nn.InitUniform, numpyrand.New(2))
	for _, l := range []*nn.Linear{w, b} {
		if got, want := nn.Diagnose(l.W, l.B, ds), nn.Diagnose(l.W, l.B, ref); !reflect.DeepEqual(got, want) {
			t.Errorf("Diagnose: compressed %+v, dense %+v", got, want)
		}
		na, nb := nn.NewNet(784, 10), nn.NewNet(784, 10)
		copy(na.L.W, l.W)
		copy(nb.L.W, l.W)
		for _, batch := range []int{1, 7, 64} {
			la, ea := na.Evaluate(ds, batch)
			lb, eb := nb.Evaluate(ref, batch)
			if la != lb || ea != eb {
				t.Errorf("Evaluate batch %d: compressed %v %v, dense %v %v", batch, la, ea, lb, eb)
			}
		}
	}

	order := func() nn.Order { return nn.NumpyOrder(numpyrand.New(9), ds.Len()) }
	la, lb := nn.NewLoader(ds, 10, order()), nn.NewLoader(ref, 10, order())
	for i := 0; i < 30; i++ {
		xa, ya, err := la.Next()
		if err != nil {
			t.Fatal(err)
		}
		xb, yb, err := lb.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(xa, xb) || !slices.Equal(ya, yb) {
			t.Fatalf("batch %d differs", i)
		}
	}

	cfg := nn.DefaultConfig()
	cfg.Iterations, cfg.ValInterval = 40, 10
	ra, err := nn.Train(context.Background(), ds, ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := nn.Train(context.Background(), ref, ref, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ra, rb) {
		t.Errorf("Train on the compressed and the dense dataset differ")
	}
	for _, init := range []nn.Init{nn.InitUniform, nn.InitGaussian} {
		cfg.Init = init
		res, err := nn.Train(context.Background(), ds, ds, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if w0, b0 := nn.InitialWeights(cfg, 784); !slices.Equal(w0, res.W0) || !slices.Equal(b0, res.B0) {
			t.Errorf("init %v: InitialWeights differ from the weights Train started from", init)
		}
	}
}

// TestDatasetEmpty: no samples is a valid, empty dataset.
func TestDatasetEmpty(t *testing.T) {
	ds, err := nn.NewDataset(make([]byte, 784), []byte{3}, 784, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 0 || ds.Features() != 784 {
		t.Errorf("Len %d Features %d, want 0 and 784", ds.Len(), ds.Features())
	}
	if r, c := ds.Dense().Dims(); r != 0 || c != 0 {
		t.Errorf("Dense is %d×%d, want empty", r, c)
	}
}

// BenchmarkNewDataset selects and compresses the 30,000 images of
// p3_train's training subset of MNIST, as the stage does once.
func BenchmarkNewDataset(b *testing.B) {
	m := loadMNIST(b)
	idx, _, err := nn.Subsample(m.trY, m.teY, 10, 0.5, 20)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := nn.NewDataset(m.trX, m.trY8, 784, idx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiagnose measures the start's diagnostics on p3_train's 30,000
// training images, as the stage does twice.
func BenchmarkDiagnose(b *testing.B) {
	train, _, _, _ := halfMNIST(b, 20)
	l := nn.NewLinear(784, 10)
	nn.Initialize(l, nn.InitUniform, numpyrand.New(20))
	b.ReportAllocs()
	for b.Loop() {
		nn.Diagnose(l.W, l.B, train)
	}
}
