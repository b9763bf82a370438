//go:build !linux

package argon2

// newMemory allocates n blocks on the Go heap (huge pages are mapped on
// Linux only, where the functions run).
func newMemory(n uint32) memory {
	return memory{blocks: make([]block, n)}
}
