package password

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// fast keeps tests quick; the production parameters are checked separately.
var fast = Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestArgon2idRoundTrip(t *testing.T) {
	h := NewHasher(fast)
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", hash)
	}
	if rehash, err := h.Verify("correct horse", hash); err != nil || rehash {
		t.Fatalf("Verify(right) = %v, %v; want false, nil", rehash, err)
	}
	if _, err := h.Verify("wrong", hash); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Verify(wrong) err = %v; want ErrMismatch", err)
	}
	again, _ := h.Hash("correct horse")
	if again == hash {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
}

func TestOWASPParameters(t *testing.T) {
	h := NewHasher(OWASP)
	hash, err := h.Hash("pw")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not use m=19456,t=2,p=1", hash)
	}
	// A hash made with weaker parameters verifies but asks for a rehash.
	weak, _ := NewHasher(fast).Hash("pw")
	if rehash, err := h.Verify("pw", weak); err != nil || !rehash {
		t.Fatalf("Verify(weak) = %v, %v; want true, nil", rehash, err)
	}
}

func TestLegacyBcrypt(t *testing.T) {
	b, err := bcrypt.GenerateFromPassword([]byte("Heslo123"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHasher(fast)
	if rehash, err := h.Verify("Heslo123", string(b)); err != nil || !rehash {
		t.Fatalf("Verify(bcrypt) = %v, %v; want true, nil", rehash, err)
	}
	if _, err := h.Verify("heslo123", string(b)); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Verify(bcrypt wrong) err = %v", err)
	}
}

func TestLegacyMD5Crypt(t *testing.T) {
	// Vectors produced by `openssl passwd -1 -salt ...`.
	cases := []struct{ pw, hash string }{
		{"password", "$1$saltstri$qQY4WxjABChYG1ccLpfkz/"},
		{"jelszó", "$1$abcdefgh$cXXUlrurBB4kQhDA/NIWR0"},
	}
	h := NewHasher(fast)
	for _, c := range cases {
		if rehash, err := h.Verify(c.pw, c.hash); err != nil || !rehash {
			t.Errorf("Verify(%q, %q) = %v, %v; want true, nil", c.pw, c.hash, rehash, err)
		}
		if _, err := h.Verify(c.pw+"x", c.hash); !errors.Is(err, ErrMismatch) {
			t.Errorf("Verify(wrong, %q) err = %v; want ErrMismatch", c.hash, err)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	h := NewHasher(fast)
	for _, hash := range []string{"", "plain", "$6$salt$x", "$argon2id$v=19$m=x$a$b"} {
		if _, err := h.Verify("pw", hash); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("Verify(%q) err = %v; want ErrUnknownFormat", hash, err)
		}
	}
	if IsSupported("$6$x") || !IsSupported("$1$a$b") {
		t.Error("IsSupported misclassifies")
	}
}

// The unknown-account path verifies against a dummy hash: a well-formed
// argon2id string with the hasher's own costs (so it costs what a real
// check costs) that matches no password, and no hash is spent building it.
func TestDummyHash(t *testing.T) {
	p := Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h := NewHasher(p)
	got, ok, err := verifyArgon2id("", h.dummy)
	if err != nil || ok {
		t.Fatalf("verify dummy = %v, %v", ok, err)
	}
	if got.MemoryKiB != p.MemoryKiB || got.Time != p.Time || got.Threads != p.Threads {
		t.Errorf("dummy costs %+v, want the hasher's %+v", got, p)
	}
	for _, pw := range []string{"", "password", h.dummy} {
		if _, err := h.Verify(pw, h.dummy); !errors.Is(err, ErrMismatch) {
			t.Errorf("Verify(%q, dummy) = %v, want ErrMismatch", pw, err)
		}
	}
	if NewHasher(p).dummy == h.dummy {
		t.Error("two hashers share a dummy hash")
	}
	before := Argon2Runs()
	h.VerifyDummy("x")
	if Argon2Runs() != before+1 {
		t.Errorf("VerifyDummy ran %d argon2id computations, want 1", Argon2Runs()-before)
	}
}
