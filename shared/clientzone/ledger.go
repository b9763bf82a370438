package clientzone

import "time"

// Kinds of prepaid-balance transactions.
const (
	TxnTopUp      = "top-up"     // money in: card or bank transfer to the balance
	TxnPayment    = "payment"    // money in for an invoice (card, transfer)
	TxnCharge     = "charge"     // a service paid from the balance
	TxnFee        = "fee"        // suspension days, correction requests, ...
	TxnRefund     = "refund"     // money back to the customer
	TxnAdjustment = "adjustment" // back-office correction
)

// Transaction is one entry of a customer's ledger. Amount is signed: credits
// are positive, debits negative. The balance is the sum of all amounts.
type Transaction struct {
	ID          string `json:"id"`
	CustomerID  string `json:"-"`
	Kind        string `json:"kind"`
	Amount      Money  `json:"amount"`
	Description string `json:"description"`
	// Reference identifies the external cause (payment id, bank line,
	// invoice id, scheduler run); a reference is booked at most once.
	Reference string    `json:"reference,omitempty"`
	InvoiceID string    `json:"invoiceId,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Balance is a customer's prepaid balance.
type Balance struct {
	Amount    Money     `json:"amount"`
	UpdatedAt time.Time `json:"updatedAt,omitempty"`
}
