package password

import (
	"crypto/md5"
	"crypto/subtle"
	"strings"
)

// md5crypt implements the FreeBSD/Linux "$1$" MD5-crypt scheme (Poul-Henning
// Kamp), found in legacy billing systems' exports. Only verification is
// offered: new hashes are always argon2id.
func md5crypt(pw, salt []byte) []byte {
	const magic = "$1$"
	if len(salt) > 8 {
		salt = salt[:8]
	}
	alt := md5.New()
	alt.Write(pw)
	alt.Write(salt)
	alt.Write(pw)
	altSum := alt.Sum(nil)

	h := md5.New()
	h.Write(pw)
	h.Write([]byte(magic))
	h.Write(salt)
	for i := len(pw); i > 0; i -= 16 {
		h.Write(altSum[:min(i, 16)])
	}
	for i := len(pw); i > 0; i >>= 1 {
		if i&1 != 0 {
			h.Write([]byte{0})
		} else {
			h.Write(pw[:1])
		}
	}
	sum := h.Sum(nil)

	for i := 0; i < 1000; i++ {
		r := md5.New()
		if i&1 != 0 {
			r.Write(pw)
		} else {
			r.Write(sum)
		}
		if i%3 != 0 {
			r.Write(salt)
		}
		if i%7 != 0 {
			r.Write(pw)
		}
		if i&1 != 0 {
			r.Write(sum)
		} else {
			r.Write(pw)
		}
		sum = r.Sum(nil)
	}

	const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	out := make([]byte, 0, 22)
	enc := func(a, b, c byte, n int) {
		v := uint(a)<<16 | uint(b)<<8 | uint(c)
		for ; n > 0; n-- {
			out = append(out, itoa64[v&0x3f])
			v >>= 6
		}
	}
	enc(sum[0], sum[6], sum[12], 4)
	enc(sum[1], sum[7], sum[13], 4)
	enc(sum[2], sum[8], sum[14], 4)
	enc(sum[3], sum[9], sum[15], 4)
	enc(sum[4], sum[10], sum[5], 4)
	enc(0, 0, sum[11], 2)
	return out
}

func verifyMD5Crypt(pw, hash string) (bool, error) {
	// $1$salt$checksum
	rest := strings.TrimPrefix(hash, "$1$")
	salt, want, ok := strings.Cut(rest, "$")
	if !ok || len(want) != 22 {
		return false, ErrUnknownFormat
	}
	got := md5crypt([]byte(pw), []byte(salt))
	return subtle.ConstantTimeCompare(got, []byte(want)) == 1, nil
}
