// Package hostile generates files a hostile user could hand to
// `hw1pipe inspect` or `hw1pipe verify`: pickles whose lengths lie or
// whose objects nest a million deep, torch archives with impossible
// storages, zip bombs, truncations, a FIFO, a symlink to /dev/zero, a
// directory. The files are made by code, not committed: Write puts the
// corpus in a folder; its test runs the real binary on each file under a
// memory limit, and the fuzz targets of the readers take the small ones as
// seeds (Seeds).
package hostile

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"hw1pipe/artifacts/pickle"
	"hw1pipe/artifacts/torchsave"
)

// Kind is what a case's file is.
type Kind int

const (
	Regular Kind = iota // Data written to a regular file
	FIFO                // a named pipe
	DevZero             // a symlink to /dev/zero
	Dir                 // a directory
)

// Case is one hostile file.
type Case struct {
	Name string
	// Path is where the file goes in a submission folder, e.g.
	// "problem3/self_NN_training_loss.pkl"; inspect gets the same file.
	Path string
	Kind Kind
	// Data is the content of a Regular file (built by data when large).
	Data []byte
	data func() []byte
	// Big marks a case too large to be a fuzz seed (a fuzzer mutating
	// megabytes runs a few inputs a second).
	Big bool
	// Beside are other files of the submission folder, by path; a nil
	// content makes a symlink to /dev/zero.
	Beside map[string][]byte
	// Describable marks a well-formed file that `inspect` may describe
	// (exit 0): inspect shows what a file holds, even a hostile one; verify
	// must still fail it.
	Describable bool
}

// Bytes returns a Regular case's content.
func (c *Case) Bytes() []byte {
	if c.Data == nil && c.data != nil {
		c.Data = c.data()
	}
	return c.Data
}

const (
	curve  = "problem3/self_NN_training_loss.pkl"
	svm    = "problem1/grid_search_svm.pkl"
	pth    = "problem3/pytorch_nn_weights.pth"
	h5path = "problem3/linear.h5"
	zip3   = "problem3.zip"
)

// Canary is the file name the code-execution cases try to create (in the
// current directory); it must never appear.
const Canary = "HOSTILE_CANARY"

func u64(n uint64) []byte { return binary.LittleEndian.AppendUint64(nil, n) }
func u32(n uint32) []byte { return binary.LittleEndian.AppendUint32(nil, n) }

func cat(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch x := p.(type) {
		case string:
			b = append(b, x...)
		case []byte:
			b = append(b, x...)
		case byte:
			b = append(b, x)
		}
	}
	return b
}

// floatList is a valid protocol-4 pickle of n floats.
func floatList(n int) []byte {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1 / float64(i+1)
	}
	b, err := pickle.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// ValidTorch is a valid torch.save archive of the hw1 state_dict.
func ValidTorch() []byte {
	var buf bytes.Buffer
	w := torchsave.NewWriter(&buf)
	if err := w.Add("fc1.weight", []int{10, 784}, make([]float32, 7840)); err != nil {
		panic(err)
	}
	if err := w.Add("fc1.bias", []int{10}, make([]float32, 10)); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// torchPickle is a protocol-2 data.pkl like torch.save's for one tensor
// "fc1.weight" whose storage has numel elements (a LONG1 of 8 bytes, so
// any int64), with the given offset, size and stride.
func torchPickle(numel int64, offset int, size, stride [2]int) []byte {
	i32 := func(n int) []byte { return cat("J", u32(uint32(int32(n)))) }
	return cat("\x80\x02", "ccollections\nOrderedDict\n)R",
		"X", u32(10), "fc1.weight",
		"ctorch._utils\n_rebuild_tensor_v2\n(",
		"(X", u32(7), "storage", "ctorch\nFloatStorage\n", "X", u32(1), "0", "X", u32(3), "cpu",
		"\x8a\x08", u64(uint64(numel)), "tQ",
		i32(offset), i32(size[0]), i32(size[1]), "\x86", i32(stride[0]), i32(stride[1]), "\x86",
		"\x89ccollections\nOrderedDict\n)R", "tR", "s.")
}

// torchZip is an archive/data.pkl plus archive/data/0 of dataLen bytes.
func torchZip(pkl []byte, dataLen int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, r := range []struct {
		name string
		b    []byte
	}{{"archive/data.pkl", pkl}, {"archive/data/0", make([]byte, dataLen)}, {"archive/version", []byte("3\n")}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: r.name, Method: zip.Store})
		if err != nil {
			panic(err)
		}
		w.Write(r.b)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// bomb is a zip whose entries, named as the deliverables, each inflate
// to 1 GiB of zeros from about 1 MB. A claim other than 0 is put in the
// headers as the uncompressed size instead of the truth.
func bomb(claim uint64, names ...string) []byte {
	const size = 1 << 30
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	zero := make([]byte, 1<<20)
	for range size / len(zero) {
		fw.Write(zero)
	}
	fw.Close()
	crc := crcZeros(size)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: n, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: cmp.Or(claim, size)})
		if err != nil {
			panic(err)
		}
		w.Write(comp.Bytes())
	}
	zw.Close()
	return buf.Bytes()
}

