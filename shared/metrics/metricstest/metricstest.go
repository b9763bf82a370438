// Package metricstest reads back what a metrics.Writer wrote, for tests:
// every line is parsed and checked against the Embedded Metric Format
// (one Count metric, no dimensions, level INFO, nothing else on the line).
package metricstest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/metrics"
)

// Namespace is the namespace of the writers New returns.
const Namespace = "clientzone/test"

// Line is one parsed metric line.
type Line struct {
	Namespace string
	Timestamp time.Time
	Name      string
	Value     int
}

// Parse decodes one EMF line and checks it is exactly what
// metrics.Writer.Count writes: members "_aws", "level" ("INFO") and the
// metric; one metric directive with a namespace, Dimensions [[]] and one
// metric of unit Count whose value is a non-negative integer member of the
// same name; a positive millisecond timestamp.
func Parse(b []byte) (Line, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return Line{}, fmt.Errorf("not a JSON object: %w", err)
	}
	var meta struct {
		Timestamp         *int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string     `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name string `json:"Name"`
				Unit string `json:"Unit"`
			} `json:"Metrics"`
		} `json:"CloudWatchMetrics"`
	}
	dec := json.NewDecoder(bytes.NewReader(top["_aws"]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&meta); err != nil {
		return Line{}, fmt.Errorf("_aws: %w", err)
	}
	if meta.Timestamp == nil || *meta.Timestamp <= 0 {
		return Line{}, errors.New("_aws.Timestamp: want epoch milliseconds")
	}
	if len(meta.CloudWatchMetrics) != 1 {
		return Line{}, fmt.Errorf("_aws.CloudWatchMetrics: %d directives, want 1", len(meta.CloudWatchMetrics))
	}
	d := meta.CloudWatchMetrics[0]
	if err := metrics.CheckNamespace(d.Namespace); err != nil {
		return Line{}, err
	}
	if !reflect.DeepEqual(d.Dimensions, [][]string{{}}) {
		return Line{}, fmt.Errorf("_aws.CloudWatchMetrics[0].Dimensions = %v, want [[]]", d.Dimensions)
	}
	if len(d.Metrics) != 1 || d.Metrics[0].Unit != "Count" {
		return Line{}, fmt.Errorf("_aws.CloudWatchMetrics[0].Metrics = %+v, want one of unit Count", d.Metrics)
	}
	name := d.Metrics[0].Name
	if err := metrics.CheckName(name); err != nil {
		return Line{}, err
	}
	var level string
	if err := json.Unmarshal(top["level"], &level); err != nil || level != "INFO" {
		return Line{}, fmt.Errorf("level = %s, want \"INFO\"", top["level"])
	}
	var value int
	if err := json.Unmarshal(top[name], &value); err != nil || value < 0 {
		return Line{}, fmt.Errorf("member %q = %s, want a count", name, top[name])
	}
	if len(top) != 3 {
		return Line{}, fmt.Errorf("%d members, want _aws, level and %s only", len(top), name)
	}
	return Line{Namespace: d.Namespace, Timestamp: time.UnixMilli(*meta.Timestamp).UTC(), Name: name, Value: value}, nil
}

// Recorder is an io.Writer keeping a metrics.Writer's lines; safe for
// concurrent use.
type Recorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// New returns a writer in Namespace, timestamped by now, and its recorder.
func New(now func() time.Time) (*metrics.Writer, *Recorder) {
	r := &Recorder{}
	return metrics.New(r, Namespace, now), r
}

func (r *Recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.Write(p)
}

// Lines parses every line written so far; an invalid one fails t.
func (r *Recorder) Lines(t testing.TB) []Line {
	t.Helper()
	r.mu.Lock()
	raw := bytes.Clone(r.buf.Bytes())
	r.mu.Unlock()
	var out []Line
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		l, err := Parse(sc.Bytes())
		if err != nil {
			t.Fatalf("metric line %s: %v", sc.Bytes(), err)
		}
		out = append(out, l)
	}
	return out
}

// Sums are the totals of every metric written so far, by name.
func (r *Recorder) Sums(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, l := range r.Lines(t) {
		out[l.Name] += l.Value
	}
	return out
}

// Sum is the total of metric name written so far.
func (r *Recorder) Sum(t testing.TB, name string) int {
	t.Helper()
	return r.Sums(t)[name]
}
