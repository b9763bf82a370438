// Command overdue-reminders-job is the Lambda of the daily overdue-reminders job (shared/schedule),
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
	h, err := app.BuildJob(context.Background(), "overdue-reminders")
	if err != nil {
		slog.Error("cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
