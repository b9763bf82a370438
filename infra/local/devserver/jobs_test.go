package devserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/schedule"
)

// devProblemOf decodes a problem+json answer of a dev endpoint.
func devProblemOf(t *testing.T, what string, status int, header http.Header, body []byte, wantStatus int, wantCode string) devProblem {
	t.Helper()
	var p devProblem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("%s: %d %s: %v", what, status, body, err)
	}
	if status != wantStatus || header.Get("Content-Type") != "application/problem+json" || header.Get("Cache-Control") != "no-store" ||
		p.Status != wantStatus || p.Code != wantCode || p.Type != "https://clientzone.dev/problems/"+wantCode || p.Detail == "" {
		t.Fatalf("%s: %d %v %s, want a %d %s problem", what, status, header, body, wantStatus, wantCode)
	}
	return p
}

// mailboxTo lists the dev mailbox's messages to one address (query: "" or
// "&day=...").
func mailboxTo(t *testing.T, base, to, query string) []MailboxEntry {
	t.Helper()
	r := do(t, "GET", base+MailboxPath+"?format=json"+query, "", "")
	if r.status != 200 {
		t.Fatalf("mailbox: %d %s", r.status, r.body)
	}
	var box struct {
		Messages []MailboxEntry `json:"messages"`
	}
	if err := json.Unmarshal(r.body, &box); err != nil {
		t.Fatal(err)
	}
	var out []MailboxEntry
	for _, m := range box.Messages {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// runJob posts to the dev jobs endpoint; query is "" or "?now=...".
func runJob(t *testing.T, base, job, query string) (schedule.Report, response) {
	t.Helper()
	r := do(t, "POST", base+"/dev/jobs/"+job+query, "", "")
	var rep schedule.Report
	if r.status == 200 {
		if err := json.Unmarshal(r.body, &rep); err != nil {
			t.Fatalf("report %s: %v", r.body, err)
		}
	}
	return rep, r
}

// TestDevJobsExpiryReminders runs the expiry-reminders job through POST
// /dev/jobs/{job}?now= on a customer and contract made through the back
// office: the reminder is in the dev mailbox (also under ?day=), and a
// second run, with the same now or the clock's, sends nothing again.
func TestDevJobsExpiryReminders(t *testing.T) {
	t.Parallel()
	_, srv, _ := newStack(t)
	base := srv.URL
	suffix := strings.ToLower(clientzone.NewID())
	cid, email := "crm-job-"+suffix, "job-"+suffix+"@example.sk"
	now := time.Now().UTC().Truncate(time.Second)
	expires := now.AddDate(0, 0, 30).Format(time.DateOnly)

	for _, step := range []struct{ path, body string }{
		{"/admin/v1/tariffs/t-web-" + suffix, `{"kind":"hosting","name":"Web Test","price":{"amount":1200,"currency":"EUR"},"billingPeriod":"yearly","available":true}`},
		{"/admin/v1/customers/" + cid, customerBody(func(m map[string]any) { m["email"], m["variableSymbol"] = email, "4000017" })},
		{"/admin/v1/customers/" + cid + "/contracts/CT-" + suffix, `{"number":"J-` + suffix + `","status":"active","signedAt":"2026-01-10T10:00:00Z","services":[` +
			`{"id":"WEB-` + suffix + `","kind":"hosting","name":"Web Test ` + suffix + `","tariffId":"t-web-` + suffix + `","status":"active",` +
			`"billingPeriod":"yearly","price":{"amount":1200,"currency":"EUR"},"expiresOn":"` + expires + `"}]}`},
	} {
		if r := do(t, "PUT", base+step.path, "", step.body); r.status != 200 && r.status != 201 {
			t.Fatalf("PUT %s: %d %s", step.path, r.status, r.body)
		}
	}
	if got := mailboxTo(t, base, email, ""); len(got) != 0 {
		t.Fatalf("mailbox before the run: %+v", got)
	}

	q := "?now=" + url.QueryEscape(now.Format(time.RFC3339))
	rep, r := runJob(t, base, "expiry-reminders", q)
	if r.status != 200 || rep.Job != "expiry-reminders" || rep.Now != now.Format(time.RFC3339) || rep.Found < 1 || rep.Done < 1 ||
		rep.Failed != 0 || rep.DynamoCalls < 1 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("first run: %d %s", r.status, r.body)
	}
	got := mailboxTo(t, base, email, "")
	if len(got) != 1 || got[0].Template != "expiry-reminder" || got[0].Error != "" ||
		!strings.Contains(got[0].Body, "Web Test "+suffix) || !strings.Contains(got[0].Body+got[0].Subject, "30") {
		t.Fatalf("mailbox after the run: %+v", got)
	}
	if byDay := mailboxTo(t, base, email, "&day="+now.Format(time.DateOnly)); len(byDay) != 1 || byDay[0].ID != got[0].ID {
		t.Fatalf("mailbox of %s: %+v", now.Format(time.DateOnly), byDay)
	}
	if other := mailboxTo(t, base, email, "&day="+now.AddDate(0, 0, -3).Format(time.DateOnly)); len(other) != 0 {
		t.Fatalf("mailbox of another day: %+v", other)
	}

	// Exactly once: the same now again, and the clock's now (the same day).
	for _, q := range []string{q, ""} {
		rep, r := runJob(t, base, "expiry-reminders", q)
		if r.status != 200 || rep.Done != 0 || rep.Failed != 0 || rep.Found < 1 || rep.Skipped != rep.Found {
			t.Fatalf("rerun %q: %d %s; want everything skipped", q, r.status, r.body)
		}
	}
	if again := mailboxTo(t, base, email, ""); len(again) != 1 {
		t.Fatalf("mailbox after the reruns: %d messages to %s", len(again), email)
	}
}

// TestDevJobsBadRequests: an unknown job is a 404 problem listing the
// jobs, a bad now a 400 problem naming it, a bad mailbox day likewise.
func TestDevJobsBadRequests(t *testing.T) {
	t.Parallel()
	st, srv, _ := newStack(t)
	base := srv.URL

	r := do(t, "POST", base+"/dev/jobs/backup", "", "")
	p := devProblemOf(t, "unknown job", r.status, r.header, r.body, 404, clientzone.ENOTFOUND)
	want := []string{"autopay", "expiry-reminders", "overdue-reminders", "suspension-fees"}
	if !slices.Equal(p.Jobs, want) || !slices.Equal(st.Jobs, want) || p.RequestID == "" || p.RequestID != r.header.Get("X-Request-Id") ||
		!strings.Contains(p.Detail, "expiry-reminders") {
		t.Errorf("unknown job: %s (stack jobs %v)", r.body, st.Jobs)
	}

	for _, now := range []string{"2026-12-01", "yesterday", "", "2026-12-01T06:00:00"} {
		r := do(t, "POST", base+"/dev/jobs/autopay?now="+url.QueryEscape(now), "", "")
		p := devProblemOf(t, "now="+now, r.status, r.header, r.body, 400, clientzone.EINVALID)
		if len(p.Errors) != 1 || p.Errors[0].Field != "now" || p.Errors[0].Code != "datetime" || p.Errors[0].Message == "" {
			t.Errorf("now=%q: %s", now, r.body)
		}
	}

	for _, path := range []string{MailboxPath, EventsPath} {
		r := do(t, "GET", base+path+"?format=json&day=2026-13-01", "", "")
		p := devProblemOf(t, path, r.status, r.header, r.body, 400, clientzone.EINVALID)
		if len(p.Errors) != 1 || p.Errors[0].Field != "day" {
			t.Errorf("%s?day=2026-13-01: %s", path, r.body)
		}
	}
}

// TestDevJobsFailure: a run that fails (here its table is missing) is a
// 500 problem carrying the report but no internals; the cause is logged.
func TestDevJobsFailure(t *testing.T) {
	t.Parallel()
	st, _, logs := newStack(t)
	broken := *st.Deps
	broken.Config.TableName = "missing-" + strings.ToLower(clientzone.NewID())
	h, _ := jobRunner(&broken)
	mux := http.NewServeMux()
	mux.Handle("POST "+JobsPath, h)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("POST", "/dev/jobs/expiry-reminders?now=2026-12-01T06:00:00Z", nil))
	p := devProblemOf(t, "failed run", w.Code, w.Header(), w.Body.Bytes(), 500, clientzone.EINTERNAL)
	if p.Report == nil || p.Report.Job != "expiry-reminders" || p.Report.Now != "2026-12-01T06:00:00Z" || p.Detail != "Internal error." {
		t.Fatalf("failed run: %s", w.Body)
	}
	if body := w.Body.String(); strings.Contains(body, "ResourceNotFound") || strings.Contains(body, "table") || strings.Contains(body, "EXPIRY#") {
		t.Fatalf("the problem leaks the cause: %s", body)
	}
	if !strings.Contains(logs.String(), `"message":"job failed"`) || !strings.Contains(logs.String(), "ResourceNotFoundException") {
		t.Fatalf("the cause is not logged:\n%s", logs)
	}

	// Bad job settings stop the dev server from starting: Start reads its
	// configuration with app.ConfigFromEnv, as the Lambdas do.
	if _, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"TABLE_NAME": st.Deps.Config.TableName, "SUSPENSION_DAILY_FEE": "EUR:lots"}[k]
	}); err == nil || !strings.Contains(err.Error(), "SUSPENSION_DAILY_FEE") {
		t.Fatalf("bad SUSPENSION_DAILY_FEE: %v", err)
	}
}
