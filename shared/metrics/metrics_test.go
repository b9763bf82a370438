package metrics_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/metrics"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
)

var at = time.Date(2026, 12, 1, 6, 0, 0, 123_000_000, time.UTC)

func TestCountWritesOneEMFLine(t *testing.T) {
	tests := []struct {
		name, ns, metric string
		n                int
	}{
		{"login", "clientzone", "LoginSucceeded", 1},
		{"stack namespace", "clientzone/prod-eu", "PaymentSettled", 1},
		{"several at once", "clientzone", "OutboxDelivered", 25},
		{"zero is a data point", "clientzone", "JobFailed", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			metrics.New(&buf, tt.ns, func() time.Time { return at }).Count(tt.metric, tt.n)
			out := buf.String()
			if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
				t.Fatalf("want one newline-terminated line, got %q", out)
			}
			// The line decoded generically: exactly the EMF structure.
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"_aws": map[string]any{
					"Timestamp": float64(at.UnixMilli()),
					"CloudWatchMetrics": []any{map[string]any{
						"Namespace":  tt.ns,
						"Dimensions": []any{[]any{}},
						"Metrics":    []any{map[string]any{"Name": tt.metric, "Unit": "Count"}},
					}},
				},
				"level":   "INFO",
				tt.metric: float64(tt.n),
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("line %s\nwant %v", out, want)
			}
			// And through the test reader the other packages use.
			l, err := metricstest.Parse(bytes.TrimSpace(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if l != (metricstest.Line{Namespace: tt.ns, Timestamp: at.Truncate(time.Millisecond), Name: tt.metric, Value: tt.n}) {
				t.Errorf("parsed %+v", l)
			}
		})
	}
}

func TestCountDropsWhatCannotBeAMetric(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
	}{
		{"", 1},
		{"_aws", 1},
		{"level", 1},
		{"Bad\nName", 1},
		{strings.Repeat("x", 256), 1},
		{"LoginFailed", -1},
	} {
		var buf bytes.Buffer
		metrics.New(&buf, "clientzone", nil).Count(tc.name, tc.n)
		if buf.Len() != 0 {
			t.Errorf("Count(%q, %d) wrote %s", tc.name, tc.n, buf.String())
		}
	}
}

func TestNilWriterCountsNothing(t *testing.T) {
	var w *metrics.Writer
	w.Count("LoginSucceeded", 1) // must not panic
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

func TestWriteErrorDoesNotReachTheCaller(t *testing.T) {
	metrics.New(failingWriter{}, "clientzone", nil).Count("LoginSucceeded", 1) // must not panic
}

func TestConcurrentCountsStayWholeLines(t *testing.T) {
	w, rec := metricstest.New(func() time.Time { return at })
	names := []string{"LoginSucceeded", "LoginFailed", "PaymentSettled", "OutboxDelivered"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 50 {
				w.Count(names[g%len(names)], 1)
			}
		})
	}
	wg.Wait()
	lines := rec.Lines(t) // fails on any interleaved or broken line
	if len(lines) != 400 {
		t.Fatalf("%d lines, want 400", len(lines))
	}
	for _, n := range names {
		if got := rec.Sum(t, n); got != 100 {
			t.Errorf("%s = %d, want 100", n, got)
		}
	}
}

func TestCheckNamespace(t *testing.T) {
	for _, tc := range []struct {
		ns string
		ok bool
	}{
		{"clientzone", true},
		{"clientzone/my-stack", true},
		{"Client Zone/prod_1.eu#a:b", true},
		{"", false},
		{"   ", false},
		{"AWS/Lambda", false},
		{"clientzone/é", false},
		{"clientzone/{stack}", false},
		{strings.Repeat("a", 256), false},
	} {
		if err := metrics.CheckNamespace(tc.ns); (err == nil) != tc.ok {
			t.Errorf("CheckNamespace(%q) = %v, want ok=%v", tc.ns, err, tc.ok)
		}
	}
}

// Parse refuses lines that are not what Count writes, so the flow tests
// that read lines through it also check the format.
func TestParseRefusesOtherLines(t *testing.T) {
	const aws = `"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[{"Name":"M","Unit":"Count"}]}]}`
	if _, err := metricstest.Parse([]byte(`{` + aws + `,"level":"INFO","M":1}`)); err != nil {
		t.Fatalf("the reference line: %v", err)
	}
	for name, line := range map[string]string{
		"not JSON":          `LoginSucceeded 1`,
		"no _aws":           `{"level":"INFO","M":1}`,
		"no level":          `{` + aws + `,"M":1}`,
		"level DEBUG":       `{` + aws + `,"level":"DEBUG","M":1}`,
		"no value":          `{` + aws + `,"level":"INFO"}`,
		"value not a count": `{` + aws + `,"level":"INFO","M":1.5}`,
		"extra member":      `{` + aws + `,"level":"INFO","M":1,"email":"jan@example.sk"}`,
		"a dimension":       strings.Replace(`{`+aws+`,"level":"INFO","M":1}`, `[[]]`, `[["customer"]]`, 1),
		"other unit":        strings.Replace(`{`+aws+`,"level":"INFO","M":1}`, `"Count"`, `"Seconds"`, 1),
		"no timestamp":      strings.Replace(`{`+aws+`,"level":"INFO","M":1}`, `"Timestamp":1,`, ``, 1),
		"unknown _aws key":  strings.Replace(`{`+aws+`,"level":"INFO","M":1}`, `"Timestamp":1,`, `"Timestamp":1,"X":2,`, 1),
	} {
		if _, err := metricstest.Parse([]byte(line)); err == nil {
			t.Errorf("%s: accepted %s", name, line)
		}
	}
}
