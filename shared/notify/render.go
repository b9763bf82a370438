// Package notify turns outbox messages into emails, text messages and
// domain events and delivers them: templates in every supported language
// (templates*.go, rendered by the small engine of tmpl.go), the sender of
// the table's DynamoDB stream (sender.go: each message claimed, sent and
// marked sent once, undeliverable ones marked failed, batch item failures
// retried), the operator's redrive of a day's unsent messages (redrive.go),
// and the SES, SNS (deliver.go) and EventBridge (eventbridge.go)
// deliverers.
//
// The package owns its ports: Store (the delivery state of outbox items)
// and UnsentLister, answering in clientzone's OutboxClaim; shared/dynamo's
// DB implements both, and shared/app/outbox wires them. The stream records
// and stored items it reads are DynamoDB attribute values by nature (that
// is what the stream delivers).
package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/template"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Rendered is a message ready to deliver. Subject is empty for SMS; for an
// event (channel "event") Subject is the detail-type and Body the detail.
type Rendered struct {
	ID       string // outbox message id
	Template string
	Channel  string
	To       string
	Language clientzone.Language
	Subject  string
	Body     string
}

// ErrTemplate marks a message that can never be rendered (unknown template,
// channel or language, or missing data): retrying does not help.
var ErrTemplate = errors.New("notify: template")

type compiled struct {
	subject, body, sms *template.Template // nil when the template has no such text
}

// Renderer renders outbox messages with the built-in templates.
type Renderer struct {
	brand     string
	templates map[string]map[clientzone.Language]compiled
}

// NewRenderer parses every template (text/template; a missing key is an
// execution error); brand fills {{.brand}}.
func NewRenderer(brand string) (*Renderer, error) {
	r := &Renderer{brand: brand, templates: map[string]map[clientzone.Language]compiled{}}
	for name, langs := range sources {
		r.templates[name] = map[clientzone.Language]compiled{}
		for lang, t := range langs {
			var c compiled
			id := name + "/" + string(lang)
			for _, f := range []struct {
				dst       **template.Template
				part, src string
			}{{&c.subject, "subject", t.Subject}, {&c.body, "body", t.Body}, {&c.sms, "sms", t.SMS}} {
				if f.src == "" {
					continue // the template has no such text
				}
				tt, err := template.New(id + "/" + f.part).Option("missingkey=error").Parse(f.src)
				if err != nil {
					return nil, fmt.Errorf("notify: %w", err)
				}
				*f.dst = tt
			}
			if (c.subject == nil) != (c.body == nil) {
				return nil, fmt.Errorf("notify: %s: email needs both subject and body", id)
			}
			r.templates[name][lang] = c
		}
	}
	return r, nil
}

// Templates lists the template names.
func Templates() []string {
	out := make([]string, 0, len(sources))
	for n := range sources {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render renders m in its language (English when the language has no
// template). Errors wrap ErrTemplate.
func (r *Renderer) Render(m clientzone.Message) (Rendered, error) {
	out := Rendered{ID: m.ID, Template: m.Template, Channel: m.Channel, To: m.To, Language: m.Language}
	if m.Channel == clientzone.ChannelEvent {
		return renderEvent(out, m)
	}
	langs, ok := r.templates[m.Template]
	if !ok {
		return out, fmt.Errorf("%w: unknown template %q", ErrTemplate, m.Template)
	}
	c, ok := langs[m.Language]
	if !ok {
		c, ok = langs[clientzone.LangEN]
		out.Language = clientzone.LangEN
	}
	if !ok {
		return out, fmt.Errorf("%w: %s has no %s or en text", ErrTemplate, m.Template, m.Language)
	}
	if m.To == "" {
		return out, fmt.Errorf("%w: %s: no recipient", ErrTemplate, m.Template)
	}
	data := make(map[string]string, len(m.Data)+1)
	for k, v := range m.Data {
		data[k] = v
	}
	data["brand"] = r.brand
	exec := func(t *template.Template) (string, error) {
		var b strings.Builder
		if err := t.Execute(&b, data); err != nil {
			// The error names the template and key, never a value.
			return "", fmt.Errorf("%w: %v", ErrTemplate, err)
		}
		return b.String(), nil
	}
	var err error
	switch m.Channel {
	case clientzone.ChannelEmail:
		if c.subject == nil {
			return out, fmt.Errorf("%w: %s has no email text", ErrTemplate, m.Template)
		}
		if out.Subject, err = exec(c.subject); err != nil {
			return out, err
		}
		out.Subject = strings.Join(strings.Fields(out.Subject), " ") // no header injection
		out.Body, err = exec(c.body)
	case clientzone.ChannelSMS:
		if c.sms == nil {
			return out, fmt.Errorf("%w: %s has no SMS text", ErrTemplate, m.Template)
		}
		out.Body, err = exec(c.sms)
	default:
		return out, fmt.Errorf("%w: unknown channel %q", ErrTemplate, m.Channel)
	}
	return out, err
}

// renderEvent checks an EventBridge event of the outbox: Template is the
// detail-type, Body the JSON detail (Data "detail").
func renderEvent(out Rendered, m clientzone.Message) (Rendered, error) {
	out.Subject, out.Body = m.Template, m.Data["detail"]
	if m.Template == "" || len(m.Template) > 128 {
		return out, fmt.Errorf("%w: event without a valid detail-type", ErrTemplate)
	}
	if !json.Valid([]byte(out.Body)) || !strings.HasPrefix(strings.TrimSpace(out.Body), "{") {
		return out, fmt.Errorf("%w: event %s: detail is not a JSON object", ErrTemplate, m.Template)
	}
	return out, nil
}
