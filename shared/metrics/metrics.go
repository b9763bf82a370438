// Package metrics writes business metrics as CloudWatch Embedded Metric
// Format (EMF) log lines: one JSON object per line on the function's
// stdout, from which CloudWatch Logs extracts the metric. No CloudWatch
// client is created, so counting costs a cold start nothing and a request
// no network call.
//
// Every line carries one Count metric without dimensions (Dimensions
// [[]]), so alarms name a metric by namespace and name only, and
// "level": "INFO", so Lambda's JSON log format and its log-level filter
// keep it (an application log level above INFO would drop metrics too).
// A line holds the namespace, the timestamp, the metric name and its
// value, nothing else: no personal data or secrets can reach it.
//
//	{"LoginSucceeded":1,"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"clientzone/prod","Dimensions":[[]],"Metrics":[{"Name":"LoginSucceeded","Unit":"Count"}]}]},"level":"INFO"}
//
// Use cases count when the event happens (one line per event; JobFailed
// once per job run), so a process that dies later loses no count; they declare the one-method
// interface they need themselves (account.Metrics, billing.Metrics,
// schedule.Metrics, notify.Metrics), which *Writer implements. The names
// are theirs too: LoginSucceeded and LoginFailed (account),
// PaymentSettled (billing), ReminderSent and JobFailed (schedule),
// OutboxDelivered and OutboxFailed (notify).
package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Writer writes EMF lines to an io.Writer; it is safe for concurrent use
// (each line is one Write call, never interleaved with another). A nil
// *Writer counts nothing, so tests and tools need no setup.
type Writer struct {
	out       io.Writer
	namespace string
	now       func() time.Time
	mu        sync.Mutex
}

// New returns a writer of metrics in namespace to out, timestamped by now
// (time.Now when nil). The namespace is checked by CheckNamespace when the
// configuration is read.
func New(out io.Writer, namespace string, now func() time.Time) *Writer {
	if now == nil {
		now = time.Now
	}
	return &Writer{out: out, namespace: namespace, now: now}
}

// Count writes one line with metric name = n (unit Count). Counting never
// fails the caller: a write error is dropped (stdout in Lambda), and so is
// a name CheckName refuses or a negative n (a programming error that the
// tests of the counting package catch as a missing line).
func (w *Writer) Count(name string, n int) {
	if w == nil || n < 0 || CheckName(name) != nil {
		return
	}
	line, err := json.Marshal(map[string]any{
		"_aws": emfMeta{
			Timestamp: w.now().UnixMilli(),
			CloudWatchMetrics: []emfDirective{{
				Namespace:  w.namespace,
				Dimensions: [][]string{{}},
				Metrics:    []emfMetric{{Name: name, Unit: "Count"}},
			}},
		},
		"level": "INFO",
		name:    n,
	})
	if err != nil {
		return // not reachable: only strings and integers
	}
	line = append(line, '\n')
	w.mu.Lock()
	defer w.mu.Unlock()
	_, _ = w.out.Write(line)
}

// emfMeta is the "_aws" member of an EMF line.
type emfMeta struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// CheckName reports whether name can be a metric of a line: 1 to 255
// characters of valid UTF-8 without control characters, and not a member
// the line itself uses ("_aws", "level").
func CheckName(name string) error {
	switch {
	case name == "" || len(name) > 255:
		return errors.New("metrics: a metric name has 1 to 255 characters")
	case name == "_aws" || name == "level":
		return fmt.Errorf("metrics: %q is a reserved member of the log line", name)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("metrics: %q has invalid characters", name)
	}
	return nil
}

// CheckNamespace reports whether ns is a CloudWatch namespace we may
// publish to: 1 to 255 ASCII letters, digits and . - _ / # : or spaces,
// at least one of them not a space, and not under the reserved "AWS/".
func CheckNamespace(ns string) error {
	if ns == "" || len(ns) > 255 || strings.TrimSpace(ns) == "" {
		return errors.New("metrics: a namespace has 1 to 255 characters, not only spaces")
	}
	for _, r := range ns {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_/#: ", r)
		if !ok {
			return fmt.Errorf("metrics: namespace %q: %q is not allowed (letters, digits and . - _ / # : space)", ns, r)
		}
	}
	if strings.HasPrefix(ns, "AWS/") {
		return fmt.Errorf("metrics: namespace %q: AWS/ is reserved for AWS services", ns)
	}
	return nil
}
