package dynamotest

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
)

// Calls counts the DynamoDB operations made with one context, by operation
// name (GetItem, Query, TransactWriteItems, ...). The DynamoDB call-budget
// test (infra/local/devserver, whose results make bench reports) puts one
// in each request's context; the SDK middleware added by CountCalls
// increments it once per API call (before retries, so a retried call counts
// once). It lives here, beside the tests' tables, so that no function links
// it.
type Calls struct {
	mu  sync.Mutex
	ops map[string]int
}

type callsKey struct{}

// WithCalls returns ctx carrying c.
func WithCalls(ctx context.Context, c *Calls) context.Context {
	return context.WithValue(ctx, callsKey{}, c)
}

// CallsFrom returns the counter carried by ctx, or nil.
func CallsFrom(ctx context.Context) *Calls {
	c, _ := ctx.Value(callsKey{}).(*Calls)
	return c
}

func (c *Calls) add(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ops == nil {
		c.ops = map[string]int{}
	}
	c.ops[op]++
}

// Ops returns a copy of the counts by operation name.
func (c *Calls) Ops() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.ops))
	for k, v := range c.ops {
		out[k] = v
	}
	return out
}

// Reads are GetItem, BatchGetItem, Query and Scan calls.
func (c *Calls) Reads() int { return c.sum("GetItem", "BatchGetItem", "Query", "Scan") }

// Writes are PutItem, UpdateItem, DeleteItem, BatchWriteItem and
// TransactWriteItems calls.
func (c *Calls) Writes() int {
	return c.sum("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")
}

// Count is the number of calls of one operation.
func (c *Calls) Count(op string) int { return c.sum(op) }

// Total is the number of calls of any operation.
func (c *Calls) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.ops {
		n += v
	}
	return n
}

func (c *Calls) sum(ops ...string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, op := range ops {
		n += c.ops[op]
	}
	return n
}

// String lists the counts, e.g. "GetItem=1 Query=1".
func (c *Calls) String() string {
	ops := c.Ops()
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Itoa(ops[k]))
	}
	return b.String()
}

// CountCalls is a dynamodb client option adding a middleware that counts
// every operation in the Calls of the call's context (if any).
func CountCalls(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("clientzone.CountCalls",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if c := CallsFrom(ctx); c != nil {
					c.add(middleware.GetOperationName(ctx))
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	})
}
