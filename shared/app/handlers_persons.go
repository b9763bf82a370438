package app

import (
	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// Persons management (admins), the audit log and the back-office import of
// legacy persons.

func (d *Deps) persons() *account.Persons {
	return &account.Persons{Store: d.DB, Clock: d.Clock, ActivationURLBase: d.Config.ActivationURLBase}
}

func (d *Deps) personsHandler(h func(*httpapi.API, *account.Persons) httpapi.Handler) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return h(api, d.persons()) })
}

// PersonsList is GET /v1/persons.
func PersonsList(d *Deps) (httpapi.Handler, error) {
	return d.personsHandler(httpapi.ListPersons)
}

// PersonCreate is POST /v1/persons.
func PersonCreate(d *Deps) (httpapi.Handler, error) {
	return d.personsHandler(httpapi.CreatePerson)
}

// PersonGet is GET /v1/persons/{personId}.
func PersonGet(d *Deps) (httpapi.Handler, error) { return d.personsHandler(httpapi.GetPerson) }

// PersonUpdate is PATCH /v1/persons/{personId}.
func PersonUpdate(d *Deps) (httpapi.Handler, error) {
	return d.personsHandler(httpapi.UpdatePerson)
}

// PersonDisable is DELETE /v1/persons/{personId}.
func PersonDisable(d *Deps) (httpapi.Handler, error) {
	return d.personsHandler(httpapi.DisablePerson)
}

// AuditLog is GET /v1/audit-log.
func AuditLog(d *Deps) (httpapi.Handler, error) { return d.personsHandler(httpapi.AuditLog) }

// PersonsImport is POST /admin/v1/customers/{customerId}/persons/import
// (back office, IAM-authorised).
func PersonsImport(d *Deps) (httpapi.Handler, error) {
	return d.personsHandler(httpapi.ImportPersons)
}
