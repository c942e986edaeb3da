package pdfdate

import (
	"bytes"
	"testing"
)

func TestFix(t *testing.T) {
	in := []byte("1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20261207075222+00'00')\n/ModDate (D:20261207075223+00'00')>>\nendobj\n<< /ModDate (D:20250101010101) >>")
	want := []byte("1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:19800101000000+00'00')\n/ModDate (D:19800101000000+00'00')>>\nendobj\n<< /ModDate (D:19800101000000) >>")
	got, n := Fix(bytes.Clone(in))
	if n != 3 || !bytes.Equal(got, want) {
		t.Fatalf("Fix: %d replaced, got\n%s", n, got)
	}
	if len(got) != len(in) {
		t.Fatal("length changed: xref offsets would break")
	}
	// A document without dates is left alone.
	plain := []byte("%PDF-1.4\n<< /Title (D:20261207075222) >>")
	if got, n := Fix(bytes.Clone(plain)); n != 0 || !bytes.Equal(got, plain) {
		t.Fatalf("changed a non-date: %q", got)
	}
}
