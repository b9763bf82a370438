package billing

import (
	"os"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		cur  string
		want int64
		bad  bool
	}{
		{"29.90", "EUR", 2990, false},
		{"29,90", "EUR", 2990, false},
		{"29,9", "EUR", 2990, false},
		{"0.1", "EUR", 10, false},
		{"0,07", "EUR", 7, false},
		{"1 234,56", "EUR", 123456, false},
		{"1.234,56", "EUR", 123456, false},
		{"1,234.56", "EUR", 123456, false},
		{"1.234", "EUR", 123400, false}, // a lone separator before 3 digits groups thousands
		{"48000", "HUF", 4800000, false},
		{"-120,00", "EUR", -12000, false},
		{"+5", "EUR", 500, false},
		{"1000", "JPY", 1000, false},
		{"19.99", "EUR", 1999, false}, // float64(19.99)*100 = 1998.9999…: must not round down
		{"0.29", "EUR", 29, false},
		{"1.0055", "EUR", 0, true},
		{"1.005", "EUR", 100500, false}, // documented rule: thousands grouping
		{"12,3,4", "EUR", 0, true},
		{"abc", "EUR", 0, true},
		{"", "EUR", 0, true},
		{"1e3", "EUR", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.cur)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseAmount(%q) = %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", tt.in, tt.cur, got, err, tt.want)
		}
	}
}

func TestNormalizeVariableSymbol(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2024001": "2024001", "0002024001": "2024001", "VS2024001": "2024001", "/VS2024001/SS/KS0308": "2024001",
		"VS: 2024001001": "2024001001", "vs 123": "123", "NOTPROVIDED": "", "Invoice FA2026": "", "": "",
	} {
		if got := NormalizeVariableSymbol(in); got != want {
			t.Errorf("NormalizeVariableSymbol(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCSV(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/statement.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := ParseCSV(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 {
		t.Fatalf("lines = %d, want 4: %+v", len(lines), lines)
	}
	want := []BankLine{
		{Index: 1, ID: "1", Date: "2026-11-23", Amount: clientzone.Money{Amount: 2990, Currency: "EUR"}, Credit: true, VariableSymbol: "2024001", Counterparty: "Ján Novák", Reference: "Faktúra 11/2026"},
		{Index: 2, ID: "2", Date: "2026-11-23", Amount: clientzone.Money{Amount: 12000, Currency: "EUR"}, Credit: false, Counterparty: "Energie a.s.", Reference: "Elektrina"},
		{Index: 3, ID: "3", Date: "2026-11-23", Amount: clientzone.Money{Amount: 123456, Currency: "EUR"}, Credit: true, VariableSymbol: "2024001", Counterparty: "Novák; Ján", Reference: "Záloha"},
		{Index: 4, ID: "4", Date: "2026-11-24", Amount: clientzone.Money{Amount: 10, Currency: "EUR"}, Credit: true, Counterparty: "Bez symbolu"},
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %+v\nwant %+v", i+1, lines[i], want[i])
		}
	}

	t.Run("comma separated with decimal points and any column order", func(t *testing.T) {
		lines, err := ParseCSV("Variable_Symbol,Currency,Amount,Date\n2024001,EUR,19.99,2026-11-23\n2024001,EUR,\"5,50\",2026-11-23\n")
		if err != nil || len(lines) != 2 || lines[0].Amount.Amount != 1999 || lines[1].Amount.Amount != 550 || lines[0].VariableSymbol != "2024001" {
			t.Fatalf("lines %+v, err %v", lines, err)
		}
	})
	t.Run("missing column", func(t *testing.T) {
		_, err := ParseCSV("date;amount;currency\n2026-11-23;1;EUR\n")
		if clientzone.ErrorCode(err) != clientzone.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("bad amount names the line", func(t *testing.T) {
		_, err := ParseCSV("date;amount;currency;variable_symbol\n2026-11-23;1;EUR;1\n2026-11-23;x;EUR;1\n")
		e, ok := err.(*clientzone.Error)
		if !ok || e.Code != clientzone.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "content" || e.Fields[0].Param != "2" {
			t.Fatalf("err = %#v", err)
		}
	})
}

func TestParseCAMT053(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/camt053_sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.NewReplacer("{{VS1}}", "2024001001", "{{VS2}}", "2024001").Replace(string(raw))
	lines, err := ParseCAMT053(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 {
		t.Fatalf("lines = %d: %+v", len(lines), lines)
	}
	want := []BankLine{
		{Index: 1, ID: "TB20261123-000101", Date: "2026-11-23", Amount: clientzone.Money{Amount: 5990, Currency: "EUR"}, Credit: true,
			VariableSymbol: "2024001001", Counterparty: "Ján Novák", Reference: "Predlzenie hostingu novak.sk /VS2024001001/SS/KS0308"},
		{Index: 2, ID: "TB20261123-000102", Date: "2026-11-23", Amount: clientzone.Money{Amount: 12000, Currency: "EUR"}, Credit: false,
			VariableSymbol: "2024001", Reference: "Elektrina 11/2026 VS2024001"},
		{Index: 3, ID: "TB20261123-000103", Date: "2026-11-23", Amount: clientzone.Money{Amount: 1000, Currency: "EUR"}, Credit: true,
			VariableSymbol: "2024001", Counterparty: "Eva Nováková", Reference: "NOTPROVIDED"},
		{Index: 4, ID: "TB20261123-000104", Date: "2026-11-23", Amount: clientzone.Money{Amount: 750, Currency: "EUR"}, Credit: true,
			VariableSymbol: "999999", Counterparty: "Unknown Payer", Reference: "VS 0000999999 thanks NOTPROVIDED"},
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %+v\nwant %+v", i+1, lines[i], want[i])
		}
	}

	t.Run("batch entry splits into its transactions", func(t *testing.T) {
		x := `<Document><BkToCstmrStmt><Stmt><Id>S</Id><Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><AcctSvcrRef>B1</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><EndToEndId>VS111</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls></TxDtls>
<TxDtls><Refs><EndToEndId>VS222</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">20.00</Amt></TxAmt></AmtDtls></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`
		lines, err := ParseCAMT053(x)
		if err != nil || len(lines) != 2 || lines[0].ID != "B1/1" || lines[1].ID != "B1/2" ||
			lines[0].Amount.Amount != 1000 || lines[1].Amount.Amount != 2000 || lines[1].VariableSymbol != "222" {
			t.Fatalf("lines %+v, err %v", lines, err)
		}
	})
	t.Run("malformed XML", func(t *testing.T) {
		if _, err := ParseCAMT053("<Document><BkToCstmrStmt>"); clientzone.ErrorCode(err) != clientzone.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestEPCQR(t *testing.T) {
	t.Parallel()
	got := EPCQR(BankAccount{IBAN: "SK31 1200 0000 1987 4263 7541", BIC: "TATRSKBX", Beneficiary: "clientzone s.r.o."},
		clientzone.Money{Amount: 2990, Currency: "EUR"}, "2024001001")
	want := "BCD\n002\n1\nSCT\nTATRSKBX\nclientzone s.r.o.\nSK3112000000198742637541\nEUR29.90\n\n\n/VS2024001001"
	if got != want {
		t.Fatalf("EPCQR = %q\nwant %q", got, want)
	}
	if EPCQR(BankAccount{}, clientzone.Money{Amount: 100, Currency: "HUF"}, "1") != "" {
		t.Fatal("a non-EUR amount cannot be an EPC QR")
	}
}
