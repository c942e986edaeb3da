package hugepages

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

func TestMake(t *testing.T) {
	for _, n := range []int{0, 1, 1000, threshold/8 - 1, threshold / 8, 3 << 20} {
		s := Make[float64](n)
		if len(s) != n || cap(s) != n {
			t.Fatalf("Make(%d): len %d cap %d", n, len(s), cap(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Make(%d)[%d] = %v, want 0", n, i, v)
			}
		}
		for i := range s {
			s[i] = float64(i)
		}
	}
	// Advice on slices too small for one page, or not page-aligned, is
	// no advice at all and no error.
	b := make([]byte, 10000)
	Advise(b[1:4000])
	Advise(b[3:])
	Advise(nil)
}

// TestHugePagesTaken reports whether this machine backed a large slice
// with huge pages; it only logs, since that is the kernel's choice.
func TestHugePagesTaken(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		t.Skip("no transparent huge pages here:", err)
	}
	s := Make[byte](32 << 20)
	for i := 0; i < len(s); i += 4096 {
		s[i] = 1
	}
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "AnonHugePages:") {
			t.Logf("THP %s; the VMA holding a 32 MB slice has %s", strings.TrimSpace(string(mode)), strings.TrimSpace(strings.TrimPrefix(line, "AnonHugePages:")))
			return
		}
	}
	t.Log("the slice's mapping was not found in /proc/self/smaps")
}
