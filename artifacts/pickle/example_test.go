package pickle_test

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"hw1pipe/artifacts/pickle"
)

// The bytes Python's pickle.dumps([1.5, -2.0]) gives (docs/formats.md#float-list-deliverables).
func ExampleEncoder() {
	var buf bytes.Buffer
	if err := pickle.NewEncoder(&buf).Encode([]float64{1.5, -2.0}); err != nil {
		panic(err)
	}
	fmt.Println(hex.EncodeToString(buf.Bytes()))
	// Output: 80049517000000000000005d9428473ff800000000000047c000000000000000652e
}

// torch.save's restricted form: protocol 2, no memo.
func ExampleEncoder_SetProtocol() {
	var buf bytes.Buffer
	enc := pickle.NewEncoder(&buf)
	enc.SetProtocol(2)
	enc.SetMemo(false)
	if err := enc.Encode(pickle.NewOrderedDict("n", 1)); err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", buf.String())
	// Output: "\x80\x02ccollections\nOrderedDict\n)RX\x01\x00\x00\x00nK\x01s."
}
