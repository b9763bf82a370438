package password

import (
	"runtime"
	"testing"
)

// Two hashes in a row must run in the same memory: the second reuses the
// first one's block (pooled by internal/argon2, outside the Go heap) rather
// than growing the heap by another 19 MiB (fresh pages are what makes a cold
// function's hash slow); nor may a block stay allocated on the heap.
func TestConsecutiveHashesReuseMemory(t *testing.T) {
	h := NewHasher(OWASP)
	block := uint64(OWASP.MemoryKiB) * 1024
	hash, err := h.Hash("first-password")
	if err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := h.Verify("first-password", hash); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Hash("second-password"); err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// The heap's size is checked without the race detector only (make test
	// runs this test a second time without it). Signed: the heap may also
	// shrink (the runtime returns memory it no longer needs), which is fine.
	if grown := int64(after.HeapSys) - int64(before.HeapSys); !raceEnabled && grown >= int64(block/2) {
		t.Errorf("heap grew by %d MiB over two more hashes of %d MiB: their memory was not reused", grown>>20, block>>20)
	}
	if after.HeapAlloc >= block {
		t.Errorf("%d MiB still allocated after the hashes returned; want the %d MiB block collected", after.HeapAlloc>>20, block>>20)
	}
}
