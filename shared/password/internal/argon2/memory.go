package argon2

import "sync"

// keepFree is how many released working memories the pool keeps for the
// next calls. A Lambda function hashes one request at a time and needs one;
// the dev server under load hashes a few at once. More memory than this is
// given back when released.
const keepFree = 2

// memory is one hash's working memory: blocks, all zero while it is in the
// pool, and how to give it back to the system.
type memory struct {
	blocks []block
	free   func()
}

var pool struct {
	sync.Mutex
	free  []memory
	inUse map[*block]memory
}

// getBlocks returns n zero blocks for one computation, the memory of an
// earlier one when the pool has a large enough one.
func getBlocks(n uint32) []block {
	pool.Lock()
	defer pool.Unlock()
	var m memory
	found := false
	// The most recently released first: its pages are the likeliest to be
	// resident and in cache.
	for i := len(pool.free) - 1; i >= 0; i-- {
		if f := pool.free[i]; uint32(len(f.blocks)) >= n {
			m, found = f, true
			pool.free = append(pool.free[:i], pool.free[i+1:]...)
			break
		}
	}
	if !found {
		m = newMemory(n)
	}
	if pool.inUse == nil {
		pool.inUse = make(map[*block]memory)
	}
	pool.inUse[&m.blocks[0]] = m
	return m.blocks[:n]
}

// putBlocks hands back what getBlocks returned. The blocks are zeroed first:
// they hold values derived from the password, and the next computation
// needs them zero.
func putBlocks(b []block) {
	clear(b)
	pool.Lock()
	defer pool.Unlock()
	m := pool.inUse[&b[0]]
	delete(pool.inUse, &b[0])
	if len(pool.free) < keepFree {
		pool.free = append(pool.free, m)
		return
	}
	if m.free != nil {
		m.free()
	}
}
