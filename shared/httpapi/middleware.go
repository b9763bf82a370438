package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// validRequestID reports whether a client's X-Request-Id is usable in logs:
// 8 to 128 of A-Z a-z 0-9 . _ : - (no regular expression: compiling
// {8,128} costs a cold start ~0.1 MB of allocations).
func validRequestID(id string) bool {
	if len(id) < 8 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// requestID prefers API Gateway's id (what appears in its access logs),
// then Lambda's, then a sane X-Request-Id from the caller, then a new one.
func requestID(r *http.Request) string {
	if gw, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok && gw.RequestID != "" {
		return gw.RequestID
	}
	if lc, ok := lambdacontext.FromContext(r.Context()); ok && lc.AwsRequestID != "" {
		return lc.AwsRequestID
	}
	if id := r.Header.Get("X-Request-Id"); validRequestID(id) {
		return id
	}
	return clientzone.NewID()
}

func clientOf(r *http.Request) Client {
	c := Client{UserAgent: r.UserAgent()}
	if gw, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok && gw.HTTP.SourceIP != "" {
		c.IP = gw.HTTP.SourceIP
		return c
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		c.IP = host
	} else {
		c.IP = r.RemoteAddr
	}
	return c
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Observe wraps a handler that is not an Endpoint (the dev server's own
// pages) in what every endpoint gets: a request id (X-Request-Id, and
// RequestID and Logger of its context), one access log line under route,
// and panics turned into a logged 500.
func Observe(base *slog.Logger, route string, next http.Handler) http.Handler {
	return observe(base, route, next)
}

// observe gives every request an id, a request-scoped logger and one access
// log line, and turns panics into a logged 500. It logs neither headers nor
// bodies, so no password, token or PIN can reach the logs.
func observe(base *slog.Logger, route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		log := base.With("requestId", id, "route", route)
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLogger, log)
		ctx = context.WithValue(ctx, keyClient, clientOf(r))
		info := &requestInfo{}
		ctx = context.WithValue(ctx, keyInfo, info)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(ctx, "panic", "panic", v)
				if rec.status == 0 {
					WriteError(rec, r, errors.New("panic"))
				}
			}
			attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status, "durationMs", time.Since(start).Milliseconds()}
			if p := info.principal; p != nil {
				attrs = append(attrs, "personId", p.Person.ID, "customerId", p.Person.CustomerID)
			}
			log.InfoContext(ctx, "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}
