package argon2

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	upstream "golang.org/x/crypto/argon2"
)

// The pooled memory must not change a single key: every mode, across
// parameters that reuse memory of other sizes, against the upstream package.
func TestSameKeysAsUpstream(t *testing.T) {
	cases := []struct {
		time, memory uint32
		threads      uint8
	}{
		{1, 64, 1}, {2, 19 * 1024, 1}, {3, 32, 4}, {1, 8 * 1024, 2}, {2, 19 * 1024, 1}, {4, 1024, 3}, {1, 64, 1},
	}
	for i, c := range cases {
		pw, salt := []byte(fmt.Sprintf("password %d", i)), []byte(fmt.Sprintf("salt of case %d", i))
		if got, want := IDKey(pw, salt, c.time, c.memory, c.threads, 32), upstream.IDKey(pw, salt, c.time, c.memory, c.threads, 32); !bytes.Equal(got, want) {
			t.Errorf("IDKey %+v = %x, upstream %x", c, got, want)
		}
		if got, want := Key(pw, salt, c.time, c.memory, c.threads, 48), upstream.Key(pw, salt, c.time, c.memory, c.threads, 48); !bytes.Equal(got, want) {
			t.Errorf("Key %+v = %x, upstream %x", c, got, want)
		}
	}
}

// Hashes at the same time each get their own memory.
func TestConcurrentKeys(t *testing.T) {
	want := make([][]byte, 8)
	for i := range want {
		want[i] = upstream.IDKey([]byte{byte(i)}, []byte("concurrent salt"), 1, 4*1024, 1, 32)
	}
	var wg sync.WaitGroup
	for round := 0; round < 3; round++ {
		for i := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := IDKey([]byte{byte(i)}, []byte("concurrent salt"), 1, 4*1024, 1, 32); !bytes.Equal(got, want[i]) {
					t.Errorf("key %d = %x, want %x", i, got, want[i])
				}
			}()
		}
		wg.Wait()
	}
	pool.Lock()
	defer pool.Unlock()
	if len(pool.free) > keepFree {
		t.Errorf("after the hashes: %d memories kept; want at most %d", len(pool.free), keepFree)
	}
}

// Consecutive hashes run in the same memory, which comes back zeroed (no
// password-derived values left behind).
func TestMemoryReusedAndWiped(t *testing.T) {
	const n = 19 * 1024
	m := getMemory(n)
	first := &m.blocks[0]
	for i := range m.blocks[:n] {
		m.blocks[i][0], m.blocks[i][blockLength-1] = 1, 2
	}
	putMemory(m, n)
	before := newMemories.Load()
	m = getMemory(n)
	defer putMemory(m, n)
	if newMemories.Load() != before || &m.blocks[0] != first {
		t.Fatal("second getMemory took new memory; want the memory the first one released")
	}
	for i := range m.blocks {
		if m.blocks[i] != (block{}) {
			t.Fatalf("block %d of reused memory is not zero", i)
		}
	}
}

// Small hashes do not push the OWASP-sized memory out of the pool (the
// smallest memory goes when the pool is full), and memory above maxPooled
// is given back rather than kept.
func TestPoolKeepsTheLargerMemories(t *testing.T) {
	const n = 19 * 1024
	pool.Lock()
	for _, m := range pool.free {
		release(m)
	}
	pool.free = nil
	pool.Unlock()

	// Three at once, the large one released first: the pool is then over
	// its size with the large memory the oldest.
	large, small1, small2 := getMemory(n), getMemory(minPooled), getMemory(minPooled)
	putMemory(large, n)
	putMemory(small1, minPooled)
	putMemory(small2, minPooled)
	before := newMemories.Load()
	putMemory(getMemory(n), n)
	if got := newMemories.Load() - before; got != 0 {
		t.Errorf("%d new memories for a hash the pool could serve; want 0 (the large memory kept)", got)
	}
	putMemory(getMemory(maxPooled+1), maxPooled+1)
	pool.Lock()
	defer pool.Unlock()
	for _, m := range pool.free {
		if len(m.blocks) > maxPooled {
			t.Errorf("the pool kept a memory of %d blocks; want at most %d", len(m.blocks), maxPooled)
		}
	}
	if len(pool.free) > keepFree {
		t.Errorf("the pool keeps %d memories; want at most %d", len(pool.free), keepFree)
	}
}

// Consecutive hashes at password.OWASP's costs (19 MiB, t=2, p=1) run in
// the same memory: after the first, two more take no new working memory.
// (shared/password's TestConsecutiveHashesReuseMemory checks the hasher
// leaves no block on the heap.)
func TestConsecutiveIDKeysReuseMemory(t *testing.T) {
	const memoryKiB, time, threads, keyLen = 19 * 1024, 2, 1, 32
	salt := []byte("0123456789abcdef")
	first := IDKey([]byte("first-password"), salt, time, memoryKiB, threads, keyLen)
	before := newMemories.Load()
	if again := IDKey([]byte("first-password"), salt, time, memoryKiB, threads, keyLen); !bytes.Equal(again, first) {
		t.Fatal("the same password and salt gave another key")
	}
	IDKey([]byte("second-password"), salt, time, memoryKiB, threads, keyLen)
	if got := newMemories.Load() - before; got != 0 {
		t.Errorf("two more hashes took %d new working memories; want them to reuse the first one's", got)
	}
}
