// Command run-job runs one scheduled job (shared/schedule) once, for a
// given "now", against DYNAMODB_ENDPOINT / TABLE_NAME (e.g. the dev
// server's DynamoDB Local and table), and prints its report as JSON:
//
//	go run ./infra/local/cmd/run-job -job expiry-reminders -now 2026-12-01T06:00:00Z
//
// Against a running dev server, POST /dev/jobs/{job}?now=<RFC 3339> does
// the same without knowing its endpoint or table.
//
// Jobs: expiry-reminders, overdue-reminders, suspension-fees, autopay.
// Settings as in the Lambdas: SUSPENSION_DAILY_FEE, AUTOPAY_DAYS_AHEAD,
// AUTOPAY_DAYS_BACK, CURRENCY, DEFAULT_LANGUAGE.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/schedule"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "run-job: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	job := flag.String("job", "", "job name")
	now := flag.String("now", "", "the run's now, RFC 3339 (default: the clock)")
	endpoint := flag.String("endpoint", os.Getenv("DYNAMODB_ENDPOINT"), "DynamoDB endpoint (default $DYNAMODB_ENDPOINT)")
	table := flag.String("table", os.Getenv("TABLE_NAME"), "table name (default $TABLE_NAME)")
	flag.Parse()
	getenv := func(k string) string {
		switch k {
		case "DYNAMODB_ENDPOINT":
			return *endpoint
		case "TABLE_NAME":
			return *table
		}
		return os.Getenv(k)
	}
	if *table == "" {
		return fmt.Errorf("set -table or TABLE_NAME")
	}
	cfg, err := app.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	ctx := context.Background()
	d, err := app.New(ctx, cfg, app.NewLogger(os.Stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	d.WriteMetricsTo(os.Stderr) // next to the logs, as the Lambda's would be
	jobs := schedule.Jobs(app.JobEnv(d))
	j, ok := jobs[*job]
	if !ok {
		return fmt.Errorf("-job must be one of %s", strings.Join(slices.Sorted(maps.Keys(jobs)), ", "))
	}
	rep, err := schedule.Handler(j, d.Clock, d.Metrics)(ctx, schedule.Input{Now: *now})
	out, _ := json.MarshalIndent(rep, "", "  ")
	fmt.Println(string(out))
	return err
}
