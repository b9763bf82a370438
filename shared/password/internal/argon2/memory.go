package argon2

import (
	"slices"
	"sync"
	"sync/atomic"
)

// keepFree is how many released working memories the pool keeps for the
// next calls. A Lambda function hashes one request at a time and needs one;
// the dev server under load hashes a few at once. More memory than this is
// given back when released (the smallest first).
const keepFree = 2

// Only memories of minPooled to maxPooled blocks (1 KiB each) are pooled:
// smaller ones are cheap on the Go heap; larger ones (an imported hash of
// unusual cost) are given back at once rather than kept resident.
const (
	minPooled = 1024      // 1 MiB
	maxPooled = 64 * 1024 // 64 MiB
)

// memory is one hash's working memory: blocks (all of the memory; a hash
// may use fewer), all zero while it is in the pool, and how to give it back
// to the system (nil: the Go heap's).
type memory struct {
	blocks []block
	free   func()
}

var pool struct {
	sync.Mutex
	free []memory
}

// newMemories counts the working memories taken from the system (mapped,
// or made on the Go heap), for the tests of the reuse.
var newMemories atomic.Int64

// getMemory returns at least n zero blocks for one computation: the memory
// of an earlier one when the pool has a large enough one.
func getMemory(n uint32) memory {
	if n < minPooled {
		newMemories.Add(1)
		return memory{blocks: make([]block, n)}
	}
	pool.Lock()
	defer pool.Unlock()
	// The most recently released first: its pages are the likeliest to be
	// resident and in cache.
	for i := len(pool.free) - 1; i >= 0; i-- {
		if m := pool.free[i]; uint32(len(m.blocks)) >= n {
			pool.free = slices.Delete(pool.free, i, i+1)
			return m
		}
	}
	newMemories.Add(1)
	return newMemory(n)
}

// putMemory hands back what getMemory returned, of which the computation
// used the first n blocks. Those are zeroed first: they hold values derived
// from the password, and the next computation needs them zero.
func putMemory(m memory, n uint32) {
	clear(m.blocks[:n])
	if len(m.blocks) < minPooled || len(m.blocks) > maxPooled {
		release(m)
		return
	}
	pool.Lock()
	defer pool.Unlock()
	pool.free = append(pool.free, m)
	if len(pool.free) > keepFree {
		smallest := 0
		for i, f := range pool.free {
			if len(f.blocks) < len(pool.free[smallest].blocks) {
				smallest = i
			}
		}
		release(pool.free[smallest])
		pool.free = slices.Delete(pool.free, smallest, smallest+1)
	}
}

// release gives a memory back to the system.
func release(m memory) {
	if m.free != nil {
		m.free()
	}
}
