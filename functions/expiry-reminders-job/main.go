// Command expiry-reminders-job is the Lambda of the daily expiry-reminders job (shared/schedule),
// invoked by EventBridge Scheduler with {"now": "<scheduled time>"}.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/clientzone/clientzone/shared/app"
)

func main() {
	h, err := app.BuildJob(context.Background(), "expiry-reminders")
	if err != nil {
		slog.Error("cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
