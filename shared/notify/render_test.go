package notify

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// sampleData is realistic data for every template; secret names the value
// (code, PIN or link) that must reach the recipient.
var sampleData = map[string]struct {
	data   map[string]string
	secret string
}{
	"account-activation":   {map[string]string{"link": "https://portal.example.com/activate?token=act-TOKEN-1", "name": "Ján Novák"}, "link"},
	"password-reset-code":  {map[string]string{"code": "482913", "name": "Ján Novák", "minutes": "15"}, "code"},
	"password-reset-link":  {map[string]string{"link": "https://portal.example.com/reset-password?token=rst-TOKEN-2", "name": "Peter", "minutes": "60"}, "link"},
	"password-changed":     {map[string]string{"name": "Peter", "changedAt": "2026-11-23T15:00:00Z", "ip": "198.51.100.7"}, "name"},
	"person-invitation":    {map[string]string{"link": "https://portal.example.com/activate?token=inv-TOKEN-3", "inviterName": "Ján Novák", "customerName": "Novák s.r.o.", "personName": "Eva", "expiresAt": "2026-11-30T15:00:00Z"}, "link"},
	"pin-issued":           {map[string]string{"pin": "7391"}, "pin"},
	"pin-changed":          {map[string]string{"changedBy": "Ján Novák"}, "changedBy"},
	"billing-data-changed": {map[string]string{"fields": "address,email", "changedBy": "Ján Novák"}, "fields"},
	"direct-debit-mandate": {map[string]string{"mandateId": "CZ-MANDATE-0001", "iban": "SK31 **** **** 7541", "accountHolder": "Novák s.r.o.", "signedAt": "2026-11-23T15:00:00Z", "signedBy": "Ján Novák", "creditor": "clientzone s.r.o."}, "mandateId"},
	"invoice-correction-request": {map[string]string{"requestId": "01JREQ", "invoiceNumber": "2026000123", "invoiceId": "01JINV", "reason": "Wrong address", "fields": "address",
		"customerId": "01JCUST", "customerName": "Novák s.r.o.", "feeInvoiceNumber": "2026000124", "feeAmount": "1500", "feeCurrency": "EUR"}, "invoiceNumber"},
	"invoice-correction-received": {map[string]string{"requestId": "01JREQ", "invoiceNumber": "2026000123", "invoiceId": "01JINV", "reason": "Wrong address", "fields": "address",
		"customerId": "01JCUST", "customerName": "Novák s.r.o."}, "invoiceNumber"},
	"expiry-reminder": {map[string]string{"serviceName": "Webhosting Standard", "expiresOn": "2026-12-01", "daysLeft": "7"}, "serviceName"},
	"invoice-overdue": {map[string]string{"invoiceNumber": "2026000123", "dueOn": "2026-11-14", "amount": "12.30 EUR"}, "invoiceNumber"},
	"contract-change": {map[string]string{"action": "suspension-start", "contractNumber": "2024001", "name": "Ján Novák", "since": "2026-11-23",
		"freeUntil": "2027-01-21", "dailyFee": "2.00 EUR"}, "contractNumber"},
	"ticket-reply": {map[string]string{"name": "Ján Novák", "subject": "Slow internet", "ticketId": "01JTICKET", "reply": "We replaced the line card; please restart your router.",
		"staff": "Mária (support)", "closed": "yes"}, "reply"},
	"message-status": {map[string]string{"name": "Ján Novák", "subject": "Faktúra za október", "messageId": "01JMESSAGE", "status": "answered",
		"answer": "The invoice was corrected; the new one is in the client zone.", "staff": "Mária (billing)"}, "answer"},
}

// isGSM tells whether s fits the GSM 7-bit basic alphabet (roughly: ASCII
// printable without a few characters).
func isGSM(s string) bool {
	s = regexp.MustCompile(`\{\{.*?\}\}`).ReplaceAllString(s, "") // template actions
	for _, r := range s {
		if r > 0x7e || strings.ContainsRune("`^{}[]~|\\", r) {
			return false
		}
	}
	return true
}

