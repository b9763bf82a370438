package billing_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

type pdfStore struct {
	invoices map[string]*clientzone.Invoice // by cid/id
	setCalls int
	// winner, when set, is the key a concurrent request stored first.
	winner string
}

func (s *pdfStore) Invoice(_ context.Context, cid, id string) (*clientzone.Invoice, error) {
	inv, ok := s.invoices[cid+"/"+id]
	if !ok {
		return nil, clientzone.NotFound("Invoice")
	}
	c := *inv
	return &c, nil
}

func (s *pdfStore) Customer(_ context.Context, cid string) (*clientzone.Customer, error) {
	return &clientzone.Customer{ID: cid, Name: "Ján Novák"}, nil
}

func (s *pdfStore) SetInvoicePDFKey(_ context.Context, cid, id, key string) (string, error) {
	s.setCalls++
	if s.winner != "" {
		key = s.winner
	}
	s.invoices[cid+"/"+id].PDFKey = key
	return key, nil
}

type files struct {
	puts    []string
	putErr  error
	presign []string
}

func (f *files) Put(_ context.Context, key string, body []byte, ct string) error {
	if f.putErr != nil {
		return f.putErr
	}
	if ct != "application/pdf" || len(body) == 0 {
		return errors.New("bad put")
	}
	f.puts = append(f.puts, key)
	return nil
}

func (f *files) PresignGet(_ context.Context, key string, ttl time.Duration, filename string) (string, error) {
	f.presign = append(f.presign, key)
	return "https://s3.example/" + key + "?ttl=" + ttl.String() + "&name=" + filename, nil
}

func newPDFs() (*billing.InvoicePDFs, *pdfStore, *files, *[]clientzone.Language) {
	st := &pdfStore{invoices: map[string]*clientzone.Invoice{
		"c1/i1": {ID: "i1", CustomerID: "c1", Number: "FA1", Status: clientzone.InvoiceUnpaid, IssuedOn: "2026-02-01", DueOn: "2026-02-15"},
		"c2/i2": {ID: "i2", CustomerID: "c2", Number: "HU1", Status: clientzone.InvoicePaid, IssuedOn: "2026-02-01", DueOn: "2026-02-15"},
	}}
	fs := &files{}
	var langs []clientzone.Language
	svc := &billing.InvoicePDFs{Store: st, Files: fs, Clock: clientzone.FixedClock(today), Brand: "b",
		Render: func(inv *clientzone.Invoice, _ *clientzone.Customer, lang clientzone.Language, _ string) ([]byte, error) {
			if inv.Status != clientzone.InvoiceOverdue {
				return nil, errors.New("rendered without the effective status")
			}
			langs = append(langs, lang)
			return []byte("%PDF-1.3"), nil
		}}
	return svc, st, fs, &langs
}

func TestInvoicePDFLink(t *testing.T) {
	ctx := context.Background()
	svc, st, fs, langs := newPDFs()
	l, err := svc.Link(ctx, "c1", "i1", clientzone.LangHU)
	if err != nil {
		t.Fatal(err)
	}
	key := st.invoices["c1/i1"].PDFKey
	if l.Filename != "FA1.pdf" || !l.ExpiresAt.Equal(today.Add(5*time.Minute).Truncate(time.Second)) ||
		!strings.HasPrefix(key, "invoices/c1/i1/") || !strings.HasSuffix(key, ".pdf") ||
		l.URL != "https://s3.example/"+key+"?ttl=5m0s&name=FA1.pdf" {
		t.Errorf("link %+v, key %q", l, key)
	}
	if len(fs.puts) != 1 || fs.puts[0] != key || len(*langs) != 1 || (*langs)[0] != clientzone.LangHU {
		t.Errorf("puts %v, key %q, langs %v", fs.puts, st.invoices["c1/i1"].PDFKey, *langs)
	}
	// Second call: no render, no upload, same key.
	if _, err := svc.Link(ctx, "c1", "i1", clientzone.LangRU); err != nil || len(fs.puts) != 1 || len(*langs) != 1 || st.setCalls != 1 {
		t.Errorf("second call: %v puts %v langs %v", err, fs.puts, *langs)
	}
}

func TestInvoicePDFOwnershipFirst(t *testing.T) {
	svc, st, fs, _ := newPDFs()
	_, err := svc.Link(context.Background(), "c1", "i2", clientzone.LangEN)
	if clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		t.Fatalf("err = %v", err)
	}
	if len(fs.puts)+len(fs.presign)+st.setCalls != 0 {
		t.Errorf("touched storage: %+v, set %d", fs, st.setCalls)
	}
}

func TestInvoicePDFUploadFailure(t *testing.T) {
	svc, st, fs, _ := newPDFs()
	fs.putErr = errors.New("s3: connection refused")
	_, err := svc.Link(context.Background(), "c1", "i1", clientzone.LangEN)
	if err == nil || clientzone.ErrorCode(err) != clientzone.EINTERNAL {
		t.Fatalf("err = %v", err)
	}
	if st.setCalls != 0 || st.invoices["c1/i1"].PDFKey != "" || len(fs.presign) != 0 {
		t.Errorf("recorded a key after a failed upload: %+v", st.invoices["c1/i1"])
	}
}

func TestInvoicePDFRaceUsesWinnersKey(t *testing.T) {
	svc, st, fs, _ := newPDFs()
	st.winner = "invoices/c1/i1-winner.pdf"
	l, err := svc.Link(context.Background(), "c1", "i1", clientzone.LangEN)
	if err != nil || !strings.HasPrefix(l.URL, "https://s3.example/"+st.winner) || fs.presign[0] != st.winner {
		t.Errorf("link %+v %v", l, err)
	}
}
