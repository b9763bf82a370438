package billing

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// BankLine is one line of a bank statement.
type BankLine struct {
	// Index is the 1-based position among the statement's lines.
	Index int
	// ID identifies the line within the statement: the bank's reference
	// (camt.053 AcctSvcrRef) or the line index.
	ID             string
	Date           string // YYYY-MM-DD when known
	Amount         clientzone.Money
	Credit         bool // money in; debits are ignored by the import
	VariableSymbol string
	Counterparty   string
	Reference      string
}

// Statement formats.
const (
	FormatCSV     = "csv"
	FormatCAMT053 = "camt053"
)

// ParseStatement parses a bank statement of the given format.
func ParseStatement(format, content string) ([]BankLine, error) {
	switch format {
	case FormatCSV:
		return ParseCSV(content)
	case FormatCAMT053:
		return ParseCAMT053(content)
	}
	return nil, statementError("format", "Use csv or camt053.")
}

// statementError is a 400 naming the field and, in Param, the 1-based line
// (entry) of the statement at fault, when there is one.
func statementError(field, msg string, line ...int) error {
	fe := clientzone.FieldError{Field: field, Code: "invalid", Message: msg}
	if len(line) > 0 {
		fe.Param = strconv.Itoa(line[0])
	}
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "The bank statement cannot be read.", Fields: []clientzone.FieldError{fe}}
}

// minorDigits is the number of decimals of a currency's minor unit.
func minorDigits(currency string) int {
	switch currency {
	case "JPY", "KRW", "ISK", "CLP", "VND":
		return 0
	}
	return 2
}

// ParseAmount converts a decimal amount in major units ("29.90", "29,90",
// "1 234,50", "1.234,50", "-5") to exact integer minor units, without
// floating point. With both separators the last one is the decimal mark;
// a lone separator followed by exactly three digits groups thousands.
func ParseAmount(s, currency string) (int64, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, errors.New("empty amount")
	}
	intPart, frac := s, ""
	lastDot, lastComma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	dec := max(lastDot, lastComma)
	switch {
	case lastDot >= 0 && lastComma >= 0:
		intPart, frac = s[:dec], s[dec+1:]
		intPart = strings.NewReplacer(".", "", ",", "").Replace(intPart)
	case dec >= 0:
		sep := s[dec : dec+1]
		if strings.Count(s, sep) == 1 && len(s)-dec-1 != 3 {
			intPart, frac = s[:dec], s[dec+1:]
		} else {
			// thousands grouping: every group after the first has 3 digits
			groups := strings.Split(s, sep)
			for _, g := range groups[1:] {
				if len(g) != 3 {
					return 0, fmt.Errorf("bad amount %q", s)
				}
			}
			intPart = strings.Join(groups, "")
		}
	}
	digits := minorDigits(currency)
	if len(frac) > digits || intPart == "" || len(intPart) > 15 {
		return 0, fmt.Errorf("bad amount %q", s)
	}
	frac += strings.Repeat("0", digits-len(frac))
	for _, part := range []string{intPart, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("bad amount %q", s)
			}
		}
	}
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad amount %q", s)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// vsPattern finds "VS<digits>" in a payment's text; compiled on first use,
// not at every function's cold start.
var vsPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\bVS[\s:./-]*0*([0-9]{1,10})\b`)
})

// NormalizeVariableSymbol returns the variable symbol in s: "VS123456",
// "/VS123456/SS/KS0308", "VS: 123456" or bare digits (leading zeros of a
// padded symbol dropped); "" when there is none.
func NormalizeVariableSymbol(s string) string {
	s = strings.TrimSpace(s)
	if m := vsPattern().FindStringSubmatch(s); m != nil {
		return strings.TrimLeft(m[1], "0")
	}
	if len(s) >= 1 && len(s) <= 10 && strings.Trim(s, "0123456789") == "" {
		return strings.TrimLeft(s, "0")
	}
	return ""
}

// ParseCSV reads a CSV bank statement: a header row naming the columns
// date, amount, currency, variable_symbol and optionally counterparty and
// reference (any order, case-insensitive), separated by ";" or ",". Amounts
// are in major units with a decimal comma or point; negative amounts are
// debits.
func ParseCSV(content string) ([]BankLine, error) {
	content = strings.TrimPrefix(content, "\ufeff")
	header, _, _ := strings.Cut(content, "\n")
	r := csv.NewReader(strings.NewReader(content))
	r.Comma = ','
	if strings.Count(header, ";") > strings.Count(header, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "The bank statement cannot be read.", Err: err,
			Fields: []clientzone.FieldError{{Field: "content", Code: "invalid", Message: "The CSV is malformed."}}}
	}
	if len(rows) == 0 {
		return nil, statementError("content", "The CSV is empty.")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"date", "amount", "currency", "variable_symbol"} {
		if _, ok := col[need]; !ok {
			return nil, statementError("content", "The CSV header lacks a required column (date, amount, currency, variable_symbol).")
		}
	}
	get := func(row []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var lines []BankLine
	for n, row := range rows[1:] {
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		idx := n + 1
		cur := strings.ToUpper(get(row, "currency"))
		if !clientzone.IsCurrencyCode(cur) {
			return nil, statementError("content", "The currency is not an ISO 4217 code.", idx)
		}
		amt, err := ParseAmount(get(row, "amount"), cur)
		if err != nil {
			return nil, statementError("content", "The amount is not a number.", idx)
		}
		lines = append(lines, BankLine{
			Index: idx, ID: strconv.Itoa(idx), Date: get(row, "date"),
			Amount: clientzone.Money{Amount: abs(amt), Currency: cur}, Credit: amt > 0,
			VariableSymbol: NormalizeVariableSymbol(get(row, "variable_symbol")),
			Counterparty:   get(row, "counterparty"), Reference: get(row, "reference"),
		})
	}
	return lines, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// camt.053 (ISO 20022 BankToCustomerStatement), the parts the import uses.
// Element names match in any namespace version (camt.053.001.02 … .08).
type camtDocument struct {
	Stmts []camtStmt `xml:"BkToCstmrStmt>Stmt"`
}

type camtStmt struct {
	ID      string      `xml:"Id"`
	Entries []camtEntry `xml:"Ntry"`
}

type camtAmount struct {
	Value string `xml:",chardata"`
	Ccy   string `xml:"Ccy,attr"`
}

type camtDate struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

func (d camtDate) date() string {
	if d.Dt != "" {
		return d.Dt
	}
	if len(d.DtTm) >= 10 {
		return d.DtTm[:10]
	}
	return ""
}

type camtEntry struct {
	NtryRef     string       `xml:"NtryRef"`
	Amt         camtAmount   `xml:"Amt"`
	CdtDbtInd   string       `xml:"CdtDbtInd"`
	BookgDt     camtDate     `xml:"BookgDt"`
	ValDt       camtDate     `xml:"ValDt"`
	AcctSvcrRef string       `xml:"AcctSvcrRef"`
	TxDtls      []camtTxDtls `xml:"NtryDtls>TxDtls"`
}

type camtParty struct {
	Nm    string `xml:"Nm"`
	PtyNm string `xml:"Pty>Nm"`
}

type camtTxDtls struct {
	EndToEndID  string     `xml:"Refs>EndToEndId"`
	AcctSvcrRef string     `xml:"Refs>AcctSvcrRef"`
	Amt         camtAmount `xml:"Amt"`
	TxAmt       camtAmount `xml:"AmtDtls>TxAmt>Amt"`
	Dbtr        camtParty  `xml:"RltdPties>Dbtr"`
	Ustrd       []string   `xml:"RmtInf>Ustrd"`
	CdtrRef     []string   `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
}

