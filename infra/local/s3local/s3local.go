// Package s3local runs an S3-compatible server (gofakes3, in memory) on
// 127.0.0.1 for the dev server and tests. It speaks the real S3 REST
// protocol, so the AWS SDK, presigned URLs and curl work against it;
// presigned URLs are verified like S3 does (sigv4.go), and objects take
// tags (tagging.go). There is no lifecycle: expiry rules of the bucket
// (template.yaml) do not run locally.
package s3local

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is a running local S3.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	srv      *http.Server
}

// Start serves an in-memory S3 on a free loopback port with the given
// buckets created.
func Start(buckets ...string) (*Server, error) {
	backend := s3mem.New()
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			return nil, fmt.Errorf("s3local: create bucket %s: %w", b, err)
		}
	}
	faker := gofakes3.New(backend, gofakes3.WithAutoBucket(false), gofakes3.WithInsecureCORS())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("s3local: listen: %w", err)
	}
	s := &Server{
		Endpoint: "http://" + ln.Addr().String(),
		srv:      &http.Server{Handler: verifyPresigned(newTagStore(backend).handler(faker.Server()), time.Now), ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Printf("s3local: %v\n", err)
		}
	}()
	return s, nil
}

// Stop shuts the server down.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
