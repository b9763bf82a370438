package invoicepdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// PDFText extracts the text of a PDF with pdftotext (Debian's
// poppler-utils); a missing pdftotext fails the test rather than skipping.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is required (apt-get install poppler-utils): %v", err)
	}
	f := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func money(a int64, cur string) clientzone.Money { return clientzone.Money{Amount: a, Currency: cur} }

func TestRenderLanguages(t *testing.T) {
	cases := []struct {
		name  string
		lang  clientzone.Language
		inv   *clientzone.Invoice
		cust  *clientzone.Customer
		brand string
		want  []string
		not   []string
	}{
		{
			name: "slovak", lang: clientzone.LangSK, brand: "Optinet s.r.o.",
			inv: &clientzone.Invoice{Number: "FA2026110", Status: clientzone.InvoiceUnpaid, IssuedOn: "2026-11-01", DueOn: "2026-11-15",
				VariableSymbol: "2024001", Total: money(2990, "EUR"), VAT: money(559, "EUR"),
				Lines: []clientzone.InvoiceLine{{Description: "Internet Optik 500/100 – ďakujeme", Quantity: 1, UnitPrice: money(2990, "EUR"), Total: money(2990, "EUR")}}},
			cust: &clientzone.Customer{Name: "Ján Novák", BillingAddress: clientzone.Address{Street: "Štúrova 12", City: "Žilina", PostalCode: "010 01", Country: "SK"}},
			want: []string{"Optinet s.r.o.", "Faktúra", "FA2026110", "Ján Novák", "Štúrova 12", "Žilina", "ďakujeme", "Variabilný symbol", "2024001",
				"29,90 EUR", "5,59 EUR", "1. 11. 2026", "15. 11. 2026", "Neuhradená", "Odberateľ", "Na úhradu", "DPH"},
		},
		{
			name: "hungarian", lang: clientzone.LangHU, brand: "Vonal Kft.",
			inv: &clientzone.Invoice{Number: "VCRM-2026-0042", Status: clientzone.InvoicePaid, IssuedOn: "2026-10-23", DueOn: "2026-10-31",
				VariableSymbol: "7700123", Total: money(4800000, "HUF"), VAT: money(1020472, "HUF"),
				Lines: []clientzone.InvoiceLine{{Description: "Fő utca, őszirózsa, űrhajó", Quantity: 2, UnitPrice: money(2400000, "HUF"), Total: money(4800000, "HUF")}}},
			cust: &clientzone.Customer{Name: "Kovács és Társa Kft.", VATID: "12345678-2-41",
				BillingAddress: clientzone.Address{Street: "Fő utca 1.", City: "Budapest", PostalCode: "1011", Country: "HU"}},
			want: []string{"Számla", "VCRM-2026-0042", "Kovács és Társa Kft.", "Fő utca, őszirózsa, űrhajó", "48 000 HUF", "24 000 HUF",
				"10 205 HUF", "2026. 10. 23.", "Kifizetve", "Fizetendő", "ÁFA", "Adószám: 12345678-2-41"},
			not: []string{"48 000,00", "48 000,"},
		},
		{
			name: "russian", lang: clientzone.LangRU, brand: "ООО Ромашка",
			inv: &clientzone.Invoice{Number: "RU-77-0001", Status: clientzone.InvoiceOverdue, IssuedOn: "2026-09-01", DueOn: "2026-09-10",
				Total: money(150000, "RUB"), VAT: money(25000, "RUB"),
				Lines: []clientzone.InvoiceLine{{Description: "Счёт за интернет, Москва", Quantity: 1, UnitPrice: money(150000, "RUB"), Total: money(150000, "RUB")}}},
			cust: &clientzone.Customer{Name: "ООО Ромашка", BillingAddress: clientzone.Address{Street: "ул. Тверская, 7", City: "Москва", PostalCode: "125009", Country: "RU"}},
			want: []string{"Счёт", "RU-77-0001", "Счёт за интернет, Москва", "ООО Ромашка", "ул. Тверская, 7", "1 500,00 RUB", "250,00 RUB",
				"01.09.2026", "Просрочен", "Итого к оплате", "НДС"},
		},
		{
			name: "english", lang: clientzone.LangEN, brand: "clientzone",
			inv: &clientzone.Invoice{Number: "INV-1", Status: clientzone.InvoiceCancelled, IssuedOn: "2026-01-05", DueOn: "2026-01-19",
				VariableSymbol: "42", Total: money(123456789, "EUR"), VAT: money(5, "EUR"),
				Lines: []clientzone.InvoiceLine{
					{Description: "Web hosting Business, yearly", Quantity: 3, UnitPrice: money(41152263, "EUR"), Total: money(123456789, "EUR")},
					{Description: "Domain example.com", Quantity: 1, UnitPrice: money(0, "GBP"), Total: money(0, "GBP")},
				}},
			cust: &clientzone.Customer{Name: "Acme Ltd", BillingAddress: clientzone.Address{Street: "1 High Street", City: "London", PostalCode: "SW1A 1AA", Country: "GB"}},
			want: []string{"Invoice", "INV-1", "Acme Ltd", "1 High Street", "SW1A 1AA London", "Web hosting Business, yearly", "Domain example.com",
				"1,234,567.89 EUR", "411,522.63 EUR", "0.05 EUR", "0.00 GBP", "2026-01-05", "2026-01-19", "Cancelled", "Total due", "Variable symbol"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Render(c.inv, c.cust, c.lang, c.brand)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
			}
			text := pdfText(t, b)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q:\n%s", w, text)
				}
			}
			for _, n := range c.not {
				if strings.Contains(text, n) {
					t.Errorf("PDF text has %q:\n%s", n, text)
				}
			}
			again, err := Render(c.inv, c.cust, c.lang, c.brand)
			if err != nil || !bytes.Equal(b, again) {
				t.Errorf("rendering twice differs (err %v): output is not deterministic", err)
			}
		})
	}
}

