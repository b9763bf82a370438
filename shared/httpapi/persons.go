package httpapi

import (
	"context"
	"net/http"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Persons management is for the customer's account administrators only
// (SPEC: "Persons management (admin)"): every /v1/persons route is
// AdminOnly, so a regular person gets 403 forbidden even when they hold the
// "persons" right. The right stays assignable for compatibility with legacy
// portals, but it grants nothing here.

// PersonList is every person of the caller's customer.
type PersonList struct {
	Items []*clientzone.Person `json:"items"`
}

func actorOf(ctx context.Context) account.Actor {
	p := PrincipalOf(ctx)
	c := ClientFrom(ctx)
	return account.Actor{Person: p.Person, ActorID: p.Person.ID, IP: c.IP, UserAgent: c.UserAgent}
}

// ListPersons serves GET /v1/persons: every person of the caller's
// customer, sorted by name, shaped like GET /v1/me.
func ListPersons(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[struct{}, PersonList]{
		Route:  "GET /v1/persons",
		Access: AdminOnly, // not Needs(RightPersons): see the package note above
		Exec: func(ctx context.Context, _ *struct{}) (*PersonList, error) {
			ps, err := svc.ListPersons(ctx, PrincipalOf(ctx).Person.CustomerID)
			if err != nil {
				return nil, err
			}
			out := &PersonList{Items: make([]*clientzone.Person, 0, len(ps))}
			for _, p := range ps {
				out.Items = append(out.Items, profile(p))
			}
			return out, nil
		},
	})
}

type personCreateRequest struct {
	Name     string              `json:"name" validate:"required,max=200"`
	Email    string              `json:"email" validate:"required,email,max=254"`
	Username string              `json:"username" validate:"omitempty,min=3,max=64"`
	Phone    string              `json:"phone" validate:"omitempty,e164"`
	Role     clientzone.Role     `json:"role" validate:"required,oneof=admin regular"`
	Rights   []clientzone.Right  `json:"rights" validate:"max=7,dive,oneof=invoices payments calls traffic contracts tickets persons"`
	Language clientzone.Language `json:"language" validate:"required,oneof=en sk hu ru"`
	// Notifications default to everything but news.
	Notifications *clientzone.Notifications `json:"notifications"`
}

// CreatePerson serves POST /v1/persons: creates a person without a password
// and emails them an invitation link (valid 7 days) to set one. Rights are
// ignored for admins, who hold every right. Answers 201 with the profile
// and a Location header.
func CreatePerson(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[personCreateRequest, clientzone.Person]{
		Route:  "POST /v1/persons",
		Access: AdminOnly,
		Status: http.StatusCreated,
		Exec: func(ctx context.Context, req *personCreateRequest) (*clientzone.Person, error) {
			p, err := svc.CreatePerson(ctx, actorOf(ctx), account.NewPerson{
				Name: req.Name, Email: req.Email, Username: req.Username, Phone: req.Phone, Role: req.Role,
				Rights: req.Rights, Language: req.Language, Notifications: req.Notifications,
			})
			if err != nil {
				return nil, err
			}
			return profile(p), nil
		},
		Headers: func(p *clientzone.Person) http.Header {
			return http.Header{"Location": {"/v1/persons/" + p.ID}}
		},
	})
}

type personIDRequest struct {
	PersonID string `json:"-" path:"personId" validate:"required,max=64"`
}

// GetPerson serves GET /v1/persons/{personId}; another customer's person
// is 404.
func GetPerson(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[personIDRequest, clientzone.Person]{
		Route:  "GET /v1/persons/{personId}",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *personIDRequest) (*clientzone.Person, error) {
			p, err := svc.GetPerson(ctx, PrincipalOf(ctx).Person.CustomerID, req.PersonID)
			if err != nil {
				return nil, err
			}
			return profile(p), nil
		},
	})
}

type personUpdateRequest struct {
	PersonID      string                    `json:"-" path:"personId" validate:"required,max=64"`
	Name          *string                   `json:"name" validate:"omitempty,min=1,max=200"`
	Phone         *string                   `json:"phone" validate:"omitempty,max=16"` // "" removes it; else E.164
	Role          *clientzone.Role          `json:"role" validate:"omitempty,oneof=admin regular"`
	Rights        *[]clientzone.Right       `json:"rights" validate:"omitempty,max=7,dive,oneof=invoices payments calls traffic contracts tickets persons"`
	Language      *clientzone.Language      `json:"language" validate:"omitempty,oneof=en sk hu ru"`
	Notifications *clientzone.Notifications `json:"notifications"`
	Disabled      *bool                     `json:"disabled"`
}

type e164Check struct {
	Phone string `json:"phone" validate:"e164"`
}

// UpdatePerson serves PATCH /v1/persons/{personId}: name, phone, role,
// rights, language, notifications and disabled (omitted fields stay as
// they are). Email and username are not changed here: they are login
// aliases and change through the person's own profile. The last active
// admin cannot be demoted or disabled and an admin cannot disable
// themselves (409); a change of role, rights or disabled ends the person's
// sessions at once. A concurrent change of the same person is 409.
func UpdatePerson(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[personUpdateRequest, clientzone.Person]{
		Route:  "PATCH /v1/persons/{personId}",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *personUpdateRequest) (*clientzone.Person, error) {
			if req.Phone != nil && *req.Phone != "" {
				if err := Validate(&e164Check{Phone: *req.Phone}); err != nil {
					return nil, err
				}
			}
			p, err := svc.UpdatePerson(ctx, actorOf(ctx), req.PersonID, account.PersonChanges{
				Name: req.Name, Phone: req.Phone, Role: req.Role, Rights: req.Rights, Language: req.Language,
				Notifications: req.Notifications, Disabled: req.Disabled,
			})
			if err != nil {
				return nil, err
			}
			return profile(p), nil
		},
	})
}

