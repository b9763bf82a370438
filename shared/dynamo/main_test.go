package dynamo_test

import (
	"errors"
	"os"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// wantErrCode fails the test unless err is a *clientzone.Error with code.
func wantErrCode(t *testing.T, err error, code string) *clientzone.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want a *clientzone.Error with code %q", code)
	}
	var e *clientzone.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want a *clientzone.Error with code %q", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("err code = %q (%v), want %q", e.Code, err, code)
	}
	return e
}

// wantField fails the test unless e lists exactly one field error for field.
func wantField(t *testing.T, e *clientzone.Error, field string) {
	t.Helper()
	if len(e.Fields) != 1 || e.Fields[0].Field != field {
		t.Fatalf("field errors = %+v, want one for %q", e.Fields, field)
	}
}
