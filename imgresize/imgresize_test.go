package imgresize

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// goldenPath is the OpenCV 4.6.0 reference made by
// golden/numerics/make_imgresize.py (see golden/numerics/README.md).
var goldenPath = filepath.Join("..", "golden", "numerics", "imgresize.json")

type goldenCase struct {
	Src  string    `json:"src"`
	Kind string    `json:"kind"`
	SH   int       `json:"sh"`
	SW   int       `json:"sw"`
	DW   int       `json:"dw"`
	DH   int       `json:"dh"`
	Dst  []float64 `json:"dst"`
}

type golden struct {
	Sources map[string][]float64 `json:"sources"`
	Cases   []goldenCase         `json:"cases"`
}

func loadGolden(t testing.TB) *golden {
	t.Helper()
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("read golden: %v", err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("decode %s: %v", goldenPath, err)
	}
	return &g
}

func arangeF64(h, w int) []float64 {
	x := make([]float64, h*w)
	for i := range x {
		x[i] = float64(i) / float64(h*w-1)
	}
	return x
}

func arangeU8(h, w int) []uint8 {
	x := make([]uint8, h*w)
	for i := range x {
		x[i] = uint8(i % 256)
	}
	return x
}

func toU8(x []float64) []uint8 {
	u := make([]uint8, len(x))
	for i, v := range x {
		u[i] = uint8(v)
	}
	return u
}

// TestSpecVectors checks the vectors printed in docs/numerics.md#opencv-resize.
func TestSpecVectors(t *testing.T) {
	r := make([]float64, 14*14)
	LinearFloat64(r, 14, 14, arangeF64(28, 28), 28, 28)
	want := map[int]float64{0: 0.018518518518518517, 1: 0.021072796934865898, 2: 0.023627075351213285, 13*14 + 13: 0.9814814814814814}
	for i, w := range want {
		if r[i] != w {
			t.Errorf("float64 R[%d] = %v, want %v", i, r[i], w)
		}
	}
	u := make([]uint8, 14*14)
	LinearUint8(u, 14, 14, arangeU8(28, 28), 28, 28)
	for i, w := range map[int]uint8{0: 15, 1: 17, 2: 19, 3: 21, 9 * 14: 135, 9*14 + 1: 137, 9*14 + 2: 139, 9*14 + 3: 141} {
		if u[i] != w {
			t.Errorf("uint8 R[%d] = %d, want %d", i, u[i], w)
		}
	}
}

// TestGolden compares every case of the OpenCV golden file bit for bit.
func TestGolden(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Cases {
		t.Run(fmt.Sprintf("%s/%dx%d", c.Src, c.DW, c.DH), func(t *testing.T) {
			bad := 0
			switch c.Kind {
			case "arange_f64", "random_f64", "random_int_f64":
				src := g.Sources[c.Src]
				if c.Kind == "arange_f64" {
					src = arangeF64(c.SH, c.SW)
				}
				dst := make([]float64, c.DW*c.DH)
				LinearFloat64(dst, c.DW, c.DH, src, c.SW, c.SH)
				for i := range dst {
					if math.Float64bits(dst[i]) != math.Float64bits(c.Dst[i]) {
						if bad < 3 {
							t.Errorf("[%d] = %v, cv2 %v", i, dst[i], c.Dst[i])
						}
						bad++
					}
				}
			case "arange_u8", "random_u8":
				var src []uint8
				if c.Kind == "arange_u8" {
					src = arangeU8(c.SH, c.SW)
				} else {
					src = toU8(g.Sources[c.Src])
				}
				dst := make([]uint8, c.DW*c.DH)
				LinearUint8(dst, c.DW, c.DH, src, c.SW, c.SH)
				for i := range dst {
					if float64(dst[i]) != c.Dst[i] {
						if bad < 3 {
							t.Errorf("[%d] = %v, cv2 %v", i, dst[i], c.Dst[i])
						}
						bad++
					}
				}
			default:
				t.Fatalf("unknown kind %q", c.Kind)
			}
			if bad > 0 {
				t.Errorf("%d of %d pixels differ", bad, len(c.Dst))
			}
		})
	}
}

func TestBatch(t *testing.T) {
	const n = 3
	src := make([]float64, n*28*28)
	for i := range src {
		src[i] = float64((i * 7919) % 256)
	}
	got := BatchFloat64(nil, 14, 14, src, 28, 28)
	one := make([]float64, 14*14)
	for i := 0; i < n; i++ {
		LinearFloat64(one, 14, 14, src[i*784:(i+1)*784], 28, 28)
		for j := range one {
			if got[i*196+j] != one[j] {
				t.Fatalf("image %d pixel %d: batch %v, single %v", i, j, got[i*196+j], one[j])
			}
		}
	}
	u := make([]uint8, len(src))
	for i := range u {
		u[i] = uint8(src[i])
	}
	gu := BatchUint8(nil, 10, 10, u, 28, 28)
	ou := make([]uint8, 100)
	LinearUint8(ou, 10, 10, u[784:1568], 28, 28)
	for j := range ou {
		if gu[100+j] != ou[j] {
			t.Fatalf("uint8 batch differs at %d", j)
		}
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"short dst": func() { LinearFloat64(make([]float64, 3), 2, 2, make([]float64, 4), 2, 2) },
		"zero size": func() { LinearUint8(nil, 0, 2, make([]uint8, 4), 2, 2) },
		"bad batch": func() { BatchFloat64(nil, 14, 14, make([]float64, 785), 28, 28) },
		"batch dst": func() { BatchUint8(make([]uint8, 5), 14, 14, make([]uint8, 784), 28, 28) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func BenchmarkBatch70000(b *testing.B)     { benchBatch(b, 70000, 14) }
func BenchmarkBatch70000To10(b *testing.B) { benchBatch(b, 70000, 10) }

func benchBatch(b *testing.B, n, d int) {
	src := make([]float64, n*784)
	for i := range src {
		src[i] = float64(i % 256)
	}
	dst := make([]float64, n*d*d)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		BatchFloat64(dst, d, d, src, 28, 28)
	}
}