// storedZip is a zip of one stored (uncompressed) entry.
func storedZip(name string, b []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err != nil {
		panic(err)
	}
	w.Write(b)
	zw.Close()
	return buf.Bytes()
}

// torchBomb is a .pth whose storage record inflates to 1 GiB.
func torchBomb() []byte {
	b := bomb(0, "archive/data/0")
	// Rebuild with data.pkl first: copy the raw bomb entry across.
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/data.pkl", Method: zip.Store})
	w.Write(torchPickle(1<<28, 0, [2]int{10, 784}, [2]int{784, 1}))
	if err := zw.Copy(zr.File[0]); err != nil {
		panic(err)
	}
	zw.Close()
	return buf.Bytes()
}

func crcZeros(n int) uint32 {
	h := crc32.NewIEEE()
	zero := make([]byte, 1<<20)
	for range n / len(zero) {
		h.Write(zero)
	}
	return h.Sum32()
}

// objectArrayCycle is CPython's pickle.dumps of a numpy object array
// holding itself (a = np.empty(1, object); a[0] = a), numpy 1.24.
var objectArrayCycle = []byte("\x80\x04\x95\x8a\x00\x00\x00\x00\x00\x00\x00\x8c\x15numpy.core.multiarray\x94\x8c\x0c_reconstruct\x94\x93\x94\x8c\x05numpy\x94\x8c\x07ndarray\x94\x93\x94K\x00\x85\x94C\x01b\x94\x87\x94R\x94(K\x01K\x01\x85\x94h\x03\x8c\x05dtype\x94\x93\x94\x8c\x02O8\x94\x89\x88\x87\x94R\x94(K\x03\x8c\x01|\x94NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK?t\x94b\x89]\x94h\tat\x94b.")

func npyFile(header string, data []byte) []byte {
	h := header
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	return cat("\x93NUMPY\x01\x00", []byte{byte(len(h)), byte(len(h) >> 8)}, h, data)
}

