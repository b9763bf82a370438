package billing_test

import (
	"os"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// today is the fixed "now" of these tests.
var today = time.Date(2026, 3, 15, 23, 30, 0, 0, time.UTC)
