package secretslocal_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/clientzone/clientzone/infra/local/secretslocal"
)

func start(t *testing.T) *secretslocal.Server {
	t.Helper()
	s, err := secretslocal.Start("eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

func get(t *testing.T, c *secretsmanager.Client, in *secretsmanager.GetSecretValueInput) *secretsmanager.GetSecretValueOutput {
	t.Helper()
	out, err := c.GetSecretValue(context.Background(), in)
	if err != nil {
		t.Fatalf("GetSecretValue(%s): %v", aws.ToString(in.SecretId), err)
	}
	return out
}

// The staging labels move as in the service: a new value becomes
// AWSCURRENT, the one before AWSPREVIOUS, older ones are dropped; a stage
// can be moved back to undo a rotation.
func TestRotationStages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := start(t)
	c := secretslocal.Client(s.Endpoint, s.Region)

	created, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("cz/key"), SecretString: aws.String("v1")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(created.ARN), "arn:aws:secretsmanager:eu-central-1:000000000000:secret:cz/key-") {
		t.Fatalf("ARN = %s", aws.ToString(created.ARN))
	}
	for _, v := range []string{"v2", "v3"} {
		if _, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("cz/key"), SecretString: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
	}
	cur := get(t, c, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/key")})
	prev := get(t, c, &secretsmanager.GetSecretValueInput{SecretId: created.ARN, VersionStage: aws.String("AWSPREVIOUS")})
	if aws.ToString(cur.SecretString) != "v3" || aws.ToString(prev.SecretString) != "v2" || !slices.Contains(cur.VersionStages, "AWSCURRENT") {
		t.Fatalf("current %q %v, previous %q", aws.ToString(cur.SecretString), cur.VersionStages, aws.ToString(prev.SecretString))
	}
	if _, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/key"), VersionId: created.VersionId}); !isCode(err, "ResourceNotFoundException") {
		t.Fatalf("the first version (no label left) = %v, want ResourceNotFoundException", err)
	}
	versions, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("cz/key")})
	if err != nil || len(versions.Versions) != 2 {
		t.Fatalf("ListSecretVersionIds = %+v, %v; want 2 versions", versions, err)
	}

	// Undo: AWSCURRENT back to the previous version.
	if _, err := c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("cz/key"),
		VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: prev.VersionId}); !isCode(err, "InvalidParameterException") {
		t.Fatalf("moving AWSCURRENT without RemoveFromVersionId = %v, want InvalidParameterException", err)
	}
	if _, err := c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("cz/key"),
		VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: prev.VersionId, RemoveFromVersionId: cur.VersionId}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, c, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/key")}); aws.ToString(got.SecretString) != "v2" {
		t.Fatalf("after the undo AWSCURRENT = %q, want v2", aws.ToString(got.SecretString))
	}
	desc, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("cz/key")})
	if err != nil || !slices.Contains(desc.VersionIdsToStages[aws.ToString(cur.VersionId)], "AWSPREVIOUS") {
		t.Fatalf("DescribeSecret = %+v, %v", desc, err)
	}
}

// Retries with the same ClientRequestToken are idempotent; another value
// under the same token is refused.
func TestClientRequestToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := start(t)
	c := secretslocal.Client(s.Endpoint, s.Region)
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("cz/t"), SecretString: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	tok := aws.String("0123456789abcdef0123456789abcdef")
	put := func(v string) (*secretsmanager.PutSecretValueOutput, error) {
		return c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("cz/t"), SecretString: aws.String(v), ClientRequestToken: tok})
	}
	first, err := put("b")
	if err != nil {
		t.Fatal(err)
	}
	again, err := put("b")
	if err != nil || aws.ToString(again.VersionId) != aws.ToString(first.VersionId) {
		t.Fatalf("retry = %+v, %v", again, err)
	}
	if prev := get(t, c, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/t"), VersionStage: aws.String("AWSPREVIOUS")}); aws.ToString(prev.SecretString) != "a" {
		t.Fatalf("the retry moved the labels again: AWSPREVIOUS = %q", aws.ToString(prev.SecretString))
	}
	if _, err := put("c"); !isCode(err, "ResourceExistsException") {
		t.Fatalf("another value under the token = %v, want ResourceExistsException", err)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := start(t)
	c := secretslocal.Client(s.Endpoint, s.Region)
	if _, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("cz/e"), SecretString: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	wrongKey := secretsmanager.New(secretsmanager.Options{Region: s.Region, BaseEndpoint: aws.String(s.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("local", "not-the-secret", "")})
	unknownKey := secretsmanager.New(secretsmanager.Options{Region: s.Region, BaseEndpoint: aws.String(s.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("AKIAUNKNOWN", "x", "")})
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"unknown secret", func() error {
			_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/none")})
			var nf *types.ResourceNotFoundException
			if err != nil && !errors.As(err, &nf) {
				return errors.New("not a typed ResourceNotFoundException: " + err.Error())
			}
			return err
		}, "ResourceNotFoundException"},
		{"unknown stage", func() error {
			_, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/e"), VersionStage: aws.String("AWSPENDING")})
			return err
		}, "ResourceNotFoundException"},
		{"secret exists", func() error {
			_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("cz/e"), SecretString: aws.String("y")})
			return err
		}, "ResourceExistsException"},
		{"no value", func() error {
			_, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("cz/e")})
			return err
		}, "InvalidParameterException"},
		{"wrong secret key", func() error {
			_, err := wrongKey.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/e")})
			return err
		}, "InvalidSignatureException"},
		{"unknown access key", func() error {
			_, err := unknownKey.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("cz/e")})
			return err
		}, "UnrecognizedClientException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !isCode(err, tt.code) {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

// An unsigned request, or one signed for another service, is refused as
// the service refuses it.
func TestSignatureScope(t *testing.T) {
	t.Parallel()
	s := start(t)
	req, _ := http.NewRequest(http.MethodPost, s.Endpoint+"/", strings.NewReader(`{"SecretId":"x"}`))
	req.Header.Set("X-Amz-Target", "secretsmanager.GetSecretValue")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-Errortype") != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned: %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"))
	}
	// Signed correctly, but for another service.
	body := `{"SecretId":"x"}`
	req, _ = http.NewRequest(http.MethodPost, s.Endpoint+"/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "secretsmanager.GetSecretValue")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "ssm", s.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Amzn-Errortype") != "InvalidSignatureException" {
		t.Fatalf("signed for ssm: %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"))
	}
}

func isCode(err error, code string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == code
}
