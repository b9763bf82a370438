package httpapi

import (
	"context"
	"log/slog"

	"github.com/clientzone/clientzone/shared/clientzone"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyLogger
	keyClient
	keyInfo
)

// requestInfo is filled in while a request is served, for its access log.
type requestInfo struct {
	principal *clientzone.Principal
}

// Client describes the caller's device for sessions and audit.
type Client struct {
	IP        string
	UserAgent string
}

// RequestID returns the request id of ctx ("" outside a request).
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(keyRequestID).(string)
	return s
}

// Logger returns the request-scoped logger (with the request id), or the
// default logger outside a request.
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(keyLogger).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// ClientFrom returns the caller's IP and user agent.
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(keyClient).(Client)
	return c
}
