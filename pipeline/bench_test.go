package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type blobParams struct {
	Size int `yaml:"size"`
}

func (*blobParams) Validate() error { return nil }

// blobKind writes Size bytes to each of its three outputs, whatever its
// inputs; the benchmark only needs files of realistic sizes.
var blobKind = NewKind(Kind{
	Name: "blob", Version: "1", Outputs: []string{"o1", "o2", "o3"},
}, func() *blobParams { return &blobParams{Size: 1 << 10} },
	func(ctx context.Context, env *Env, p *blobParams) error {
		n := p.Size
		for k, p := range env.Outputs {
			if err := os.WriteFile(p, bytes.Repeat([]byte(k[1:]), n), 0o644); err != nil {
				return err
			}
		}
		return nil
	})

// benchPipeline writes a pipeline shaped like hw1pipe's: nStages stages
// with three outputs each, every stage reading two earlier stages' outputs,
// five source files (one of bigMB MB) and the first stage writing three
// files of bigMB MB.
func benchPipeline(b *testing.B, nStages, bigMB int) (dir string, reg *Registry) {
	dir = b.TempDir()
	var y strings.Builder
	y.WriteString("outdir: out\nstages:\n")
	for i := range 5 {
		size := 4 << 10
		if i == 0 {
			size = bigMB << 20
		}
		p := filepath.Join(dir, "data", fmt.Sprintf("raw%d.bin", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, bytes.Repeat([]byte{byte(i)}, size), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := range nStages {
		fmt.Fprintf(&y, "  s%d:\n    kind: blob\n", i)
		if i == 0 {
			fmt.Fprintf(&y, "    params: {size: %d}\n", bigMB<<20)
		}
		y.WriteString("    inputs:\n")
		switch i {
		case 0:
			for j := range 5 {
				fmt.Fprintf(&y, "      r%d: data/raw%d.bin\n", j, j)
			}
		case 1:
			y.WriteString("      a: s0.o1\n")
		default:
			fmt.Fprintf(&y, "      a: s%d.o1\n      b: s%d.o2\n      c: s%d.o3\n", i-1, i-2, i-2)
		}
		fmt.Fprintf(&y, "    outputs: {o1: s%d/o1.bin, o2: s%d/o2.bin, o3: s%d/o3.bin}\n", i, i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(y.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	reg, err := NewRegistry(blobKind)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := (&Runner{Pipeline: p}).Run(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	return dir, reg
}

// BenchmarkNoopStatus measures what `hw1pipe status` does on an up-to-date
// pipeline of hw1pipe's size: load and validate pipeline.yaml, read the
// lock and hash cache, and check every stage (about 50 files, 20 MB).
func BenchmarkNoopStatus(b *testing.B) {
	dir, reg := benchPipeline(b, 15, 4)
	b.ResetTimer()
	for b.Loop() {
		p, err := Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
		if err != nil {
			b.Fatal(err)
		}
		st, err := p.Status(nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range st {
			if !s.Fresh {
				b.Fatalf("%s stale: %v", s.Stage.Name, s.Reasons)
			}
		}
	}
}
