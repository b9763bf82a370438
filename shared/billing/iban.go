package billing

import (
	"math/big"
	"strings"
)

// ibanLengths is the IBAN length per country (ISO 13616 registry) for the
// countries the provider serves and their SEPA neighbours; an IBAN of any
// other SEPA country is checked by its checksum and a 15–34 length only.
var ibanLengths = map[string]int{
	"SK": 24, "CZ": 24, "HU": 28, "AT": 20, "DE": 22, "PL": 28, "SI": 19, "HR": 21, "RO": 24,
	"IT": 27, "FR": 27, "ES": 24, "NL": 18, "BE": 16, "LU": 20, "IE": 22, "PT": 25, "FI": 18,
	"EE": 20, "LV": 21, "LT": 20, "GB": 22, "CH": 21, "LI": 21, "DK": 18, "SE": 24, "NO": 15,
	"BG": 22, "GR": 27, "CY": 28, "MT": 31, "IS": 26,
}

// Reasons NormalizeIBAN rejects an IBAN (field error codes).
const (
	IBANFormat   = "format"   // not 2 letters, 2 digits and alphanumerics
	IBANCountry  = "country"  // not a SEPA country
	IBANLength   = "length"   // wrong length for its country
	IBANChecksum = "checksum" // ISO 13616 mod-97 check failed
)

// NormalizeIBAN strips spaces, upper-cases and checks an IBAN: format,
// country, the country's length and the ISO 13616 mod-97 checksum. It
// returns the electronic form and "" or the reason it is invalid.
func NormalizeIBAN(s string) (string, string) {
	iban := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(iban) < 15 || len(iban) > 34 {
		return iban, IBANLength
	}
	for i, r := range iban {
		switch {
		case i < 2 && (r < 'A' || r > 'Z'), i >= 2 && i < 4 && (r < '0' || r > '9'):
			return iban, IBANFormat
		case (r < 'A' || r > 'Z') && (r < '0' || r > '9'):
			return iban, IBANFormat
		}
	}
	want, ok := ibanLengths[iban[:2]]
	if !ok {
		return iban, IBANCountry
	}
	if len(iban) != want {
		return iban, IBANLength
	}
	if !ibanChecksumOK(iban) {
		return iban, IBANChecksum
	}
	return iban, ""
}

// ibanChecksumOK moves the first four characters to the end, replaces
// letters by 10..35 and checks the number mod 97 is 1.
func ibanChecksumOK(iban string) bool {
	var b strings.Builder
	for _, r := range iban[4:] + iban[:4] {
		if r >= 'A' && r <= 'Z' {
			b.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		} else {
			b.WriteRune(r)
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// MaskIBAN shows an IBAN in groups of four with only the country, check
// digits and last four characters: "SK31 **** **** **** **** 1234".
func MaskIBAN(iban string) string {
	iban = strings.ToUpper(strings.Join(strings.Fields(iban), ""))
	if len(iban) < 8 {
		return "****"
	}
	groups := []string{iban[:4]}
	middle := len(iban) - 8
	for i := 0; i < (middle+3)/4; i++ {
		groups = append(groups, "****")
	}
	return strings.Join(append(groups, iban[len(iban)-4:]), " ")
}

// FormatIBAN prints an IBAN in groups of four (the paper form).
func FormatIBAN(iban string) string {
	var groups []string
	for i := 0; i < len(iban); i += 4 {
		groups = append(groups, iban[i:min(i+4, len(iban))])
	}
	return strings.Join(groups, " ")
}