// Cases returns the corpus. Large contents are built on first Bytes call.
func Cases() []*Case {
	valid := floatList(10000)
	pthOK := ValidTorch()
	reg := func(name, path string, b []byte) *Case { return &Case{Name: name, Path: path, Data: b} }
	big := func(name, path string, f func() []byte) *Case {
		return &Case{Name: name, Path: path, data: f, Big: true}
	}
	describable := func(c *Case) *Case { c.Describable = true; return c }
	repeat := func(op string, n int) func() []byte {
		return func() []byte { return cat("\x80\x04", strings.Repeat(op, n), ".") }
	}
	svcWith := func(gamma string) []byte {
		return cat("\x80\x04", "csklearn.svm._classes\nSVC\n)\x81}(",
			"X", u32(6), "kernel", "X", u32(3), "rbf", "X", u32(6), "_gamma", gamma, "ub.")
	}
	cs := []*Case{
		// finding 6: lengths that lie
		reg("pickle-binbytes8-1TB", curve, cat("\x80\x04\x8e", u64(1<<40), ".")),
		reg("pickle-binbytes8-negative", curve, cat("\x80\x04\x8e", u64(1<<63+5), ".")),
		reg("pickle-binunicode8-huge", curve, cat("\x80\x04\x8d", u64(1<<62), ".")),
		reg("pickle-bytearray8-huge", curve, cat("\x80\x05\x96", u64(1<<50), ".")),
		reg("pickle-frame-huge", curve, cat("\x80\x04\x95", u64(1<<62), "N.")),
		reg("pickle-frame-negative", curve, cat("\x80\x04\x95", u64(^uint64(0)), "N.")),
		reg("pickle-binstring-negative", curve, cat("\x80\x02T", u32(0xffffffff), ".")),
		reg("pickle-binunicode-4GB", curve, cat("\x80\x02X", u32(0xfffffff0), "x.")),
		reg("pickle-long4-negative", curve, cat("\x80\x02\x8b", u32(0x80000000), ".")),
		big("pickle-long4-4MB", curve, func() []byte {
			return cat("\x80\x02\x8b", u32(4<<20), bytes.Repeat([]byte{0x7f}, 4<<20), ".")
		}),
		big("pickle-long-text-1M-digits", curve, func() []byte { return cat("\x80\x02L", strings.Repeat("9", 1<<20), "L\n.") }),
		reg("pickle-long4-8KB", curve, cat("\x80\x02\x8b", u32(8<<10), bytes.Repeat([]byte{0x7f}, 8<<10), ".")),
		// truncations and garbage
		reg("pickle-empty", curve, []byte{}),
		reg("pickle-proto-only", curve, []byte("\x80\x04")),
		reg("pickle-truncated-half", curve, valid[:len(valid)/2]),
		reg("pickle-truncated-no-stop", curve, valid[:len(valid)-1]),
		reg("pickle-opcode-0xff", curve, []byte("\x80\x04\xff.")),
		reg("pickle-stack-underflow", curve, []byte("\x80\x04a.")),
		reg("pickle-ordereddict-unhashable-key", curve, cat("\x80\x02ccollections\nOrderedDict\n)R", "C\x01xK\x01s.")),
		reg("pickle-set-of-lists", curve, []byte("\x80\x04\x8f(]\x90.")),
		// nesting and cycles
		big("pickle-nested-1M-deep", curve, func() []byte {
			return cat("\x80\x04", strings.Repeat("]", 1<<20), strings.Repeat("a", 1<<20-1), ".")
		}),
		big("pickle-nested-memo-chain", curve, func() []byte {
			var b bytes.Buffer
			b.WriteString("\x80\x04]r")
			b.Write(u32(0))
			for i := 1; i < 300000; i++ {
				b.WriteString("]j")
				b.Write(u32(uint32(i - 1)))
				b.WriteString("ar")
				b.Write(u32(uint32(i)))
				b.WriteString("0")
			}
			b.WriteString("j")
			b.Write(u32(299999))
			b.WriteString(".")
			return b.Bytes()
		}),
		describable(reg("pickle-list-holds-itself", curve, []byte("\x80\x04]\x94h\x00a."))),
		describable(reg("pickle-list-tuple-cycle", curve, []byte("\x80\x02]q\x00h\x00\x85a."))),
		describable(reg("pickle-object-array-holds-itself", svm, objectArrayCycle)),
		describable(reg("pickle-svc-gamma-cycle", svm, svcWith("]q\x00h\x00\x85a"))),
		reg("pickle-svc-gamma-tuple-cycle", svm, svcWith("]q\x00h\x00\x85q\x01ah\x01")),
		// repeated opcodes: objects by the million
		big("pickle-50MB-empty-dicts", curve, repeat("}", 50<<20)),
		big("pickle-16MB-marks", curve, repeat("(", 16<<20)),
		big("pickle-32MB-dup", curve, func() []byte { return cat("\x80\x04N", strings.Repeat("2", 32<<20), ".") }),
		big("pickle-32MB-memoize", curve, func() []byte { return cat("\x80\x04N", strings.Repeat("\x94", 32<<20), ".") }),
		// code execution attempts: never run by the Go reader
		describable(reg("pickle-posix-system", curve, cat("\x80\x02cposix\nsystem\nX", u32(uint32(len("touch "+Canary))), "touch "+Canary, "\x85R."))),
		describable(reg("pickle-builtins-eval-in-list", curve, cat("\x80\x02]cbuiltins\neval\nX", u32(uint32(len("open('"+Canary+"','w')"))), "open('"+Canary+"','w')", "\x85Ra."))),
		// torch archives
		reg("pth-truncated", pth, pthOK[:len(pthOK)/2]),
		reg("pth-truncated-central-directory", pth, pthOK[:len(pthOK)-10]),
		reg("pth-garbage-after-magic", pth, cat("PK\x03\x04", bytes.Repeat([]byte{0xa5}, 1000))),
		reg("pth-storage-numel-negative", pth, torchZip(torchPickle(-1, 0, [2]int{10, 784}, [2]int{784, 1}), 31360)),
		reg("pth-storage-numel-1T", pth, torchZip(torchPickle(1<<40, 0, [2]int{10, 784}, [2]int{784, 1}), 31360)),
		reg("pth-storage-numel-overflow", pth, torchZip(torchPickle(1<<62, 0, [2]int{10, 784}, [2]int{784, 1}), 31360)),
		reg("pth-storage-numel-vs-record", pth, torchZip(torchPickle(1<<24, 0, [2]int{10, 784}, [2]int{784, 1}), 31360)),
		reg("pth-view-outside-storage", pth, torchZip(torchPickle(7840, 0, [2]int{10, 784}, [2]int{1 << 30, 1}), 31360)),
		reg("pth-negative-stride", pth, torchZip(torchPickle(7840, 0, [2]int{10, 784}, [2]int{-784, 1}), 31360)),
		reg("pth-data-pkl-binbytes8-1TB", pth, torchZip(cat("\x80\x04\x8e", u64(1<<40), "."), 0)),
		reg("pth-data-pkl-nested", pth, torchZip(cat("\x80\x04", strings.Repeat("]", 100000), strings.Repeat("a", 99999), "."), 0)),
		big("pth-zip-bomb-storage", pth, torchBomb),
		// zips
		{Name: "zip-bomb-problem3", Path: zip3, Big: true, data: func() []byte {
			return bomb(0, "linear.h5", "pytorch_nn_weights.pth", "self_NN_training_loss.pkl", "self_NN_training_error.pkl")
		}, Beside: map[string][]byte{"problem3/linear.h5": make([]byte, 10), "problem3/pytorch_nn_weights.pth": make([]byte, 10),
			"problem3/self_NN_training_loss.pkl": make([]byte, 10), "problem3/self_NN_training_error.pkl": make([]byte, 10)}},
		// a zip entry whose counterpart in problem3/ is a symlink to /dev/zero
		{Name: "zip-counterpart-devzero", Path: zip3, Data: storedZip("linear.h5", make([]byte, 10)),
			Beside: map[string][]byte{"problem3/linear.h5": nil}},
		{Name: "zip-bomb-lying-sizes-problem3", Path: zip3, Big: true, data: func() []byte {
			return bomb(10, "linear.h5", "pytorch_nn_weights.pth")
		}, Beside: map[string][]byte{"problem3/linear.h5": make([]byte, 10), "problem3/pytorch_nn_weights.pth": make([]byte, 10)}},
		reg("zip-truncated-problem3", zip3, pthOK[:100]),
		// npy (inspect only; verify takes no .npy)
		reg("npy-shape-1T-elements", "x.npy", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }", nil)),
		reg("npy-shape-overflow", "x.npy", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }", nil)),
		reg("npy-header-len-4GB", "x.npy", cat("\x93NUMPY\x02\x00", u32(0xffffffff), "{")),
		reg("npy-truncated-data", "x.npy", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1000,), }", make([]byte, 80))),
		reg("npy-nested-header", "x.npy", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': "+strings.Repeat("(", 500)+", }", nil)),
		// HDF5
		reg("h5-garbage-after-signature", h5path, cat("\x89HDF\r\n\x1a\n", bytes.Repeat([]byte("\xde\xad\xbe\xef"), 256))),
		reg("h5-signature-only", h5path, []byte("\x89HDF\r\n\x1a\n")),
		reg("h5-superblock-huge-eof", h5path, cat("\x89HDF\r\n\x1a\n\x00\x00\x00\x00\x00\x08\x08\x00\x04\x00\x10\x00\x00\x00\x00\x00",
			u64(0), u64(^uint64(0)), u64(^uint64(0)>>1), u64(^uint64(0)), bytes.Repeat([]byte{0xff}, 200))),
		// not regular files
		{Name: "fifo-curve", Path: curve, Kind: FIFO},
		{Name: "fifo-zip", Path: zip3, Kind: FIFO},
		{Name: "devzero-h5", Path: h5path, Kind: DevZero},
		{Name: "devzero-pkl", Path: curve, Kind: DevZero},
		{Name: "devzero-zip", Path: zip3, Kind: DevZero},
		{Name: "directory-pkl", Path: curve, Kind: Dir},
	}
	return cs
}

