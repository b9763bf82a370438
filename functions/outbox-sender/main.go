// Command outbox-sender is the Lambda on the table's DynamoDB stream that
// delivers outbox messages (email through SES, SMS through SNS). It reports
// failed records (ReportBatchItemFailures) so only those are retried.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/outbox"
)

func main() {
	d, err := app.LambdaDeps(context.Background())
	if err != nil {
		slog.Error("cold start failed", "err", err)
		os.Exit(1)
	}
	s, err := outbox.Sender(d)
	if err != nil {
		slog.Error("cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(s.Handle)
}
