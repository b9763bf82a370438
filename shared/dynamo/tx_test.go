package dynamo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
)

// cancelledAPI answers every transaction with err.
type cancelledAPI struct {
	dynamo.API
	err error
}

func (a cancelledAPI) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return nil, a.err
}

func cancelled(codes ...string) error {
	e := &types.TransactionCanceledException{Message: aws.String("Transaction cancelled")}
	for _, c := range codes {
		e.CancellationReasons = append(e.CancellationReasons, types.CancellationReason{Code: aws.String(c)})
	}
	return e
}

// TestCommitReportsConflictsInTheUseCasesTerms: a failed condition is the
// write's own error, a race lost to a concurrent transaction is
// clientzone.ErrTransactionConflict (what the use cases retry), anything
// else is neither.
func TestCommitReportsConflictsInTheUseCasesTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		err          error
		wantConflict bool
		wantErr      error // matched with errors.Is; nil: none of ours
	}{
		{"condition of the first write", cancelled("ConditionalCheckFailed", "None"), false, billing.ErrAlreadySettled},
		{"condition of the second write", cancelled("None", "ConditionalCheckFailed"), false, billing.ErrInvoiceNotUnpaid},
		{"a condition and a conflict", cancelled("TransactionConflict", "ConditionalCheckFailed"), false, billing.ErrInvoiceNotUnpaid},
		{"transaction conflict", cancelled("None", "TransactionConflict"), true, nil},
		{"transaction in progress", &types.TransactionInProgressException{Message: aws.String("in progress")}, true, nil},
		{"throttled", cancelled("ThrottlingError", "None"), false, nil},
		{"unavailable", errors.New("connection refused"), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := dynamo.New(cancelledAPI{err: tt.err}, "table")
			tx := db.NewBillingTx()
			if err := tx.SettlementGuard(&billing.SettlementRecord{Reference: "r1", CustomerID: "C1"}); err != nil {
				t.Fatal(err)
			}
			if err := tx.MarkInvoicePaid("C1", "I1", time.Now()); err != nil {
				t.Fatal(err)
			}
			err := tx.Commit(context.Background())
			if err == nil {
				t.Fatal("Commit succeeded")
			}
			if got := clientzone.IsTransactionConflict(err); got != tt.wantConflict {
				t.Errorf("IsTransactionConflict(%v) = %v, want %v", err, got, tt.wantConflict)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantConflict && !errors.Is(err, tt.err) {
				t.Errorf("err = %v does not wrap the SDK's %v", err, tt.err)
			}
		})
	}
}
