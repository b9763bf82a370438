// Package password hashes passwords with argon2id (OWASP parameters: 19 MiB,
// t=2, p=1) in the PHC string format, and verifies hashes imported from
// legacy systems (bcrypt, MD5-crypt) so that migrated customers keep their
// passwords; such hashes report NeedsRehash so callers upgrade them.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientzone/clientzone/shared/password/internal/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	SaltLen   int
	KeyLen    uint32
}

// OWASP is the OWASP-recommended argon2id configuration.
var OWASP = Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrMismatch is returned when a password does not match a hash.
var ErrMismatch = errors.New("password: mismatch")

// ErrUnknownFormat is returned for a hash string no scheme recognises.
var ErrUnknownFormat = errors.New("password: unknown hash format")

// argon2Runs counts argon2id computations in this process (hashes and
// checks): benchmarks use it to tell apart the handlers whose cost is
// dominated by password or PIN hashing.
var argon2Runs atomic.Int64

// Argon2Runs returns how many argon2id hashes or checks this process ran.
func Argon2Runs() int64 { return argon2Runs.Load() }

// idKey is argon2.IDKey, counted. The argon2 package is a copy of
// golang.org/x/crypto/argon2 whose working memory (19 MiB) is pooled and
// mapped in huge pages: a fresh make of it per hash cost a cold function
// ~55 ms of page faults under Firecracker, Lambda's VMM.
func idKey(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	argon2Runs.Add(1)
	return argon2.IDKey(pw, salt, time, memoryKiB, threads, keyLen)
}

// Hasher hashes and verifies passwords.
type Hasher struct {
	params Params
	// dummy is a hash of a random password, compared against when the
	// account is unknown so both paths cost the same.
	dummy string
}

// NewHasher returns a hasher with the given parameters.
func NewHasher(p Params) *Hasher {
	h := &Hasher{params: p}
	// A random salt and a random "key": verifying against it runs the full
	// argon2id of the given password (same cost as a real account) and never
	// matches, without spending a hash at every cold start.
	salt, key := make([]byte, p.SaltLen), make([]byte, p.KeyLen)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	h.dummy = phc(p, salt, key)
	return h
}

// Hash returns the PHC string of an argon2id hash of pw.
func (h *Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey([]byte(pw), salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, h.params.KeyLen)
	return phc(h.params, salt, key), nil
}

// phc is the PHC string of an argon2id key.
func phc(p Params, salt, key []byte) string {
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// Verify checks pw against hash. needsRehash is true when the hash is of a
// legacy scheme or weaker parameters and should be replaced by Hash(pw).
func (h *Hasher) Verify(pw, hash string) (needsRehash bool, err error) {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		p, ok, err := verifyArgon2id(pw, hash)
		if err != nil {
			return false, err
		}
		if !ok {
			return false, ErrMismatch
		}
		return p.MemoryKiB < h.params.MemoryKiB || p.Time < h.params.Time, nil
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)); err != nil {
			if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
				return false, ErrMismatch
			}
			return false, fmt.Errorf("%w: %v", ErrUnknownFormat, err)
		}
		return true, nil
	case strings.HasPrefix(hash, "$1$"):
		ok, err := verifyMD5Crypt(pw, hash)
		if err != nil {
			return false, err
		}
		if !ok {
			return false, ErrMismatch
		}
		return true, nil
	}
	return false, ErrUnknownFormat
}

// VerifyDummy spends the same time as Verify on a real account; call it when
// the account does not exist so response times do not reveal that.
func (h *Hasher) VerifyDummy(pw string) {
	_, _ = h.Verify(pw, h.dummy)
}

// IsSupported reports whether hash is in a format Verify understands; used
// to validate imported legacy hashes.
func IsSupported(hash string) bool {
	for _, p := range []string{"$argon2id$", "$2a$", "$2b$", "$2y$", "$1$"} {
		if strings.HasPrefix(hash, p) {
			return true
		}
	}
	return false
}

func verifyArgon2id(pw, hash string) (Params, bool, error) {
	// $argon2id$v=19$m=19456,t=2,p=1$salt$key
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		return Params{}, false, ErrUnknownFormat
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Params{}, false, ErrUnknownFormat
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return Params{}, false, ErrUnknownFormat
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return Params{}, false, ErrUnknownFormat
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return Params{}, false, ErrUnknownFormat
	}
	if p.MemoryKiB == 0 || p.Time == 0 || p.Threads == 0 || p.MemoryKiB > 1<<20 || p.Time > 16 {
		return Params{}, false, ErrUnknownFormat
	}
	got := idKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return p, subtle.ConstantTimeCompare(got, want) == 1, nil
}
