//go:build race

package password

// raceEnabled: the race detector's runtime allocates its own memory around
// the heap, so the heap's size says nothing about reuse there.
const raceEnabled = true
