package outbox_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/outbox"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/metrics/metricstest"
	"github.com/clientzone/clientzone/shared/notify"
)

// The sender counts into the function's metrics writer (building it calls
// no AWS service).
func TestSenderCountsIntoTheDepsMetrics(t *testing.T) {
	cfg, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"TABLE_NAME": "main", "METRICS_NAMESPACE": "clientzone/isp-prod"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := app.New(context.Background(), cfg, app.NewLogger(io.Discard, "INFO"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	d.Clock = clientzone.FixedClock(at)
	rec := &metricstest.Recorder{}
	d.WriteMetricsTo(rec)
	s, err := outbox.Sender(d)
	if err != nil {
		t.Fatal(err)
	}
	s.Metrics.Count(notify.MetricOutboxDelivered, 1)
	lines := rec.Lines(t)
	if len(lines) != 1 || lines[0] != (metricstest.Line{Namespace: "clientzone/isp-prod", Timestamp: at, Name: "OutboxDelivered", Value: 1}) {
		t.Errorf("lines %+v", lines)
	}
}

// The sender delivers from the configured sender, sender id and bus
// (EMAIL_FROM, SMS_SENDER_ID, EVENT_BUS_NAME, read by app.ConfigFromEnv).
func TestSenderUsesTheConfiguredChannels(t *testing.T) {
	cfg, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"TABLE_NAME": "main", "EMAIL_FROM": "Acme <no-reply@acme.example>",
			"SMS_SENDER_ID": "Acme", "EVENT_BUS_NAME": "acme-prod"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := app.New(context.Background(), cfg, app.NewLogger(io.Discard, "INFO"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := outbox.Sender(d)
	if err != nil {
		t.Fatal(err)
	}
	ses, sok := s.Email.(notify.SES)
	sns, nok := s.SMS.(notify.SNS)
	eb, eok := s.Events.(notify.EventBridge)
	if !sok || !nok || !eok || ses.From != "Acme <no-reply@acme.example>" || sns.SenderID != "Acme" || eb.Bus != "acme-prod" {
		t.Errorf("sender email %+v, SMS %+v, events %+v", s.Email, s.SMS, s.Events)
	}
}
