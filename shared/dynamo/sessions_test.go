package dynamo_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
	"github.com/clientzone/clientzone/shared/password"
	"github.com/clientzone/clientzone/shared/token"
)

// countingAPI counts DynamoDB read and write calls.
type countingAPI struct {
	*dynamodb.Client
	reads, writes atomic.Int32
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.reads.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}

func (c *countingAPI) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	c.reads.Add(1)
	return c.Client.BatchGetItem(ctx, in, o...)
}

func (c *countingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.reads.Add(1)
	return c.Client.Query(ctx, in, o...)
}

func (c *countingAPI) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.writes.Add(1)
	return c.Client.PutItem(ctx, in, o...)
}

func (c *countingAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.writes.Add(1)
	return c.Client.UpdateItem(ctx, in, o...)
}

func (c *countingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.writes.Add(1)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

func (c *countingAPI) take() (reads, writes int) {
	return int(c.reads.Swap(0)), int(c.writes.Swap(0))
}

// TestSessionsCallBudget checks how many DynamoDB calls login and refresh
// make: login ≤ 2 reads on every path (known, unknown, wrong password),
// refresh 2 reads + 1 write.
func TestSessionsCallBudget(t *testing.T) {
	ctx := context.Background()
	if now := time.Now().UTC(); now.Truncate(time.Hour).Add(time.Hour).Sub(now) < 20*time.Second {
		time.Sleep(21 * time.Second) // keep the failed-login window from turning mid-test
	}
	api := &countingAPI{Client: dynamotest.Client()}
	db := dynamo.New(api, dynamotest.NewTable(t))
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	hash, _ := hasher.Hash("Correct-Horse-1")
	p := &clientzone.Person{ID: clientzone.NewID(), CustomerID: clientzone.NewID(), Name: "A", Email: "a.person@example.sk",
		Role: clientzone.RoleAdmin, Language: clientzone.LangSK, PasswordHash: hash}
	if err := db.PutPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	_, priv, _ := ed25519.GenerateKey(nil)
	svc, err := account.NewIssuer(&account.Service{Store: db, Hasher: hasher,
		Clock: clientzone.SystemClock{}, RefreshTTL: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		token.NewSigner(priv, "i", "a", 15*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	api.take()

	check := func(what string, wantReads, wantWrites int) {
		t.Helper()
		if r, w := api.take(); r != wantReads || w != wantWrites {
			t.Errorf("%s: %d reads, %d writes; want %d, %d", what, r, w, wantReads, wantWrites)
		}
	}
	tk, err := svc.Login(ctx, account.LoginInput{Login: "A.Person@example.sk", Password: "Correct-Horse-1", IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	check("login", 2, 3) // attempt reserved, given back, session opened
	if _, err := svc.Login(ctx, account.LoginInput{Login: "a.person@example.sk", Password: "wrong"}); clientzone.ErrorCode(err) != clientzone.ECREDENTIALS {
		t.Fatalf("wrong password: %v", err)
	}
	check("wrong password", 2, 1)
	if _, err := svc.Login(ctx, account.LoginInput{Login: "nobody@example.sk", Password: "wrong"}); clientzone.ErrorCode(err) != clientzone.ECREDENTIALS {
		t.Fatalf("unknown login: %v", err)
	}
	check("unknown login", 2, 1)

	next, err := svc.Refresh(ctx, account.RefreshInput{RefreshToken: tk.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	check("refresh", 2, 1)
	if _, err := svc.Refresh(ctx, account.RefreshInput{RefreshToken: tk.RefreshToken}); clientzone.ErrorCode(err) != clientzone.EUNAUTHENTICATED {
		t.Fatalf("reuse: %v", err)
	}
	check("reuse (revokes)", 1, 1)
	if _, err := svc.Refresh(ctx, account.RefreshInput{RefreshToken: next.RefreshToken}); clientzone.ErrorCode(err) != clientzone.EUNAUTHENTICATED {
		t.Fatalf("after reuse: %v", err)
	}
	check("revoked session", 1, 0)

	// The failed-login counter is per person, whatever the login's case.
	n, err := db.Hits(ctx, account.FailedLoginCounter(p.ID), time.Hour, time.Now())
	if err != nil || n != 1 {
		t.Errorf("person's failed logins = %d, %v", n, err)
	}
	// Ten failures lock the account: the 11th attempt reads, hashes
	// nothing and writes nothing.
	for i := 0; i < 9; i++ {
		_, _ = svc.Login(ctx, account.LoginInput{Login: "a.person@example.sk", Password: "wrong"})
	}
	api.take()
	_, err = svc.Login(ctx, account.LoginInput{Login: "a.person@example.sk", Password: "Correct-Horse-1"})
	var ra *account.RetryAfterError
	if clientzone.ErrorCode(err) != clientzone.ERATELIMITED || !errors.As(err, &ra) || ra.RetryAfter() <= 0 || ra.RetryAfter() > time.Hour {
		t.Errorf("locked login: %v", err)
	}
	check("locked login", 2, 0)
}
