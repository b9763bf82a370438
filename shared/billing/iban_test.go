package billing

import "testing"

func TestNormalizeIBAN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, reason string
	}{
		{"SK31 1200 0000 1987 4263 7541", "SK3112000000198742637541", ""},
		{"sk3112000000198742637541", "SK3112000000198742637541", ""},
		{"CZ65 0800 0000 1920 0014 5399", "CZ6508000000192000145399", ""},
		{"HU42 1177 3016 1111 1018 0000 0000", "HU42117730161111101800000000", ""},
		{"AT61 1904 3002 3457 3201", "AT611904300234573201", ""},
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", ""},
		{"SK31 1200 0000 1987 4263 7542", "", IBANChecksum},
		{"DE89 3704 0044 0532 0130 0", "", IBANLength},
		{"SK31 1200 0000 1987 4263 75411", "", IBANLength},
		{"XX31 1200 0000 1987 4263 7541", "", IBANCountry},
		{"SK3X 1200 0000 1987 4263 7541", "", IBANFormat},
		{"SK31-1200-0000-1987-4263-7541", "", IBANFormat},
		{"", "", IBANLength},
	}
	for _, tt := range tests {
		got, reason := NormalizeIBAN(tt.in)
		if reason != tt.reason || (tt.reason == "" && got != tt.want) {
			t.Errorf("NormalizeIBAN(%q) = %q, %q; want %q, %q", tt.in, got, reason, tt.want, tt.reason)
		}
	}
}

func TestMaskIBAN(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"SK3112000000198742637541": "SK31 **** **** **** **** 7541",
		"AT611904300234573201":     "AT61 **** **** **** 3201",
		"DE89370400440532013000":   "DE89 **** **** **** **** 3000",
	} {
		if got := MaskIBAN(in); got != want {
			t.Errorf("MaskIBAN(%s) = %q, want %q", in, got, want)
		}
	}
	if got := FormatIBAN("SK3112000000198742637541"); got != "SK31 1200 0000 1987 4263 7541" {
		t.Errorf("FormatIBAN = %q", got)
	}
}

func TestParseFees(t *testing.T) {
	t.Parallel()
	fees, err := ParseFees("400000", "HUF", 27)
	if err != nil || fees["HUF"].Net.Amount != 400000 || fees["HUF"].VAT() != 108000 {
		t.Fatalf("plain: %+v %v", fees, err)
	}
	fees, err = ParseFees("HUF:400000:27, EUR:1500:23", "EUR", 20)
	if err != nil || len(fees) != 2 || fees["EUR"].VAT() != 345 || fees["EUR"].VATPercent != 23 {
		t.Fatalf("list: %+v %v", fees, err)
	}
	if f, _ := ParseFees("EUR:999", "EUR", 20); f["EUR"].VAT() != 200 { // 199.8 rounds half up
		t.Errorf("rounding: %d", f["EUR"].VAT())
	}
	for _, bad := range []string{"-5", "EUR", "EUR:x", "EUR:1:101", "eur:1", "EUR:1,EUR:2"} {
		if _, err := ParseFees(bad, "EUR", 20); err == nil {
			t.Errorf("ParseFees(%q) accepted", bad)
		}
	}
}
