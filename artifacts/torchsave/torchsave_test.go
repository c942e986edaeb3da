package torchsave_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hw1pipe/artifacts/inspect"
	"hw1pipe/artifacts/torchsave"
	"hw1pipe/internal/pyref"
)

const checker = "../../golden/artifacts/check_artifacts.py"

// linearNet returns fc1.weight (10x784) and fc1.bias (10) with small
// random values, like a trained nn.Linear(784, 10).
func linearNet(seed uint64) []torchsave.Tensor {
	r := rand.New(rand.NewPCG(seed, 1))
	w := make([]float32, 10*784)
	for i := range w {
		w[i] = float32(r.NormFloat64() * 0.03)
	}
	b := make([]float32, 10)
	for i := range b {
		b[i] = float32(r.NormFloat64() * 0.1)
	}
	return []torchsave.Tensor{
		{Name: "fc1.weight", Shape: []int{10, 784}, Data: w},
		{Name: "fc1.bias", Shape: []int{10}, Data: b},
	}
}

func shapesCase() []torchsave.Tensor {
	var ts []torchsave.Tensor
	shapes := [][]int{{}, {1}, {3, 4, 5}, {0, 7}, {2, 1, 1, 2}}
	for i, s := range shapes {
		n := 1
		for _, d := range s {
			n *= d
		}
		data := make([]float32, n)
		for j := range data {
			data[j] = float32(j)*0.25 - float32(i)
		}
		if n > 0 {
			data[0] = float32(math.Copysign(0, -1))
		}
		ts = append(ts, torchsave.Tensor{Name: "layer" + string(rune('a'+i)) + ".sub.p", Shape: s, Data: data})
	}
	// 12 tensors so that keys "10", "11" sort before "2"
	for i := 0; i < 7; i++ {
		ts = append(ts, torchsave.Tensor{Name: "extra." + string(rune('a'+i)), Shape: []int{3}, Data: []float32{1, float32(i), -3.5e-20}})
	}
	return ts
}

func encode(t *testing.T, ts []torchsave.Tensor, prefix string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := torchsave.NewWriter(&buf)
	if prefix != "" {
		w.SetPrefix(prefix)
	}
	for _, x := range ts {
		if err := w.Add(x.Name, x.Shape, x.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestArchiveLayout checks docs/formats.md#zip-archive: entry names and order, STORED,
// CRC, 64-byte aligned payloads with an FB extra block, version "3\n".
func TestArchiveLayout(t *testing.T) {
	b := encode(t, shapesCase(), "sd")
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Store {
			t.Errorf("%s: method %d", f.Name, f.Method)
		}
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		if off%64 != 0 {
			t.Errorf("%s: data at %d, not 64-aligned", f.Name, off)
		}
		// the local header's extra field is the FB block
		if string(f.Extra[:2]) != "FB" || int(binary.LittleEndian.Uint16(f.Extra[2:])) != len(f.Extra)-4 ||
			strings.Trim(string(f.Extra[4:]), "Z") != "" {
			t.Errorf("%s: extra %q", f.Name, f.Extra)
		}
		rc, _ := f.Open()
		data, err := io.ReadAll(rc) // checks the CRC
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		if crc32.ChecksumIEEE(data) != f.CRC32 {
			t.Errorf("%s: CRC", f.Name)
		}
		if f.Name == "sd/version" && string(data) != "3\n" {
			t.Errorf("version %q", data)
		}
	}
	want := "sd/data.pkl sd/data/0 sd/data/1 sd/data/10 sd/data/11 sd/data/2 sd/data/3 sd/data/4 sd/data/5 sd/data/6 sd/data/7 sd/data/8 sd/data/9 sd/version"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("entries\n got  %s\n want %s", got, want)
	}
	pkl := b[64:]
	if pkl[0] != 0x80 || pkl[1] != 2 || !bytes.HasPrefix(pkl[2:], []byte("ccollections\nOrderedDict\nq\x00)Rq\x01")) {
		t.Errorf("data.pkl starts %q", pkl[:40])
	}
}

// The first data.pkl bytes torch 1.13 wrote (docs/formats.md#pickled-state-dict).
func TestDataPklPrefix(t *testing.T) {
	b := encode(t, linearNet(1), "")
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	rc, _ := zr.File[0].Open()
	pkl, _ := io.ReadAll(rc)
	want, _ := hex.DecodeString("800263636f6c6c656374696f6e730a4f726465726564446963740a71002952710128580a0000006663312e776569676874")
	if !bytes.HasPrefix(pkl, want) {
		t.Errorf("data.pkl\n got  %x\n want %x", pkl[:min(len(pkl), len(want))], want)
	}
	if !bytes.HasSuffix(pkl, []byte("sb.")) {
		t.Errorf("data.pkl ends %q, want SETITEM BUILD STOP", pkl[len(pkl)-10:])
	}
}

func TestDeterministic(t *testing.T) {
	a := encode(t, linearNet(3), "")
	b := encode(t, linearNet(3), "")
	if !bytes.Equal(a, b) {
		t.Error("same tensors gave different bytes")
	}
}

// TestRoundTripGopickle reads the archive with gopickle's torch loader.
func TestRoundTripGopickle(t *testing.T) {
	for name, ts := range map[string][]torchsave.Tensor{"linear": linearNet(2), "shapes": shapesCase()} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "w.pth")
			if err := torchsave.WriteFile(p, ts); err != nil {
				t.Fatal(err)
			}
			v, err := inspect.LoadTorch(p)
			if err != nil {
				t.Fatal(err)
			}
			d, ok := v.(*inspect.Dict)
			if !ok || d.Class != "collections.OrderedDict" || len(d.Keys) != len(ts) {
				t.Fatalf("loaded %#v", v)
			}
			for i, x := range ts {
				if d.Keys[i] != x.Name {
					t.Errorf("key %d = %v, want %s", i, d.Keys[i], x.Name)
				}
				tt := d.Values[i].(*inspect.Tensor)
				if tt.Dtype != "float32" || !inspect.Equal(tt.Shape, x.Shape) && len(x.Shape) > 0 || tt.RequiresGrad {
					t.Errorf("%s: %+v", x.Name, tt)
				}
				if !inspect.Equal(tt.Data, x.Data) {
					t.Errorf("%s: data differs", x.Name)
				}
			}
			md, ok := d.Attrs.Get("_metadata")
			if !ok {
				t.Fatal("no _metadata")
			}
			if mdd := md.(*inspect.Dict); mdd.Keys[0] != "" {
				t.Errorf("_metadata keys %v", mdd.Keys)
			}
		})
	}
}

