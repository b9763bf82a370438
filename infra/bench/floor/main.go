// Command floor is the second baseline of `make bench`'s cold-start
// comparison: the hello world of infra/bench/hello plus what every function
// of this design must link and build before serving, the customer's
// mandated packages: a DynamoDB client of aws-sdk-go-v2 (its package
// initialisation builds the service's schemas) and go-playground/validator
// (its package initialisation builds the baked-in rules and, once New is
// linked, the country, currency and language tables they use; the linker
// drops unreferenced map initialisers, so the floor links New as every
// function does). Nothing else.
// The gap between hello and floor is the part of a cold start no code of
// this repository can remove.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/go-playground/validator/v10"
)

// newValidator links validator.New (and with it the tables its rules use),
// as every function does; like the functions, the floor builds no
// validator before its first request needs one.
var newValidator = validator.New

func main() {
	db := dynamodb.NewFromConfig(aws.Config{Region: os.Getenv("AWS_REGION")})
	lambda.Start(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		_, _ = db, newValidator
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"hello":"world"}`}, nil
	})
}
