// Package legacyimport imports a legacy system's export into a clientzone
// deployment through the back-office admin API (see the README section
// "Importing from a legacy system" and infra/cmd/legacy-import). Every
// request is an idempotent upsert, so an interrupted or partly failed
// import is simply run again.
package legacyimport

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// Record kinds, in import order (later kinds refer to earlier ones).
const (
	KindTariffs          = "tariffs"
	KindCustomers        = "customers"
	KindPersons          = "persons"
	KindContracts        = "contracts"
	KindInvoices         = "invoices"
	KindServiceProtocols = "service-protocols"
	KindSupportRequests  = "support-requests"
	KindCalls            = "calls"
	KindTraffic          = "traffic"
)

// Kinds lists every kind in import order.
var Kinds = []string{KindTariffs, KindCustomers, KindPersons, KindContracts, KindInvoices, KindServiceProtocols, KindSupportRequests, KindCalls, KindTraffic}

var files = map[string]string{
	KindTariffs: "tariffs.jsonl", KindCustomers: "customers.jsonl", KindPersons: "persons.jsonl", KindContracts: "contracts.jsonl",
	KindInvoices: "invoices.jsonl", KindServiceProtocols: "service-protocols.jsonl", KindSupportRequests: "support-requests.jsonl",
	KindCalls: "calls.csv", KindTraffic: "traffic.csv",
}