func TestErrorsLeaveNothing(t *testing.T) {
	nan := float32(math.NaN())
	cases := []struct {
		name string
		t    torchsave.Tensor
		want any
	}{
		{"empty name", torchsave.Tensor{Name: "", Shape: []int{1}, Data: []float32{1}}, new(*torchsave.NameError)},
		{"bad utf8", torchsave.Tensor{Name: "a\xff", Shape: []int{1}, Data: []float32{1}}, new(*torchsave.NameError)},
		{"shape", torchsave.Tensor{Name: "a", Shape: []int{2, 2}, Data: []float32{1}}, new(*torchsave.ShapeError)},
		{"negative", torchsave.Tensor{Name: "a", Shape: []int{-1}, Data: nil}, new(*torchsave.ShapeError)},
		{"nan", torchsave.Tensor{Name: "a", Shape: []int{2}, Data: []float32{1, nan}}, new(*torchsave.NonFiniteError)},
		{"inf", torchsave.Tensor{Name: "a", Shape: []int{1}, Data: []float32{float32(math.Inf(-1))}}, new(*torchsave.NonFiniteError)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "w.pth")
			err := torchsave.WriteFile(p, []torchsave.Tensor{{Name: "ok", Shape: []int{1}, Data: []float32{1}}, c.t})
			if err == nil || !errors.As(err, c.want) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if !strings.HasPrefix(err.Error(), "torchsave: ") {
				t.Errorf("message %q", err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("%d files left", len(ents))
			}
		})
	}
	w := torchsave.NewWriter(io.Discard)
	w.Add("a", nil, []float32{1})
	if err := w.Add("a", nil, []float32{1}); !errors.As(err, new(*torchsave.NameError)) {
		t.Errorf("duplicate name: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != torchsave.ErrClosed {
		t.Errorf("second Close: %v", err)
	}
	if err := w.Add("b", nil, []float32{1}); err != torchsave.ErrClosed {
		t.Errorf("Add after Close: %v", err)
	}
	w = torchsave.NewWriter(io.Discard)
	w.SetPrefix("a/b")
	if err := w.Close(); !errors.As(err, new(*torchsave.NameError)) {
		t.Errorf("bad prefix: %v", err)
	}
}

func bits32(d []float32) []uint32 {
	out := make([]uint32, len(d))
	for i, x := range d {
		out[i] = math.Float32bits(x)
	}
	return out
}

func bits64(d []float64) []uint64 {
	out := make([]uint64, len(d))
	for i, x := range d {
		out[i] = math.Float64bits(x)
	}
	return out
}