// Make creates c's file at path (whose folder must exist).
func (c *Case) Make(path string) error {
	switch c.Kind {
	case FIFO:
		return syscall.Mkfifo(path, 0o644)
	case DevZero:
		return os.Symlink("/dev/zero", path)
	case Dir:
		return os.Mkdir(path, 0o755)
	}
	return os.WriteFile(path, c.Bytes(), 0o644)
}

// Write makes every case under dir as dir/<name>/<path> and returns the
// cases.
func Write(dir string) ([]*Case, error) {
	cs := Cases()
	for _, c := range cs {
		p := filepath.Join(dir, c.Name, filepath.FromSlash(c.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := c.Make(p); err != nil {
			return nil, fmt.Errorf("hostile: %s: %w", c.Name, err)
		}
		for rel, b := range c.Beside {
			q := filepath.Join(dir, c.Name, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(q), 0o755); err != nil {
				return nil, err
			}
			var err error
			if b == nil {
				err = os.Symlink("/dev/zero", q)
			} else {
				err = os.WriteFile(q, b, 0o644)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return cs, nil
}

// Seeds returns the contents of the small regular cases whose path ends
// in ext (".pkl", ".pth", ".zip", ".npy", ".h5"), for fuzz corpora.
func Seeds(ext string) [][]byte {
	var out [][]byte
	for _, c := range Cases() {
		if c.Kind == Regular && !c.Big && strings.HasSuffix(c.Path, ext) {
			out = append(out, c.Bytes())
		}
	}
	return out
}
