package invoicepdf

import (
	"strconv"
	"strings"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// minorUnits are ISO 4217 minor units (decimal places) of the currencies
// invoices use; an unknown currency gets 2.
var minorUnits = map[string]int{
	"EUR": 2, "CZK": 2, "HUF": 2, "RUB": 2, "USD": 2, "GBP": 2, "PLN": 2, "CHF": 2, "UAH": 2, "RON": 2,
	"JPY": 0, "KRW": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3, "TND": 3,
}

// displayDecimals are the decimals shown, which may be fewer than the ISO
// minor units: forints are printed without fillér (ISO 4217 still says 2,
// but Hungarian invoices round to whole forints).
var displayDecimals = map[string]int{"HUF": 0}

// MinorUnits returns the ISO 4217 minor units of currency (2 if unknown).
func MinorUnits(currency string) int {
	if n, ok := minorUnits[strings.ToUpper(currency)]; ok {
		return n
	}
	return 2
}

// FormatMoney formats m for lang, e.g. "29.90 EUR", "29,90 EUR", "48 000 HUF".
func FormatMoney(m clientzone.Money, lang clientzone.Language) string {
	return formatMoney(m, labelsFor(lang))
}

func formatMoney(m clientzone.Money, l labels) string {
	units := MinorUnits(m.Currency)
	shown := units
	if d, ok := displayDecimals[strings.ToUpper(m.Currency)]; ok {
		shown = d
	}
	amount := m.Amount
	neg := amount < 0
	if neg {
		amount = -amount
	}
	scale := int64(1)
	for range units {
		scale *= 10
	}
	whole, frac := amount/scale, amount%scale
	if shown < units { // round half up to the shown decimals
		drop := int64(1)
		for range units - shown {
			drop *= 10
		}
		frac = (frac + drop/2) / drop
		if frac*drop >= scale {
			whole, frac = whole+1, 0
		}
	}
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(l.Thousands)
		}
		b.WriteRune(c)
	}
	if shown > 0 {
		f := strconv.FormatInt(frac, 10)
		b.WriteString(l.Decimal + strings.Repeat("0", shown-len(f)) + f)
	}
	b.WriteString(" " + strings.ToUpper(m.Currency))
	return b.String()
}
