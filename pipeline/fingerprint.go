package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
)

// fingerprint is what a stage would record if it ran now, and why it
// differs from its lock entry.
type fingerprint struct {
	inputs  map[string]FileHash
	reasons []string
}

// checker compares stages against their lock entries.
type checker struct {
	lock *lockFile
	hc   *HashCache
}

// check fingerprints s. Inputs produced by a stage in pending are not
// hashed (they are about to change, or may not exist yet); every other
// input must hash, or check returns the error. Outputs are hashed against
// the lock entry: missing or modified ones make the stage stale.
func (c *checker) check(s *Stage, pending map[*Stage]bool) (*fingerprint, error) {
	fp := &fingerprint{inputs: make(map[string]FileHash, len(s.Inputs))}
	e := c.lock.entry(s.Name)
	for _, in := range s.Inputs {
		if in.From != nil && pending[in.From] {
			continue
		}
		sum, err := c.hc.Sum(in.Path)
		if err != nil {
			return nil, fmt.Errorf("hash input %q: %w", in.Key, err)
		}
		fp.inputs[in.Key] = FileHash{Path: in.Ref, SHA256: sum}
	}
	if e == nil {
		fp.reasons = []string{"never run"}
		return fp, nil
	}
	if e.Kind != s.Kind.Name {
		fp.add("kind changed (%s -> %s)", e.Kind, s.Kind.Name)
	} else if e.KindVersion != s.Kind.Version {
		fp.add("kind version changed (%s -> %s)", e.KindVersion, s.Kind.Version)
	}
	fp.reasons = append(fp.reasons, s.Canon.diff(e.Params)...)
	for _, in := range s.Inputs {
		got, hashed := fp.inputs[in.Key]
		old, had := e.Inputs[in.Key]
		switch {
		case !had:
			fp.add("input %s added", in.Key)
		case hashed && got.SHA256 != old.SHA256:
			fp.add("input %s changed", in.Key)
		}
	}
	for _, k := range sortedKeys(e.Inputs) {
		if !slices.ContainsFunc(s.Inputs, func(in Input) bool { return in.Key == k }) {
			fp.add("input %s removed", k)
		}
	}
	for _, o := range s.Outputs {
		old, had := e.Outputs[o.Key]
		sum, err := c.hc.Sum(o.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fp.add("output %s missing", o.Key)
		case err != nil:
			return nil, fmt.Errorf("hash output %q: %w", o.Key, err)
		case !had:
			fp.add("output %s not in lock", o.Key)
		case sum != old.SHA256:
			fp.add("output %s modified", o.Key)
		}
	}
	return fp, nil
}

func (fp *fingerprint) add(format string, args ...any) {
	fp.reasons = append(fp.reasons, fmt.Sprintf(format, args...))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