// DisablePerson serves DELETE /v1/persons/{personId}: a soft delete that
// disables the person (their sessions end at once) with the rules of PATCH.
// It answers 200 with the disabled person's profile rather than 204, so the
// client sees the resulting state; a disabled person can be enabled again
// with PATCH {"disabled": false}.
func DisablePerson(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[personIDRequest, clientzone.Person]{
		Route:  "DELETE /v1/persons/{personId}",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *personIDRequest) (*clientzone.Person, error) {
			p, err := svc.DisablePerson(ctx, actorOf(ctx), req.PersonID)
			if err != nil {
				return nil, err
			}
			return profile(p), nil
		},
	})
}

type auditLogRequest struct {
	Limit  *int   `query:"limit" validate:"omitempty,min=1,max=100"`
	Cursor string `query:"cursor" validate:"max=2048"`
}

// AuditLogPage is a page of audit entries, newest first.
type AuditLogPage struct {
	Items      []clientzone.AuditEntry `json:"items"`
	NextCursor string                  `json:"nextCursor,omitempty"`
}

// AuditLog serves GET /v1/audit-log: the customer's audit entries newest
// first; limit 1–100 (default 50), cursor from the previous page.
func AuditLog(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[auditLogRequest, AuditLogPage]{
		Route:  "GET /v1/audit-log",
		Access: AdminOnly,
		Exec: func(ctx context.Context, req *auditLogRequest) (*AuditLogPage, error) {
			limit := 50
			if req.Limit != nil {
				limit = *req.Limit
			}
			page, err := svc.AuditLog(ctx, PrincipalOf(ctx).Person.CustomerID, limit, req.Cursor)
			if err != nil {
				return nil, err
			}
			return &AuditLogPage{Items: page.Entries, NextCursor: page.NextCursor}, nil
		},
	})
}

type importPerson struct {
	ID           string              `json:"id" validate:"omitempty,max=64,printascii,excludesall=#"`
	Name         string              `json:"name" validate:"required,max=200"`
	Email        string              `json:"email" validate:"required,email,max=254"`
	Username     string              `json:"username" validate:"omitempty,min=3,max=64"`
	Phone        string              `json:"phone" validate:"omitempty,e164"`
	Role         clientzone.Role     `json:"role" validate:"required,oneof=admin regular"`
	Rights       []clientzone.Right  `json:"rights" validate:"max=7,dive,oneof=invoices payments calls traffic contracts tickets persons"`
	Language     clientzone.Language `json:"language" validate:"required,oneof=en sk hu ru"`
	PasswordHash string              `json:"passwordHash" validate:"required,max=512"`
}

type importPersonsRequest struct {
	CustomerID     string         `json:"-" path:"customerId" validate:"required,max=64"`
	AcceptLanguage string         `json:"-" header:"Accept-Language"`
	Persons        []importPerson `json:"persons" validate:"required,min=1,max=100,dive"`
}

// ImportPersons serves POST /admin/v1/customers/{customerId}/persons/import
// (back office): persons migrated from a legacy portal with their password
// hashes (bcrypt, MD5-crypt, argon2id), at most 100 per call. Invalid input
// anywhere is 400 and nothing is written; otherwise each person is written
// on its own (re-importing an id replaces that person) and conflicts (an
// email or username another login holds) are listed in "errors" while the
// rest are imported: 200 {"imported": n, "errors": [...]}.
func ImportPersons(api *API, svc *account.Persons) Handler {
	return Handle(api, Endpoint[importPersonsRequest, account.ImportResult]{
		Route:  "POST /admin/v1/customers/{customerId}/persons/import",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *importPersonsRequest) (*account.ImportResult, error) {
			c := ClientFrom(ctx)
			actor := account.Actor{ActorID: "backoffice", IP: c.IP, UserAgent: c.UserAgent, Details: map[string]string{}}
			if gw, ok := core.GetAPIGatewayV2ContextFromContext(ctx); ok && gw.Authorizer != nil && gw.Authorizer.IAM != nil {
				actor.Details["iamUser"] = gw.Authorizer.IAM.UserARN
			}
			in := make([]account.ImportedPerson, len(req.Persons))
			for i, p := range req.Persons {
				in[i] = account.ImportedPerson{ID: p.ID, Name: p.Name, Email: p.Email, Username: p.Username, Phone: p.Phone,
					Role: p.Role, Rights: p.Rights, Language: p.Language, PasswordHash: p.PasswordHash}
			}
			res, err := svc.ImportPersons(ctx, actor, req.CustomerID, in)
			if err != nil {
				return nil, err
			}
			lang := Language(&http.Request{Header: http.Header{"Accept-Language": {req.AcceptLanguage}}})
			for i := range res.Errors {
				res.Errors[i].Message = Translate(lang, res.Errors[i].Message)
			}
			return res, nil
		},
	})
}
