package mnist_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"hw1pipe/mnist"
)

func ExampleDecodeLabels() {
	// An IDX1 label file: magic 0x00000801, count 3, then one byte per label.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte{0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4})
	zw.Close()

	labels, err := mnist.DecodeLabels("labels.gz", buf.Bytes())
	fmt.Println(labels, err)
	// Output: [5 0 4] <nil>
}

// corruptMirror serves the wrong bytes for every file (md5sum of "not mnist"
// is 19dc5a72...).
type corruptMirror struct{}

func (corruptMirror) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("not mnist")), nil
}

func (corruptMirror) String() string { return "mirror example" }

func ExampleLoader_Load() {
	l := &mnist.Loader{Sources: []mnist.Source{corruptMirror{}}}
	_, err := l.Load(context.Background())
	var ce *mnist.ChecksumError
	if errors.As(err, &ce) {
		fmt.Println("refused", ce.File, "from", ce.Source)
		fmt.Println("want", ce.Want, "got", ce.Got)
	}
	// Output:
	// refused train-images-idx3-ubyte.gz from mirror example
	// want f68b3c2dcbeaaa9fbdd348bbdeb94873 got 19dc5a72fa1f08e2123d7984e7ff67de
}
