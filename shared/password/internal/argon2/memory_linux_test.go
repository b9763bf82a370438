package argon2

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"unsafe"
)

// On Linux the memory is mapped aligned to huge pages and marked for them:
// /proc/self/smaps reports its mapping THP-eligible wherever the kernel has
// transparent huge pages at all.
func TestMemoryInHugePages(t *testing.T) {
	const n = 19 * 1024
	m := getMemory(n)
	defer putMemory(m, n)
	addr := uintptr(unsafe.Pointer(&m.blocks[0]))
	if addr%hugePage != 0 {
		t.Errorf("memory at %#x is not aligned to huge pages (%d bytes)", addr, hugePage)
	}
	thp, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(thp), "[never]") {
		t.Skipf("this kernel has no transparent huge pages (%q, %v): nothing more to check", thp, err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var inMapping, found bool
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		// A mapping starts with its address range ("lo-hi rw-p ..."); its
		// fields ("Size: ...") follow.
		if first, _, _ := strings.Cut(line, " "); !strings.HasSuffix(first, ":") {
			var lo, hi uintptr
			if _, err := fmt.Sscanf(first, "%x-%x", &lo, &hi); err == nil {
				inMapping = lo <= addr && addr < hi
			}
			continue
		}
		if inMapping && strings.HasPrefix(line, "THPeligible:") {
			found = true
			if strings.TrimSpace(strings.TrimPrefix(line, "THPeligible:")) != "1" {
				t.Errorf("the mapping of the memory is not eligible for huge pages: %q", line)
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Errorf("no THPeligible line for the mapping holding %#x in /proc/self/smaps", addr)
	}
}

// BenchmarkFirstTouch is the cost of a hash's first write to each page of
// fresh working memory (19 MiB), as in a new process: go-heap as
// golang.org/x/crypto/argon2 gets it (a make, its pages returned to the
// system before each round), mapped as newMemory maps it.
func BenchmarkFirstTouch(b *testing.B) {
	const n = 19 * 1024
	touch := func(blocks []block) {
		for i := range blocks {
			blocks[i][0] = 1
		}
	}
	b.Run("go-heap", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			debug.FreeOSMemory()
			b.StartTimer()
			touch(make([]block, n))
		}
	})
	b.Run("mapped", func(b *testing.B) {
		for b.Loop() {
			m := newMemory(n)
			touch(m.blocks[:n])
			b.StopTimer()
			m.free()
			b.StartTimer()
		}
	})
}