// Record is one line of the export.
type Record struct {
	Kind string `json:"kind"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Key identifies the record ("<customerId>/<id>", ...).
	Key string `json:"key"`
}

// Request is one admin API call carrying one or more records.
type Request struct {
	Kind    string
	Method  string
	Path    string
	Body    []byte
	Records []Record
	// Partial requests answer 200 with per-record "errors" (persons import).
	Partial bool
}

// Failure is a record that could not be imported.
type Failure struct {
	Record
	Status int          `json:"status,omitempty"` // HTTP status; 0 when the record was not sent
	Code   string       `json:"code"`
	Detail string       `json:"detail"`
	Fields []FieldError `json:"fields,omitempty"`
}

// FieldError is a field error of a problem answer.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Plan is what an export turns into: requests by kind, and the records
// that are already invalid in the export.
type Plan struct {
	Requests map[string][]*Request
	Invalid  []Failure
	Records  int
}

// source reads the export's files from a directory or a .zip archive.
type source interface {
	open(name string) (io.ReadCloser, error)
	close() error
}

type dirSource string

func (d dirSource) open(name string) (io.ReadCloser, error) {
	return os.Open(path.Join(string(d), name))
}
func (dirSource) close() error { return nil }

type zipSource struct{ r *zip.ReadCloser }

func (z zipSource) open(name string) (io.ReadCloser, error) {
	for _, f := range z.r.File { // at the root or in one top folder
		if f.Name == name || path.Base(f.Name) == name && strings.Count(f.Name, "/") == 1 {
			return f.Open()
		}
	}
	return nil, fs.ErrNotExist
}
func (z zipSource) close() error { return z.r.Close() }

// Options of building a plan.
type PlanOptions struct {
	// BatchSize is the number of calls or traffic records per request
	// (≤ 1000); persons go 100 per request.
	BatchSize int
	// Only limits the import to these kinds (all when empty).
	Only []string
}

// Load reads the export at p (a directory or a .zip file) into a plan.
// Missing files are skipped; malformed lines become Invalid failures.
func Load(p string, o PlanOptions) (*Plan, error) {
	var src source = dirSource(p)
	if strings.HasSuffix(strings.ToLower(p), ".zip") {
		r, err := zip.OpenReader(p)
		if err != nil {
			return nil, err
		}
		src = zipSource{r}
	} else if st, err := os.Stat(p); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s is neither a directory nor a .zip file", p)
	}
	defer src.close()
	if o.BatchSize <= 0 || o.BatchSize > 1000 {
		o.BatchSize = 500
	}
	plan := &Plan{Requests: map[string][]*Request{}}
	found := 0
	for _, kind := range Kinds {
		if len(o.Only) > 0 && !contains(o.Only, kind) {
			continue
		}
		rc, err := src.open(files[kind])
		if err != nil {
			if os.IsNotExist(err) || err == fs.ErrNotExist {
				continue
			}
			return nil, err
		}
		found++
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(files[kind], ".csv") {
			err = plan.csvKind(kind, b, o.BatchSize)
		} else {
			err = plan.jsonlKind(kind, b)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", files[kind], err)
		}
	}
	if found == 0 {
		return nil, fmt.Errorf("%s holds none of the export files (customers.jsonl, ...)", p)
	}
	return plan, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (p *Plan) invalid(r Record, msg string) {
	p.Invalid = append(p.Invalid, Failure{Record: r, Code: "invalid_export", Detail: msg})
}

func seg(s string) string { return url.PathEscape(s) }

// takeString removes and returns the string field name of m.
func takeString(m map[string]json.RawMessage, name string) (string, bool) {
	raw, ok := m[name]
	if !ok {
		return "", false
	}
	delete(m, name)
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return "", false
	}
	return s, true
}

func (p *Plan) jsonlKind(kind string, b []byte) error {
	type personBatch struct {
		cid     string
		persons []json.RawMessage
		recs    []Record
	}
	var batches []*personBatch
	open := map[string]*personBatch{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "//") {
			continue
		}
		p.Records++
		rec := Record{Kind: kind, File: files[kind], Line: line}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			p.invalid(rec, "not a JSON object: "+err.Error())
			continue
		}
		need := func(names ...string) ([]string, bool) {
			var out []string
			for _, n := range names {
				v, ok := takeString(m, n)
				if !ok {
					p.invalid(rec, "missing "+n)
					return nil, false
				}
				out = append(out, v)
			}
			rec.Key = strings.Join(out, "/")
			return out, true
		}
		body := func() []byte { b, _ := json.Marshal(m); return b }
		add := func(path string) {
			p.Requests[kind] = append(p.Requests[kind], &Request{Kind: kind, Method: "PUT", Path: path, Body: body(), Records: []Record{rec}})
		}
		switch kind {
		case KindTariffs:
			if k, ok := need("id"); ok {
				add("/admin/v1/tariffs/" + seg(k[0]))
			}
		case KindCustomers:
			if k, ok := need("id"); ok {
				add("/admin/v1/customers/" + seg(k[0]))
			}
		case KindContracts:
			if k, ok := need("customerId", "id"); ok {
				add("/admin/v1/customers/" + seg(k[0]) + "/contracts/" + seg(k[1]))
			}
		case KindInvoices:
			if k, ok := need("customerId", "id"); ok {
				var issued struct {
					IssuedOn string `json:"issuedOn"`
				}
				_ = json.Unmarshal([]byte(text), &issued)
				add("/admin/v1/customers/" + seg(k[0]) + "/invoices/" + InvoiceID(k[0], k[1], issued.IssuedOn))
			}
		case KindServiceProtocols:
			if k, ok := need("customerId", "contractId", "id"); ok {
				add("/admin/v1/customers/" + seg(k[0]) + "/contracts/" + seg(k[1]) + "/service-protocols/" + seg(k[2]))
			}
		case KindSupportRequests:
			if k, ok := need("customerId", "contractId", "id"); ok {
				add("/admin/v1/customers/" + seg(k[0]) + "/contracts/" + seg(k[1]) + "/support-requests/" + seg(k[2]))
			}
		case KindPersons:
			k, ok := need("customerId")
			if !ok {
				continue
			}
			var id struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			}
			_ = json.Unmarshal([]byte(text), &id)
			rec.Key = k[0] + "/" + firstNonEmpty(id.ID, id.Email)
			pb := open[k[0]]
			if pb == nil || len(pb.persons) == 100 {
				pb = &personBatch{cid: k[0]}
				open[k[0]] = pb
				batches = append(batches, pb)
			}
			pb.persons = append(pb.persons, body())
			pb.recs = append(pb.recs, rec)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, pb := range batches {
		b, _ := json.Marshal(map[string]any{"persons": pb.persons})
		p.Requests[kind] = append(p.Requests[kind], &Request{Kind: kind, Method: "POST", Path: "/admin/v1/customers/" + seg(pb.cid) + "/persons/import",
			Body: b, Records: pb.recs, Partial: true})
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// InvoiceID is the clientzone id of a legacy invoice: the id itself when it
// is a ULID, otherwise a ULID derived from the issue date and the legacy
// ids, the same on every run (so a re-run replaces, never duplicates) and
// sorting by issue date like native ids.
func InvoiceID(customerID, legacyID, issuedOn string) string {
	if id, err := ulid.ParseStrict(legacyID); err == nil {
		return id.String()
	}
	t, err := time.Parse(time.DateOnly, issuedOn)
	if err != nil {
		t = time.Unix(0, 0)
	}
	sum := sha256.Sum256([]byte("legacy-invoice\x00" + customerID + "\x00" + legacyID))
	return ulid.MustNew(ulid.Timestamp(t), bytes.NewReader(sum[:])).String()
}

// CSV columns of calls.csv and traffic.csv.
var (
	callColumns    = []string{"customer_id", "contract_id", "id", "started_at", "direction", "from", "to", "destination", "duration_seconds", "price_amount", "price_currency"}
	trafficColumns = []string{"customer_id", "contract_id", "date", "ip", "download_bytes", "upload_bytes"}
)

func (p *Plan) csvKind(kind string, b []byte, batch int) error {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	want := callColumns
	if kind == KindTraffic {
		want = trafficColumns
	}
	for _, c := range want {
		if _, ok := col[c]; !ok && c != "destination" && c != "ip" {
			return fmt.Errorf("the header lacks column %q", c)
		}
	}
	type group struct {
		cid, ctid string
		items     []any
		recs      []Record
	}
	var groups []*group
	open := map[string]*group{}
	line := 1
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return err
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		p.Records++
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		rec := Record{Kind: kind, File: files[kind], Line: line}
		cid, ctid := get("customer_id"), get("contract_id")
		if cid == "" || ctid == "" {
			p.invalid(rec, "missing customer_id or contract_id")
			continue
		}
		num := func(c string) (int64, bool) {
			n, err := strconv.ParseInt(get(c), 10, 64)
			if err != nil {
				p.invalid(rec, c+" is not an integer")
				return 0, false
			}
			return n, true
		}
		var item any
		if kind == KindCalls {
			rec.Key = cid + "/" + ctid + "/" + get("id")
			dur, ok1 := num("duration_seconds")
			amt, ok2 := num("price_amount")
			if !ok1 || !ok2 {
				continue
			}
			item = map[string]any{"id": get("id"), "startedAt": get("started_at"), "direction": get("direction"), "from": get("from"),
				"to": get("to"), "destination": get("destination"), "durationSeconds": dur,
				"price": map[string]any{"amount": amt, "currency": get("price_currency")}}
		} else {
			rec.Key = cid + "/" + ctid + "/" + get("date") + "/" + get("ip")
			down, ok1 := num("download_bytes")
			up, ok2 := num("upload_bytes")
			if !ok1 || !ok2 {
				continue
			}
			m := map[string]any{"date": get("date"), "downloadBytes": down, "uploadBytes": up}
			if ip := get("ip"); ip != "" {
				m["ip"] = ip
			}
			item = m
		}
		k := cid + "\x00" + ctid
		g := open[k]
		if g == nil || len(g.items) == batch {
			g = &group{cid: cid, ctid: ctid}
			open[k] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, item)
		g.recs = append(g.recs, rec)
	}
	field, suffix := "calls", "/calls"
	if kind == KindTraffic {
		field, suffix = "records", "/traffic"
	}
	for _, g := range groups {
		b, _ := json.Marshal(map[string]any{field: g.items})
		p.Requests[kind] = append(p.Requests[kind], &Request{Kind: kind, Method: "POST",
			Path: "/admin/v1/customers/" + seg(g.cid) + "/contracts/" + seg(g.ctid) + suffix, Body: b, Records: g.recs})
	}
	return nil
}
