package devserver

import "github.com/clientzone/clientzone/shared/app"

// Constructors maps each function's folder name to the constructor its
// functions/<name>/main.go passes to app.Build.
var Constructors = map[string]app.Constructor{
	"status":        app.Status,
	"login":         app.Login,
	"me":            app.Me,
	"invoices-list": app.InvoicesList,
}
