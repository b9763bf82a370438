package devserver

import (
	"encoding/json"
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/notify"
)

// MailboxPath is the dev mailbox: every outbox message of today and
// yesterday (or of ?day=YYYY-MM-DD), rendered as it would be sent (codes
// and links included).
const MailboxPath = "/dev/mailbox"

// MailboxEntry is one message of the dev mailbox.
type MailboxEntry struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	Channel   string    `json:"channel"`
	To        string    `json:"to"`
	Template  string    `json:"template"`
	Language  string    `json:"language"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body"`
	Error     string    `json:"error,omitempty"` // the sender would mark it failed
}

var mailboxPage = template.Must(template.New("mailbox").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Brand}} dev mailbox</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}article{border:1px solid #ccc;border-radius:4px;padding:.5em 1em;margin:1em 0}
pre{white-space:pre-wrap}.meta{color:#666;font-size:.9em}.err{color:#b00}</style></head>
<body><h1>{{.Brand}} dev mailbox</h1><p>{{len .Messages}} message(s) from the outbox of {{.Days}}, newest first. <a href="?format=json">JSON</a></p>
{{range .Messages}}<article><div class="meta">{{.CreatedAt.Format "2006-01-02 15:04:05Z"}} · {{.Channel}} to <b>{{.To}}</b> · {{.Template}} ({{.Language}}) · {{.ID}}</div>
{{if .Error}}<p class="err">{{.Error}}</p>{{else}}{{if .Subject}}<h3>{{.Subject}}</h3>{{end}}<pre>{{.Body}}</pre>{{end}}</article>
{{else}}<p>No messages yet.</p>{{end}}
</body></html>`))

// mailbox serves MailboxPath (dev server only: it shows secrets).
func mailbox(d *app.Deps) (http.Handler, error) {
	r, err := notify.NewRenderer(d.Config.Brand)
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		days, label, bad := outboxDays(req, d.Clock)
		if bad != nil {
			bad.write(w)
			return
		}
		var list []MailboxEntry
		for _, day := range days {
			msgs, err := d.DB.OutboxMessages(req.Context(), day)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			for _, m := range msgs {
				e := MailboxEntry{ID: m.ID, CreatedAt: m.CreatedAt, Channel: m.Channel, To: m.To, Template: m.Template, Language: string(m.Language)}
				if out, err := r.Render(m); err != nil {
					e.Error = err.Error()
				} else {
					e.Subject, e.Body, e.Language = out.Subject, out.Body, string(out.Language)
				}
				list = append(list, e)
			}
		}
		sort.SliceStable(list, func(i, j int) bool {
			if !list[i].CreatedAt.Equal(list[j].CreatedAt) {
				return list[i].CreatedAt.After(list[j].CreatedAt)
			}
			return list[i].ID > list[j].ID
		})
		w.Header().Set("Cache-Control", "no-store")
		if req.URL.Query().Get("format") == "json" {
			w.Header().Set("Content-Type", "application/json")
			if list == nil {
				list = []MailboxEntry{}
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"messages": list})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = mailboxPage.Execute(w, map[string]any{"Brand": d.Config.Brand, "Messages": list, "Days": label})
	}), nil
}

// outboxDays are the outbox days a dev page lists: the day of
// ?day=YYYY-MM-DD (e.g. the day of a job run with another now), else today
// and yesterday by clock; label describes them. A malformed day is a 400
// problem.
func outboxDays(req *http.Request, clock clientzone.Clock) (days []time.Time, label string, bad *devProblem) {
	q := req.URL.Query()
	if !q.Has("day") {
		now := clock.Now()
		return []time.Time{now, now.AddDate(0, 0, -1)}, "today and yesterday", nil
	}
	day, err := time.Parse(time.DateOnly, q.Get("day"))
	if err != nil {
		p := invalidField(req, "day", "datetime", "Use a date such as 2026-12-01.")
		return nil, "", &p
	}
	return []time.Time{day}, day.Format(time.DateOnly), nil
}
