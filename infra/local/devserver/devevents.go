package devserver

import (
	"encoding/json"
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// EventsPath is the dev event log: every EventBridge event in the outbox of
// today and yesterday (or of ?day=YYYY-MM-DD), as the outbox sender would
// publish it (source, detail-type, detail) with its delivery state.
const EventsPath = "/dev/events"

// DevEvent is one event of the dev event log.
type DevEvent struct {
	ID         string          `json:"id"`
	CreatedAt  time.Time       `json:"createdAt"`
	Source     string          `json:"source"`
	DetailType string          `json:"detailType"`
	Detail     json.RawMessage `json:"detail,omitempty"`
	CustomerID string          `json:"customerId,omitempty"`
	SentAt     string          `json:"sentAt,omitempty"` // set once the sender published it
}

var eventsPage = template.Must(template.New("events").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Brand}} dev events</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}article{border:1px solid #ccc;border-radius:4px;padding:.5em 1em;margin:1em 0}
pre{white-space:pre-wrap}.meta{color:#666;font-size:.9em}</style></head>
<body><h1>{{.Brand}} dev events</h1><p>{{len .Events}} EventBridge event(s) from the outbox of {{.Days}}, newest first. <a href="?format=json">JSON</a> · <a href="mailbox">mailbox</a></p>
{{range .Events}}<article><div class="meta">{{.CreatedAt.Format "2006-01-02 15:04:05Z"}} · source {{.Source}} · {{.ID}}{{if .SentAt}} · published {{.SentAt}}{{end}}</div>
<h3>{{.DetailType}}</h3><pre>{{printf "%s" .Detail}}</pre></article>
{{else}}<p>No events yet.</p>{{end}}
</body></html>`))

// devEvents serves EventsPath (dev server only).
func devEvents(d *app.Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		days, label, bad := outboxDays(req, d.Clock)
		if bad != nil {
			bad.write(w)
			return
		}
		list := []DevEvent{}
		for _, day := range days {
			msgs, err := d.DB.OutboxMessages(req.Context(), day)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			for _, m := range msgs {
				if m.Channel != clientzone.ChannelEvent {
					continue
				}
				e := DevEvent{ID: m.ID, CreatedAt: m.CreatedAt, Source: clientzone.EventSource, DetailType: m.Template, CustomerID: m.CustomerID}
				if raw := m.Data["detail"]; json.Valid([]byte(raw)) {
					e.Detail = json.RawMessage(raw)
				}
				if st, err := d.DB.OutboxDelivery(req.Context(), m.CreatedAt, m.ID); err == nil {
					e.SentAt = st.SentAt
				} else if clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
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
			_ = json.NewEncoder(w).Encode(map[string]any{"events": list})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = eventsPage.Execute(w, map[string]any{"Brand": d.Config.Brand, "Events": list, "Days": label})
	})
}
