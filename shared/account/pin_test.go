package account

import (
	"testing"
)

func TestPINRules(t *testing.T) {
	t.Parallel()
	for pin, want := range map[string]bool{"1234": true, "12345678": true, "123": false, "123456789": false,
		"12a4": false, "": false, " 1234": false, "١٢٣٤": false, "0000": true} {
		if got := ValidPINFormat(pin); got != want {
			t.Errorf("ValidPINFormat(%q) = %v, want %v", pin, got, want)
		}
	}
	for pin, want := range map[string]bool{"1111": true, "00000000": true, "1234": true, "9876": true, "4321": true,
		"8901": true, "2109": true, "123456": true, "7391": false, "1243": false, "1123": false, "5826": false, "1212": false} {
		if got := WeakPIN(pin); got != want {
			t.Errorf("WeakPIN(%q) = %v, want %v", pin, got, want)
		}
	}
}

func TestRandomPIN(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		pin, err := randomPIN(6)
		if err != nil {
			t.Fatal(err)
		}
		if len(pin) != 6 || !ValidPINFormat(pin) || WeakPIN(pin) {
			t.Fatalf("randomPIN = %q", pin)
		}
		seen[pin] = true
	}
	if len(seen) < 190 {
		t.Errorf("only %d distinct PINs in 200 draws", len(seen))
	}
}

func TestMaskPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"+421900123456": "+421 *** *** 456",
		"+36301234567":  "+363 *** *** 567",
		"0900 123 456":  "090 *** *** 456",
		"12345":         "***",
		"":              "***",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
