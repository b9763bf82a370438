package clientzone

// ByVariableSymbol is what a variable symbol points at: the proformas
// carrying it (any state, newest first) and the customer whose symbol it
// is. A bank transfer is matched by it (billing), and a symbol given to a
// customer must not point at another's (backoffice).
type ByVariableSymbol struct {
	Proformas []*Proforma
	Customer  *Customer
}
