package stages

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/artifacts/npy"
	"hw1pipe/internal/atomicfile"
)

// readDense reads a 2-D float64 .npy file (n×d) into a matrix that owns the
// file's data.
func readDense(path string) (*mat.Dense, error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, err // names the path
	}
	v, err := a.Float64s()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(a.Shape) != 2 || a.Shape[0] == 0 || a.Shape[1] == 0 {
		return nil, fmt.Errorf("read %s: want a non-empty 2-D array, got shape %v", path, a.Shape)
	}
	return mat.NewDense(a.Shape[0], a.Shape[1], v), nil
}

// readLabels reads a 1-D int64 .npy file.
func readLabels(path string) ([]int64, error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := a.Int64s()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("read %s: want a 1-D array, got shape %v", path, a.Shape)
	}
	return v, nil
}

// readXY reads a feature matrix and its labels and checks that they match.
func readXY(xPath, yPath string) (*mat.Dense, []int64, error) {
	x, err := readDense(xPath)
	if err != nil {
		return nil, nil, err
	}
	y, err := readLabels(yPath)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := x.Dims(); n != len(y) {
		return nil, nil, fmt.Errorf("%s has %d rows but %s has %d labels", xPath, n, yPath, len(y))
	}
	return x, y, nil
}

// writeAtomic writes path through fill into a temporary file in the same
// directory and renames it over path only when fill and Close succeed, so
// path never holds a partial file.
func writeAtomic(path string, fill func(w io.Writer) error) error {
	return atomicfile.Write(path, fill)
}

// writeJSON writes v as indented JSON with a final newline. encoding/json
// sorts map keys and keeps struct field order, so the same value always
// gives the same bytes.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	b = append(b, '\n')
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// pngWriter is what every figures value offers.
type pngWriter interface{ WritePNG(w io.Writer) error }

// writePNG renders fig to path.
func writePNG(path string, fig pngWriter) error {
	return writeAtomic(path, fig.WritePNG)
}

// pngFile is one figure to render to a path.
type pngFile struct {
	path string
	fig  pngWriter
}

// writePNGs renders the figures concurrently (each is independent, and
// rasterising a 10,000-point curve takes a core for a few hundred
// milliseconds) and returns the first error in argument order.
func writePNGs(files ...pngFile) error {
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = writePNG(f.path, f.fig)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeText writes s to path.
func writeText(path, s string) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	})
}

// readJSON decodes the JSON file at path into v, naming the file on error.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
