package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Doc is a type that is the whole content of one results file.
type Doc interface {
	Split | SVCMetrics | Confusion | Grid | GaborFeatures | GaborSVM | Subsets | GradCheck | Curves
}

// Marshal encodes v as Write writes it: indented by two spaces, with a
// final newline.
func Marshal[T Doc](v *T) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Unmarshal decodes one document strictly: unknown keys and trailing
// data are errors.
func Unmarshal[T Doc](b []byte) (*T, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	v := new(T)
	if err := d.Decode(v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON document")
	}
	return v, nil
}

// Read reads the document at path; errors name the file.
func Read[T Doc](path string) (*T, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := Unmarshal[T](b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return v, nil
}
