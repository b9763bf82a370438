// Command invoice-pdf is the Lambda behind GET /v1/invoices/{invoiceId}/pdf.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/pdf"
)

func main() {
	h, err := app.Build(context.Background(), pdf.InvoicePdf)
	if err != nil {
		slog.Error("cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}
