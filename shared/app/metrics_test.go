package app

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
)

// A Lambda's metrics go to its stdout, with its logs, in the configured
// namespace, timestamped by the Deps' clock.
func TestLambdaDepsWriteMetricsToStdout(t *testing.T) {
	t.Parallel()
	var stdout bytes.Buffer
	d, err := lambdaDeps(context.Background(), envOf(map[string]string{"TABLE_NAME": "main", "METRICS_NAMESPACE": "clientzone/isp-prod"}), &stdout)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	d.Clock = clientzone.FixedClock(at) // set after building, as the dev server does
	d.Logger.Info("cold start done")
	d.Metrics.Count("LoginSucceeded", 1)

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"cold start done"`) {
		t.Fatalf("stdout:\n%s", stdout.String())
	}
	l, err := metricstest.Parse([]byte(lines[1]))
	if err != nil {
		t.Fatal(err)
	}
	if l != (metricstest.Line{Namespace: "clientzone/isp-prod", Timestamp: at, Name: "LoginSucceeded", Value: 1}) {
		t.Errorf("metric line %+v", l)
	}
}

// Without WriteMetricsTo (tests, tools, the dev server unless asked) the
// Deps write no metrics, and the use cases built from them count into
// nothing without failing.
func TestNewWritesNoMetrics(t *testing.T) {
	t.Parallel()
	cfg, err := ConfigFromEnv(envOf(map[string]string{"TABLE_NAME": "main"}))
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(context.Background(), cfg, NewLogger(io.Discard, "INFO"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Metrics != nil {
		t.Fatal("New writes metrics")
	}
	d.prepaid().Metrics.Count("PaymentSettled", 1) // a nil *metrics.Writer: no-op
}
