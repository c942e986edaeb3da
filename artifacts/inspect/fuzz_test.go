package inspect

import (
	"bytes"
	"testing"

	"hw1pipe/golden/hostile"
)

// FuzzReadTorch feeds arbitrary bytes to the torch.save reader (zip
// directory, records, data.pkl, storages, tensor views): any input must
// give a value or an error, never a panic or an allocation the input does
// not justify. Seeds: the hostile corpus (golden/hostile) and a valid archive.
func FuzzReadTorch(f *testing.F) {
	for _, ext := range []string{".pth", ".zip"} {
		for _, b := range hostile.Seeds(ext) {
			f.Add(b)
		}
	}
	f.Add(hostile.ValidTorch())
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadTorch(bytes.NewReader(data), int64(len(data)))
	})
}