func TestRenderEveryTemplateInEveryLanguage(t *testing.T) {
	r, err := NewRenderer("Acme Net")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Templates() {
		sample, ok := sampleData[name]
		if !ok {
			t.Errorf("%s: no sample data in this test", name)
			continue
		}
		for _, lang := range clientzone.Languages {
			if _, ok := sources[name][lang]; !ok {
				t.Errorf("%s: no %s text", name, lang)
				continue
			}
			src := sources[name][lang]
			var channels []string
			if src.Subject != "" {
				channels = append(channels, clientzone.ChannelEmail)
			}
			if src.SMS != "" {
				channels = append(channels, clientzone.ChannelSMS)
			}
			if len(channels) == 0 {
				t.Errorf("%s/%s: empty", name, lang)
			}
			for _, ch := range channels {
				m := clientzone.Message{ID: "m1", Channel: ch, To: "x", Template: name, Language: lang, Data: sample.data}
				out, err := r.Render(m)
				if err != nil {
					t.Errorf("%s/%s/%s: %v", name, lang, ch, err)
					continue
				}
				all := out.Subject + "\n" + out.Body
				if strings.Contains(all, "<no value>") || strings.Contains(all, "{{") {
					t.Errorf("%s/%s/%s: unfilled: %q", name, lang, ch, all)
				}
				if !strings.Contains(all, sample.data[sample.secret]) {
					t.Errorf("%s/%s/%s: %s %q missing from %q", name, lang, ch, sample.secret, sample.data[sample.secret], all)
				}
				if !strings.Contains(all, "Acme Net") {
					t.Errorf("%s/%s/%s: brand missing", name, lang, ch)
				}
				if out.Language != lang {
					t.Errorf("%s/%s/%s: rendered in %s", name, lang, ch, out.Language)
				}
				if ch == clientzone.ChannelSMS && lang != clientzone.LangRU {
					// The template text is GSM 7-bit; data (names) may not be.
					if n := utf8.RuneCountInString(out.Body); n > 160 || !isGSM(src.SMS) {
						t.Errorf("%s/%s: SMS of %d chars, template GSM=%v: %q", name, lang, n, isGSM(src.SMS), out.Body)
					}
				}
				if ch == clientzone.ChannelEmail && strings.ContainsAny(out.Subject, "\r\n") {
					t.Errorf("%s/%s: multi-line subject", name, lang)
				}
			}
		}
	}
}

func TestRenderErrors(t *testing.T) {
	r, err := NewRenderer("Acme")
	if err != nil {
		t.Fatal(err)
	}
	code := map[string]string{"code": "482913", "name": "Ján", "minutes": "15"}
	for name, m := range map[string]clientzone.Message{
		"unknown template": {Channel: "sms", To: "+421900000000", Template: "no-such", Language: "sk", Data: code},
		"missing key":      {Channel: "sms", To: "+421900000000", Template: "password-reset-code", Language: "sk", Data: map[string]string{"code": "482913"}},
		"wrong channel":    {Channel: "email", To: "a@b.sk", Template: "password-reset-code", Language: "sk", Data: code},
		"unknown channel":  {Channel: "fax", To: "1", Template: "password-reset-code", Language: "sk", Data: code},
		"no recipient":     {Channel: "sms", Template: "password-reset-code", Language: "sk", Data: code},
	} {
		_, err := r.Render(m)
		if !errors.Is(err, ErrTemplate) {
			t.Errorf("%s: err = %v, want ErrTemplate", name, err)
		} else if strings.Contains(err.Error(), "482913") {
			t.Errorf("%s: error leaks the code: %v", name, err)
		}
	}
	// An unknown language falls back to English.
	out, err := r.Render(clientzone.Message{Channel: "sms", To: "+1", Template: "password-reset-code", Language: "de", Data: code})
	if err != nil || out.Language != clientzone.LangEN || !strings.Contains(out.Body, "password reset code is 482913") {
		t.Errorf("fallback: %+v %v", out, err)
	}
}

// TestEveryTemplateUsedInCodeExists reads the Go sources and fails when a
// message names a template this package does not define.
func TestEveryTemplateUsedInCodeExists(t *testing.T) {
	re := regexp.MustCompile(`Template(?:\s*:|\s*=)\s*"([^"]+)"`)
	found := 0
	for _, dir := range []string{"..", "../../functions"} {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				found++
				if _, ok := sources[m[1]]; !ok {
					t.Errorf("%s uses template %q, which shared/notify does not define", p, m[1])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found < 10 {
		t.Errorf("found only %d template uses; is the pattern still right?", found)
	}
}

// A missing key fails the rendering with an error that names the template
// text and the key, never a value of the message (codes, links, names).
func TestRenderMissingKeyError(t *testing.T) {
	r, err := NewRenderer("Acme")
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]string{"code": "SECRET-482913", "name": "PRIVATE-NAME"}
	_, err = r.Render(clientzone.Message{Channel: "sms", To: "+421900000000", Template: "password-reset-code", Language: "sk", Data: data})
	if !errors.Is(err, ErrTemplate) {
		t.Fatalf("err = %v, want ErrTemplate", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "password-reset-code/sk/sms") || !strings.Contains(msg, `"minutes"`) {
		t.Errorf("error %q does not name the template text and the key", msg)
	}
	for _, v := range data {
		if strings.Contains(msg, v) {
			t.Errorf("error %q leaks a value", msg)
		}
	}
}

// NewRenderer fails on a template it cannot parse.
func TestNewRendererBadTemplate(t *testing.T) {
	sources["zz-bad"] = map[clientzone.Language]text{clientzone.LangEN: {SMS: "{{.a"}}
	defer delete(sources, "zz-bad")
	if _, err := NewRenderer("Acme"); err == nil || !strings.Contains(err.Error(), "zz-bad/en/sms") {
		t.Errorf("NewRenderer = %v, want an error naming zz-bad/en/sms", err)
	}
}
