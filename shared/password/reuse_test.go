package password

import (
	"runtime"
	"testing"
)

// Two hashes in a row must run in the same memory: the second reuses the
// first one's working memory (pooled by internal/argon2, outside the Go
// heap; its TestConsecutiveIDKeysReuseMemory counts the memories taken at
// these costs) rather than taking another 19 MiB of fresh pages, which is
// what makes a cold function's hash slow; nor may a block stay on the heap.
func TestConsecutiveHashesReuseMemory(t *testing.T) {
	h := NewHasher(OWASP)
	block := uint64(OWASP.MemoryKiB) * 1024
	hash, err := h.Hash("first-password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Verify("first-password", hash); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Hash("second-password"); err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.HeapAlloc >= block {
		t.Errorf("%d MiB allocated on the heap after the hashes returned; want the %d MiB block outside it", after.HeapAlloc>>20, block>>20)
	}
}