// TestTorchLoad loads the archives with torch 1.13 (weights_only False and
// True), compares every tensor bit for bit and, for the linear net, the
// outputs of relu(fc1(x)) with Go's to 1e-6.
func TestTorchLoad(t *testing.T) {
	pyref.Require(t, "torch", "numpy")
	for name, ts := range map[string][]torchsave.Tensor{"linear": linearNet(4), "shapes": shapesCase()} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "pytorch_nn_weights.pth")
			if err := torchsave.WriteFile(p, ts); err != nil {
				t.Fatal(err)
			}
			type jt struct {
				Name  string   `json:"name"`
				Shape []int    `json:"shape"`
				Bits  []uint32 `json:"bits"`
			}
			side := map[string]any{}
			var jts []jt
			md := map[string]any{"": map[string]int{"version": 1}}
			for _, x := range ts {
				jts = append(jts, jt{x.Name, append([]int{}, x.Shape...), bits32(x.Data)})
				parts := strings.Split(x.Name, ".")
				for i := 1; i < len(parts); i++ {
					md[strings.Join(parts[:i], ".")] = map[string]int{"version": 1}
				}
			}
			for i := range jts {
				if jts[i].Shape == nil {
					jts[i].Shape = []int{}
				}
			}
			side["tensors"] = jts
			side["metadata"] = md
			if name == "linear" {
				r := rand.New(rand.NewPCG(9, 9))
				const n = 5
				x := make([]float64, n*784)
				for i := range x {
					x[i] = float64(float32(r.Float64()))
				}
				y := make([]float64, n*10)
				w, b := ts[0].Data, ts[1].Data
				for s := 0; s < n; s++ {
					for o := 0; o < 10; o++ {
						acc := float64(b[o])
						for k := 0; k < 784; k++ {
							acc += float64(w[o*784+k]) * x[s*784+k]
						}
						y[s*10+o] = math.Max(acc, 0)
					}
				}
				side["inputs"], side["outputs"] = bits64(x), bits64(y)
			}
			sp := filepath.Join(dir, "side.json")
			js, _ := json.Marshal(side)
			os.WriteFile(sp, js, 0o644)
			out := pyref.RunFile(t, []string{"torch", "numpy"}, checker, "torch", p, sp)
			t.Logf("%s", out)
			if !bytes.HasPrefix(out, []byte("OK")) {
				t.Fatalf("checker: %s", out)
			}
		})
	}
}

// TestTorchGolden compares with golden/artifacts/torch/sd.pt, written by
// torch.save itself (make_torch_golden.py): same records in the same
// order with the same bytes (data.pkl included), every payload
// 64-aligned in both, and everything before the central directory
// byte-identical. The central directories differ: Go's archive/zip
// repeats the FB extra field there and writes no zip64 end record.
func TestTorchGolden(t *testing.T) {
	ts := []torchsave.Tensor{
		{Name: "fc1.weight", Shape: []int{2, 3}, Data: []float32{0.5, -1.25, 3.0, 1e-3, float32(math.Copysign(0, -1)), 2.5}},
		{Name: "fc1.bias", Shape: []int{2}, Data: []float32{0.125, -7.0}},
		{Name: "fc2.weight", Shape: []int{1, 2}, Data: []float32{1.5, -2.0}},
		{Name: "fc2.bias", Shape: []int{1}, Data: []float32{0.25}},
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "sd.pt")
	if err := torchsave.WriteFile(p, ts); err != nil {
		t.Fatal(err)
	}
	golden := "../../golden/artifacts/torch/sd.pt"
	records := func(path string) ([]string, map[string][]byte) {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		var names []string
		data := map[string][]byte{}
		for _, f := range zr.File {
			off, _ := f.DataOffset()
			if off%64 != 0 {
				t.Errorf("%s %s: payload at %d", path, f.Name, off)
			}
			rc, _ := f.Open()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, f.Name)
			data[f.Name] = b
		}
		return names, data
	}
	gn, gd := records(golden)
	on, od := records(p)
	if strings.Join(gn, " ") != strings.Join(on, " ") {
		t.Fatalf("records\n got  %v\n want %v", on, gn)
	}
	for _, n := range gn {
		if !bytes.Equal(gd[n], od[n]) {
			t.Errorf("%s differs", n)
		}
	}
	last := func(path string) int64 {
		zr, _ := zip.OpenReader(path)
		defer zr.Close()
		f := zr.File[len(zr.File)-1]
		off, _ := f.DataOffset()
		return off + int64(f.CompressedSize64) + 16 // data descriptor
	}
	gb, _ := os.ReadFile(golden)
	ob, _ := os.ReadFile(p)
	if n := last(golden); n != last(p) || !bytes.Equal(gb[:n], ob[:n]) {
		t.Errorf("local headers and payloads differ from torch.save's")
	}
	gv, err := inspect.LoadTorch(golden)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := inspect.LoadTorch(p)
	if err != nil {
		t.Fatal(err)
	}
	if !inspect.Equal(gv, ov) {
		t.Errorf("data.pkl decodes differently\n got  %#v\n want %#v", ov, gv)
	}
}
