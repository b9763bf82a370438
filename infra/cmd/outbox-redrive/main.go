// Command outbox-redrive delivers the outbox messages that are still
// unsent: after an OutboxDeadLetterAlarm (a stream batch gave up after its
// retries, so the stream will not deliver those records again), once the
// cause is fixed. It runs the outbox sender's own code (render, claim,
// deliver through SES / SNS / EventBridge, mark sent), so each message goes
// out at most once even while the stream sender runs. Configure it like the
// OutboxSenderFunction (TABLE_NAME, AWS_REGION, credentials, EMAIL_FROM,
// SMS_SENDER_ID, EVENT_BUS_NAME):
//
//	go run ./infra/cmd/outbox-redrive -from 2026-12-06 -to 2026-12-07
//
// It prints one JSON report per day and exits 1 while messages still fail.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/outbox"
	"github.com/clientzone/clientzone/shared/notify"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "outbox-redrive:", err)
		os.Exit(1)
	}
}

func run() error {
	today := time.Now().UTC().Format(time.DateOnly)
	from := flag.String("from", today, "first day (UTC, YYYY-MM-DD) of outbox messages")
	to := flag.String("to", today, "last day (UTC, YYYY-MM-DD)")
	flag.Parse()
	first, err1 := time.Parse(time.DateOnly, *from)
	last, err2 := time.Parse(time.DateOnly, *to)
	if err1 != nil || err2 != nil || last.Before(first) || last.Sub(first) > 31*24*time.Hour {
		return fmt.Errorf("-from and -to must be dates YYYY-MM-DD, from <= to, at most 31 days apart")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	d, err := app.New(ctx, cfg, app.NewLogger(os.Stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	s, err := outbox.Sender(d)
	if err != nil {
		return err
	}
	failed := 0
	enc := json.NewEncoder(os.Stdout)
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		rep, err := notify.Redrive(ctx, s, d.DB, day)
		if err != nil {
			return err
		}
		failed += rep.Failed
		_ = enc.Encode(rep)
	}
	if failed > 0 {
		return fmt.Errorf("%d message(s) still not delivered; see the log above, fix the cause and run again", failed)
	}
	return nil
}
