package clientzone

import (
	"crypto/rand"
	"sync"
	"time"
)

// crockford is the ULID alphabet (Crockford's base32).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// idSource makes ULIDs: 48 bits of Unix milliseconds and 80 random bits
// from crypto/rand, monotonic within one millisecond of one process (the
// random part of a later ID in the same millisecond is the earlier one
// plus one), so IDs made by one process sort in creation order. It is
// built on first use: a package-level generator would cost every cold
// start its initialisation (oklog/ulid seeds a math/rand source at init).
type idSource struct {
	mu   sync.Mutex
	ms   uint64
	rand [10]byte
}

var ids idSource

// NewID returns a new opaque, time-sortable identifier (ULID).
func NewID() string { return ids.next(time.Now()) }

func (s *idSource) next(now time.Time) string {
	ms := uint64(now.UnixMilli())
	s.mu.Lock()
	if ms > s.ms || !increment(&s.rand) {
		if ms <= s.ms {
			// The 80-bit random part overflowed within one millisecond
			// (practically never): move on to the next millisecond.
			ms = s.ms + 1
		}
		s.ms = ms
		if _, err := rand.Read(s.rand[:]); err != nil {
			s.mu.Unlock()
			panic("clientzone: crypto/rand: " + err.Error()) // crypto/rand.Read does not fail on Linux
		}
	}
	var b [16]byte
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(s.ms>>40), byte(s.ms>>32), byte(s.ms>>24), byte(s.ms>>16), byte(s.ms>>8), byte(s.ms)
	copy(b[6:], s.rand[:])
	s.mu.Unlock()
	return encodeULID(&b)
}

// increment adds one to the big-endian number r; false when it overflowed.
func increment(r *[10]byte) bool {
	for i := len(r) - 1; i >= 0; i-- {
		r[i]++
		if r[i] != 0 {
			return true
		}
	}
	return false
}

// encodeULID is the 26-character Crockford base32 text of a 128-bit ULID:
// the first character carries the top 3 bits, every other one 5 bits.
func encodeULID(b *[16]byte) string {
	var out [26]byte
	// 130 bits of output for 128 of input: read the ULID as a big-endian
	// number with two leading zero bits.
	var acc uint64
	bits, j := 2, 0 // two virtual leading zero bits
	for _, v := range b {
		acc = acc<<8 | uint64(v)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[j] = crockford[(acc>>uint(bits))&31]
			j++
		}
	}
	return string(out[:])
}
