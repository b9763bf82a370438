// Command floor is the second baseline of `make bench`'s cold-start
// comparison: the hello world of infra/bench/hello plus what every function
// of this design must link and build before serving, the customer's
// mandated packages: a DynamoDB client of aws-sdk-go-v2 (the version go.mod
// pins) and go-playground/validator (its package initialisation builds the
// baked-in rules and, once a call of New is reachable, the country,
// currency and language tables they use; the linker drops unreferenced map
// initialisers, so the floor can call New as every function can). Nothing
// else.
//
// Invoked plainly it answers like hello world: the gap between hello and
// floor is the part of a cold start no code of this repository can remove.
// With the headers X-Validate and X-GetItem it is the smallest function of
// this design: it builds the validator, checks the body and reads one item
// (a missing key) from TABLE_NAME, so its first request also pays what a
// process's first DynamoDB call costs (a new connection, the SDK's and the
// server's first-use work), which hello world never does.
//
// With FLOOR_SECRET_ID set it also reads that secret from Secrets Manager
// (SECRETSMANAGER_ENDPOINT locally) before serving, as the functions that
// hold a secret do at cold start (app.New): the difference to the floor
// with a read is what reading a secret adds to a cold start.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
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
	cfg := aws.Config{Region: os.Getenv("AWS_REGION"), Credentials: credentials.NewStaticCredentialsProvider(
		os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))}
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if ep := os.Getenv("DYNAMODB_ENDPOINT"); ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
	})
	if id := os.Getenv("FLOOR_SECRET_ID"); id != "" {
		sm := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
			if ep := os.Getenv("SECRETSMANAGER_ENDPOINT"); ep != "" {
				o.BaseEndpoint = aws.String(ep)
			}
		})
		out, err := sm.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil || out.SecretString == nil {
			fmt.Fprintf(os.Stderr, "floor: secret %s: %v\n", id, err)
			os.Exit(1)
		}
	}
	lambda.Start(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if ev.Headers["x-validate"] != "" {
			if err := validate().Var(ev.Body, "max=100000"); err != nil {
				return events.APIGatewayV2HTTPResponse{StatusCode: 400}, nil
			}
		}
		if ev.Headers["x-getitem"] != "" {
			out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
				TableName: aws.String(os.Getenv("TABLE_NAME")),
				Key: map[string]types.AttributeValue{
					"pk": &types.AttributeValueMemberS{Value: "BENCH#FLOOR"}, "sk": &types.AttributeValueMemberS{Value: "BENCH#FLOOR"}},
			})
			if err != nil {
				return events.APIGatewayV2HTTPResponse{StatusCode: 502, Body: err.Error()}, nil
			}
			if out.Item != nil {
				return events.APIGatewayV2HTTPResponse{StatusCode: 409}, nil
			}
		}
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"hello":"world"}`}, nil
	})
}
