// Command floor is the second baseline of `make bench`'s cold-start
// comparison: the hello world of infra/bench/hello plus what every function
// of this design must link and build before serving, the customer's
// mandated packages: a DynamoDB client of aws-sdk-go-v2 (the version go.mod
// pins) and go-playground/validator (its package initialisation builds the
// baked-in rules and, once a call of New is reachable, the country,
// currency and language tables they use; the linker drops unreferenced map
// initialisers, so the floor can call New as every function can). Nothing
// else.
// The gap between hello and floor is the part of a cold start no code of
// this repository can remove.
package main

import (
	"context"
	"os"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/go-playground/validator/v10"
)

// validate is built on the first request that asks for it (header
// X-Validate), as the functions build theirs on first use. The call has to
// be reachable: a validator.New that is only assigned to a variable nobody
// calls is dropped by the linker together with the country, currency and
// language tables, whose map initialisers (about 1.5 ms, 430 kB) every
// function pays.
var validate = sync.OnceValue(func() *validator.Validate { return validator.New() })

func main() {
	db := dynamodb.NewFromConfig(aws.Config{Region: os.Getenv("AWS_REGION")})
	lambda.Start(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if ev.Headers["x-validate"] != "" {
			if err := validate().Var(ev.Body, "required"); err != nil {
				return events.APIGatewayV2HTTPResponse{StatusCode: 400}, nil
			}
		}
		_ = db
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"hello":"world"}`}, nil
	})
}
