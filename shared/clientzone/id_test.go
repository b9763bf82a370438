package clientzone

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

// NewID's text must be a ULID (checked by oklog/ulid's strict parser) with
// the current time in it.
func TestNewIDIsULID(t *testing.T) {
	before := time.Now().UnixMilli()
	id := NewID()
	after := time.Now().UnixMilli()
	u, err := ulid.ParseStrict(id)
	if err != nil {
		t.Fatalf("ParseStrict(%q): %v", id, err)
	}
	if ms := int64(u.Time()); ms < before || ms > after {
		t.Fatalf("timestamp %d not in [%d, %d]", ms, before, after)
	}
	if u.String() != id {
		t.Fatalf("round trip %q != %q", u.String(), id)
	}
}

// The encoder agrees with oklog/ulid on fixed values, including all-zero
// and all-ones (the 3-bit first character).
func TestEncodeULIDMatchesReference(t *testing.T) {
	cases := [][16]byte{
		{},
		{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
		{0x01, 0x93, 0x5B, 0x2A, 0x10, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
	}
	for _, b := range cases {
		if got, want := encodeULID(&b), ulid.ULID(b).String(); got != want {
			t.Errorf("encode %x = %s, want %s", b, got, want)
		}
	}
}

// IDs made in one millisecond sort in the order they were made, and the
// random part carries over into the next millisecond on overflow.
func TestNewIDMonotonic(t *testing.T) {
	var s idSource
	now := time.UnixMilli(1_700_000_000_000)
	prev := s.next(now)
	for i := 0; i < 1000; i++ {
		id := s.next(now)
		if id <= prev {
			t.Fatalf("id %d: %s not after %s", i, id, prev)
		}
		prev = id
	}
	// A clock going back keeps the order too.
	if id := s.next(now.Add(-time.Second)); id <= prev {
		t.Fatalf("after clock step back: %s not after %s", id, prev)
	}
	s.rand = [10]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	last := s.ms
	id := s.next(time.UnixMilli(int64(last)))
	u := ulid.MustParseStrict(id)
	if u.Time() != last+1 {
		t.Fatalf("overflow: timestamp %d, want %d", u.Time(), last+1)
	}
}

func TestNewIDConcurrentUnique(t *testing.T) {
	const workers, each = 8, 2000
	var mu sync.Mutex
	var all []string
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]string, 0, each)
			for i := 0; i < each; i++ {
				local = append(local, NewID())
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Strings(all)
	for i := 1; i < len(all); i++ {
		if all[i] == all[i-1] {
			t.Fatalf("duplicate id %s", all[i])
		}
	}
	if len(all) != workers*each {
		t.Fatalf("%d ids, want %d", len(all), workers*each)
	}
}