// ParseCAMT053 reads an ISO 20022 camt.053 statement: one line per entry
// (Ntry), or per transaction of a batch entry whose transactions carry
// their own amounts. The variable symbol comes from the structured creditor
// reference, else the end-to-end id, else the unstructured remittance text.
func ParseCAMT053(content string) ([]BankLine, error) {
	var doc camtDocument
	dec := xml.NewDecoder(strings.NewReader(content))
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("unsupported charset %s", label)
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, statementError("content", "The camt.053 XML is malformed.")
	}
	if len(doc.Stmts) == 0 {
		return nil, statementError("content", "The XML has no BkToCstmrStmt/Stmt.")
	}
	var lines []BankLine
	for _, st := range doc.Stmts {
		for _, e := range st.Entries {
			txs := e.TxDtls
			batch := len(txs) > 1
			if !batch {
				txs = append(txs[:0:0], camtTxDtls{})
				if len(e.TxDtls) == 1 {
					txs[0] = e.TxDtls[0]
				}
			}
			for ti, tx := range txs {
				amt := e.Amt
				if batch {
					switch {
					case tx.Amt.Value != "":
						amt = tx.Amt
					case tx.TxAmt.Value != "":
						amt = tx.TxAmt
					default:
						return nil, statementError("content", "A batch entry's transactions have no amounts.")
					}
				}
				idx := len(lines) + 1
				cur := strings.ToUpper(strings.TrimSpace(amt.Ccy))
				if !clientzone.IsCurrencyCode(cur) {
					return nil, statementError("content", "The currency is not an ISO 4217 code.", idx)
				}
				n, err := ParseAmount(amt.Value, cur)
				if err != nil || n < 0 {
					return nil, statementError("content", "The amount is not a number.", idx)
				}
				id := firstNonEmpty(tx.AcctSvcrRef, e.AcctSvcrRef, e.NtryRef)
				if batch && tx.AcctSvcrRef == "" && id != "" {
					id += "/" + strconv.Itoa(ti+1)
				}
				if id == "" {
					id = strconv.Itoa(idx)
				}
				if len(doc.Stmts) > 1 && st.ID != "" {
					id = st.ID + "/" + id
				}
				vs := ""
				for _, cand := range append(append(append([]string{}, tx.CdtrRef...), tx.EndToEndID), tx.Ustrd...) {
					if strings.EqualFold(cand, "NOTPROVIDED") {
						continue
					}
					if vs = NormalizeVariableSymbol(cand); vs != "" {
						break
					}
				}
				lines = append(lines, BankLine{
					Index: idx, ID: id, Date: firstNonEmpty(e.BookgDt.date(), e.ValDt.date()),
					Amount: clientzone.Money{Amount: n, Currency: cur}, Credit: strings.TrimSpace(e.CdtDbtInd) == "CRDT",
					VariableSymbol: vs, Counterparty: firstNonEmpty(tx.Dbtr.Nm, tx.Dbtr.PtyNm),
					Reference: strings.TrimSpace(strings.Join(append(append([]string{}, tx.Ustrd...), tx.EndToEndID), " ")),
				})
			}
		}
	}
	return lines, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