// The sample strings, each in one text field, come back exactly.
func TestRenderSampleStrings(t *testing.T) {
	samples := map[clientzone.Language]string{
		clientzone.LangSK: "Ján Novák, Štúrova 12, Žilina – ďakujeme",
		clientzone.LangHU: "Kovács és Társa Kft., Fő utca, őszirózsa, űrhajó",
		clientzone.LangRU: "Счёт за интернет, Москва, ООО Ромашка",
		clientzone.LangEN: "Thank you for your payment, Acme Ltd",
	}
	for lang, s := range samples {
		inv := &clientzone.Invoice{Number: "X-1", Status: clientzone.InvoiceUnpaid, IssuedOn: "2026-11-01", DueOn: "2026-11-15",
			Total: money(100, "EUR"), VAT: money(0, "EUR"),
			Lines: []clientzone.InvoiceLine{{Description: s, Quantity: 1, UnitPrice: money(100, "EUR"), Total: money(100, "EUR")}}}
		b, err := Render(inv, &clientzone.Customer{Name: s}, lang, s)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b)
		if n := strings.Count(text, s); n != 3 { // brand, customer name, line
			t.Errorf("%s: %q appears %d times, want 3:\n%s", lang, s, n, text)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		m    clientzone.Money
		lang clientzone.Language
		want string
	}{
		{money(2990, "EUR"), clientzone.LangEN, "29.90 EUR"},
		{money(2990, "EUR"), clientzone.LangSK, "29,90 EUR"},
		{money(4800000, "HUF"), clientzone.LangHU, "48 000 HUF"},
		{money(4800050, "HUF"), clientzone.LangHU, "48 001 HUF"},
		{money(4800049, "HUF"), clientzone.LangEN, "48,000 HUF"},
		{money(-105, "CZK"), clientzone.LangSK, "-1,05 CZK"},
		{money(100000000, "RUB"), clientzone.LangRU, "1 000 000,00 RUB"},
		{money(7, "USD"), clientzone.LangEN, "0.07 USD"},
		{money(12345, "PLN"), clientzone.LangHU, "123,45 PLN"},
		{money(12345, "GBP"), clientzone.LangEN, "123.45 GBP"},
	} {
		if got := FormatMoney(c.m, c.lang); got != c.want {
			t.Errorf("FormatMoney(%v, %s) = %q, want %q", c.m, c.lang, got, c.want)
		}
	}
	if MinorUnits("HUF") != 2 || MinorUnits("EUR") != 2 || MinorUnits("JPY") != 0 {
		t.Error("ISO 4217 minor units")
	}
}

func TestRenderBadInput(t *testing.T) {
	if _, err := Render(&clientzone.Invoice{IssuedOn: "nope"}, &clientzone.Customer{}, clientzone.LangEN, "b"); err == nil {
		t.Error("bad issue date accepted")
	}
	if _, err := Render(nil, nil, clientzone.LangEN, "b"); err == nil {
		t.Error("nil invoice accepted")
	}
}
