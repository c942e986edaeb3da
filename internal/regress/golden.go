package regress

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Golden is what one run wrote: per stage name, its outputs.
type Golden struct {
	// Config names the configuration the run used, for the reader.
	Config string `json:"config"`
	// Stages maps stage names to what they wrote.
	Stages map[string]*Stage `json:"stages"`
}

// Stage is one stage's outputs, keyed by output key.
type Stage struct {
	Kind  string           `json:"kind"`
	Files map[string]*File `json:"files"`
}

// File is one output file.
type File struct {
	// Path is the output's path under the outdir.
	Path string `json:"path"`
	// SHA256 is the hex sha256 of the content after Mask.
	SHA256 string `json:"sha256"`
	// Masked counts the wall-clock values Mask replaced.
	Masked int `json:"masked,omitempty"`
	// Values maps names to float64, string or bool values taken from the
	// content (see the package comment).
	Values map[string]any `json:"values,omitempty"`
}

// Encode writes g as indented JSON with sorted keys and a final newline:
// the same Golden always gives the same bytes.
func Encode(w io.Writer, g *Golden) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		return fmt.Errorf("regress: encode golden: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Decode reads a golden written by Encode.
func Decode(r io.Reader) (*Golden, error) {
	var g Golden
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("regress: decode golden: %w", err)
	}
	if g.Stages == nil {
		g.Stages = map[string]*Stage{}
	}
	return &g, nil
}
