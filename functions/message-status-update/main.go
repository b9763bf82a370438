// Command message-status-update is the Lambda behind PUT /admin/v1/customers/{customerId}/messages/{messageId}/status.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/shared/app"
)

func main() {
	h, err := app.Build(context.Background(), app.MessageStatusUpdate)
	if err != nil {
		slog.Error("cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}
