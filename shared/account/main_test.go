package account_test

import (
	"os"
	"testing"

	"github.com/clientzone/clientzone/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }
