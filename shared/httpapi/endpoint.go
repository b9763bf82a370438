// Package httpapi is the HTTP layer: one file per action, each a plain
// http.Handler built from an Endpoint (route, access rule, typed request and
// response), plus problem+json errors, validation, auth and logging. The
// same handlers run in Lambda (through aws-lambda-go-api-proxy) and in the
// local dev server. Handlers call the use cases only; the one store httpapi
// uses itself is IdempotencyStore (responses of requests made with an
// Idempotency-Key), which it declares and shared/dynamo implements.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/clientzone/clientzone/shared/account"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// API holds what every endpoint needs.
type API struct {
	Logger *slog.Logger
	// LocalBackOffice admits back-office calls without API Gateway's IAM
	// authorizer context: set only by the local dev server and tests.
	LocalBackOffice bool
	// Auth authenticates bearer tokens; needed by every endpoint whose
	// Access is not public (the wiring, app.Deps.Endpoint, sets it from the
	// endpoint's Access), nil otherwise.
	Auth *account.Authenticator
	// Idempotency stores Idempotency-Key outcomes; needed by endpoints
	// marked Idempotent.
	Idempotency IdempotencyStore
	// Clock defaults to the system clock.
	Clock clientzone.Clock
}

// Access says who may call an endpoint.
type Access struct {
	public     bool
	backOffice bool
	admin      bool
	right      clientzone.Right
	// duringPasswordChange admits persons who must change a staff-issued
	// password first (profile, password change, logout).
	duringPasswordChange bool
}

// Access rules.
var (
	// Public endpoints need no token.
	Public = Access{public: true}
	// AnyPerson is any logged-in person.
	AnyPerson = Access{}
	// AdminOnly is the customer's account administrators.
	AdminOnly = Access{admin: true}
	// BackOffice is the provider's staff and systems: /admin/v1 routes,
	// authorised by API Gateway's IAM (SigV4) authorizer.
	BackOffice = Access{public: true, backOffice: true}
)

// IsPublic reports whether no person token is needed.
func (a Access) IsPublic() bool { return a.public }

// IsBackOffice reports whether the route is for the back office.
func (a Access) IsBackOffice() bool { return a.backOffice }

// IsAdminOnly reports whether only account administrators may call it.
func (a Access) IsAdminOnly() bool { return a.admin }

// Right is the right a regular person needs ("" for none).
func (a Access) Right() clientzone.Right { return a.right }

// DuringPasswordChange returns a copy of a that also admits persons who
// still have to change a staff-issued password.
func (a Access) DuringPasswordChange() Access {
	a.duringPasswordChange = true
	return a
}

// Needs is a logged-in person holding right r (admins hold every right).
func Needs(r clientzone.Right) Access { return Access{right: r} }

// MaxBodyBytes bounds request bodies.
const MaxBodyBytes = 1 << 20

// Endpoint describes one action. Req is decoded from the JSON body and from
// fields tagged `path:"name"`, `query:"name"` or `header:"Name"`, then
// validated; Exec returns the response (nil for 204 No Content).
type Endpoint[Req, Resp any] struct {
	// Route is a ServeMux pattern, identical to the template.yaml route
	// ("GET /v1/invoices/{invoiceId}").
	Route  string
	Access Access
	// Status is the success status; 200 when zero. A response implementing
	// StatusCoder chooses its own (e.g. 201 or 200 for an upsert).
	Status int
	// Idempotent endpoints (POSTs that pay or change services) require an
	// Idempotency-Key header and answer retries with the saved response.
	Idempotent bool
	// RawBody endpoints get the body unparsed in a []byte field tagged
	// `body:"raw"` (e.g. to check a webhook's signature over its bytes);
	// a field of type http.Header tagged `header:"*"` gets every header.
	RawBody bool
	Exec    func(ctx context.Context, req *Req) (*Resp, error)
	// Headers optionally adds response headers computed from a successful
	// response (e.g. Location of a created object).
	Headers func(resp *Resp) http.Header
	// CacheControl is the Cache-Control of a successful answer, e.g.
	// "public, max-age=30" for a page any client or shared cache may keep;
	// empty means "no-store", right for anything personal. Error answers
	// are "no-store" whatever it says.
	CacheControl string
	// ETag gives a successful answer a strong entity tag, a hash of its
	// exact body. Whenever a 200 answer to a GET or HEAD has an ETag (this
	// one or one set by Headers), a request whose If-None-Match matches it
	// gets 304 Not Modified with the ETag and Cache-Control and no body
	// (conditional.go).
	ETag bool
}

// Handler is an endpoint's http.Handler together with its route.
type Handler struct {
	http.Handler
	Route  string
	Access Access
}

// Handle builds the http.Handler of an endpoint. The handler routes for
// itself (so path values work the same under Lambda and the dev server) and
// answers problem+json 404 for any other path.
func Handle[Req, Resp any](api *API, e Endpoint[Req, Resp]) Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(e.Route, func(w http.ResponseWriter, r *http.Request) {
		if err := serve(api, e, w, r); err != nil {
			WriteError(w, r, err)
		}
	})
	route := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			WriteError(w, r, clientzone.Errorf(clientzone.ENOTFOUND, "No such resource."))
			return
		}
		mux.ServeHTTP(w, r)
	})
	return Handler{Handler: observe(api.Logger, e.Route, route), Route: e.Route, Access: e.Access}
}

func serve[Req, Resp any](api *API, e Endpoint[Req, Resp], w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if e.Access.backOffice && !api.LocalBackOffice {
		gw, ok := core.GetAPIGatewayV2ContextFromContext(ctx)
		if !ok || gw.Authorizer == nil || gw.Authorizer.IAM == nil || gw.Authorizer.IAM.UserARN == "" {
			return clientzone.Errorf(clientzone.EFORBIDDEN, "Back-office routes need IAM authorization.")
		}
	}
	if !e.Access.public {
		if api.Auth == nil { // a wiring error: app.Deps.Endpoint sets it
			return fmt.Errorf("httpapi: %s needs an Authenticator", e.Route)
		}
		p, err := api.Auth.Authenticate(ctx, bearer(r))
		if err != nil {
			return err
		}
		if info, ok := ctx.Value(keyInfo).(*requestInfo); ok {
			info.principal = p
		}
		if err := e.Access.check(p.Person); err != nil {
			return err
		}
		ctx = clientzone.WithPrincipal(ctx, p)
	}
	raw, err := readBody(r)
	if err != nil {
		return err
	}
	req := new(Req)
	if e.RawBody {
		setRaw(req, raw, r.Header)
		r.Body = http.NoBody
	}
	if err := decode(r, req); err != nil {
		return err
	}
	if err := Validate(req); err != nil {
		return err
	}
	if e.Idempotent {
		r = r.WithContext(ctx)
		return idempotent(api, w, r, e.Route, raw, func(w http.ResponseWriter) {
			if err := respond(ctx, e, req, w, r); err != nil {
				WriteError(w, r, err)
			}
		})
	}
	return respond(ctx, e, req, w, r)
}

// respond executes the endpoint and writes its JSON answer, or 304 Not
// Modified when r's If-None-Match matches the answer's ETag.
func respond[Req, Resp any](ctx context.Context, e Endpoint[Req, Resp], req *Req, w http.ResponseWriter, r *http.Request) error {
	resp, err := e.Exec(ctx, req)
	if err != nil {
		return err
	}
	status := e.Status
	if status == 0 {
		status = http.StatusOK
	}
	if resp == nil {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if sc, ok := any(resp).(StatusCoder); ok {
		if s := sc.StatusCode(); s != 0 {
			status = s
		}
	}
	contentType, b, isRaw := "application/json", []byte(nil), false
	if raw, ok := any(resp).(Raw); ok {
		var ct string
		if ct, b, isRaw = raw.RawBody(); isRaw {
			contentType = ct
		}
	}
	if !isRaw {
		if b, err = json.Marshal(resp); err != nil {
			return fmt.Errorf("httpapi: encode response: %w", err)
		}
		b = append(b, '\n')
	}
	h := w.Header()
	if e.Headers != nil {
		for k, vs := range e.Headers(resp) {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	}
	h.Set("Content-Type", contentType)
	if e.CacheControl != "" {
		h.Set("Cache-Control", e.CacheControl)
	} else {
		h.Set("Cache-Control", "no-store")
	}
	if e.ETag {
		h.Set("ETag", etagOf(b))
	}
	if status == http.StatusOK && notModified(r, h.Get("ETag")) {
		writeNotModified(w)
		return nil
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return nil
}

// StatusCoder is implemented by responses whose success status depends on
// the outcome, such as an upsert answering 201 Created or 200 OK; zero
// keeps the endpoint's Status.
type StatusCoder interface {
	StatusCode() int
}

// Raw is implemented by responses that may have a body other than JSON,
// such as a CSV export: when RawBody's ok is true, body is sent as is with
// contentType (Headers still apply); otherwise the response is encoded as
// JSON like any other.
type Raw interface {
	RawBody() (contentType string, body []byte, ok bool)
}

func (a Access) check(p *clientzone.Person) error {
	if p.MustChangePassword && !a.duringPasswordChange {
		return clientzone.Errorf(clientzone.EPASSWORDCHANGE, "Change your password to continue.")
	}
	switch {
	case a.admin && p.Role != clientzone.RoleAdmin:
		return clientzone.Errorf(clientzone.EFORBIDDEN, "Only an account administrator can do this.")
	case a.right != "" && !p.Can(a.right):
		return clientzone.Errorf(clientzone.EFORBIDDEN, "You do not have the right to do this.")
	}
	return nil
}

// PrincipalOf returns the authenticated principal of an endpoint's context.
// It panics on public endpoints, where there is none: a programming error.
func PrincipalOf(ctx context.Context) *clientzone.Principal {
	p, ok := clientzone.PrincipalFrom(ctx)
	if !ok {
		panic("httpapi: PrincipalOf on an unauthenticated request")
	}
	return p
}

func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// decode fills req from the JSON body and from path, query and header
// values named by struct tags.
func decode(r *http.Request, req any) error {
	if err := decodeBody(r, req); err != nil {
		return err
	}
	rv := reflect.ValueOf(req).Elem()
	if rv.Kind() != reflect.Struct {
		return nil
	}
	rt := rv.Type()
	var fields []clientzone.FieldError
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		var raw, name string
		var present bool
		switch {
		case f.Tag.Get("path") != "":
			name = f.Tag.Get("path")
			raw = r.PathValue(name)
			present = raw != ""
		case f.Tag.Get("query") != "":
			name = f.Tag.Get("query")
			raw, present = r.URL.Query().Get(name), r.URL.Query().Has(name)
		case f.Tag.Get("header") == "*" || f.Tag.Get("body") == "raw":
			continue // filled by setRaw
		case f.Tag.Get("header") != "":
			name = f.Tag.Get("header")
			raw = r.Header.Get(name)
			present = raw != ""
		default:
			continue
		}
		if !present {
			continue
		}
		if err := setScalar(rv.Field(i), raw); err != nil {
			fields = append(fields, clientzone.FieldError{Field: name, Code: "type", Message: "This value has the wrong type."})
		}
	}
	if len(fields) > 0 {
		return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
	}
	return nil
}

// setRaw fills the `body:"raw"` and `header:"*"` fields of a RawBody
// endpoint's request.
func setRaw(req any, body []byte, h http.Header) {
	rv := reflect.ValueOf(req).Elem()
	if rv.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		switch {
		case f.Tag.Get("body") == "raw" && f.Type == reflect.TypeFor[[]byte]():
			rv.Field(i).SetBytes(body)
		case f.Tag.Get("header") == "*" && f.Type == reflect.TypeFor[http.Header]():
			rv.Field(i).Set(reflect.ValueOf(h.Clone()))
		}
	}
}

func setScalar(v reflect.Value, raw string) error {
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return errors.New("not an integer")
		}
		v.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("httpapi: unsupported parameter kind %s", v.Kind())
	}
	return nil
}

// readBody reads the whole (bounded) body and puts it back for decoding.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, clientzone.Errorf(clientzone.EINVALID, "The request body is not valid JSON.")
	}
	if len(body) > MaxBodyBytes {
		return nil, clientzone.Errorf(clientzone.EINVALID, "The request body is too large.")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

func decodeBody(r *http.Request, req any) error {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return clientzone.Errorf(clientzone.EINVALID, "The request body is not valid JSON.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return clientzone.Errorf(clientzone.EUNSUPPORTEDMEDIA, "Send the body as application/json.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		return bodyError(err, body, reflect.TypeOf(req))
	}
	// Only one JSON value: dec.More() would miss a trailing '}' or ']'.
	if _, err := dec.Token(); err != io.EOF {
		return clientzone.Errorf(clientzone.EINVALID, "The request body is not valid JSON.")
	}
	return nil
}

func bodyError(err error, body []byte, t reflect.Type) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: te.Field, Code: "type", Message: "This value has the wrong type."}}}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if key, qerr := strconv.Unquote(name); qerr == nil {
			name = key
		} else {
			name = strings.Trim(name, `"`)
		}
		// The error names only the key; report its dotted JSON path like
		// type and validation errors do.
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if path, found := unknownField(dec, t); found && path[len(path)-1] == name {
			name = strings.Join(path, ".")
		}
		return &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.",
			Fields: []clientzone.FieldError{{Field: name, Code: "unknown", Message: "This field is not known."}}}
	}
	return &clientzone.Error{Code: clientzone.EINVALID, Message: "The request body is not valid JSON.", Err: err}
}

// unknownField reads the next JSON value from dec as encoding/json decodes
// it into type t, and returns the path (JSON field names, like
// UnmarshalTypeError.Field: no map keys or array indices) of the first
// object key that matches no field of its struct. found is false when there
// is none.
func unknownField(dec *json.Decoder, t reflect.Type) (path []string, found bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, false
	}
	delim, _ := tok.(json.Delim)
	if delim != '{' && delim != '[' {
		return nil, false
	}
	custom := reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]())
	switch {
	case custom:
	case delim == '{' && t.Kind() == reflect.Struct:
		fields := jsonFields(t)
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, false
			}
			key, _ := tok.(string)
			f, ok := lookupField(fields, key)
			if !ok {
				return []string{key}, true
			}
			if sub, found := unknownField(dec, f.typ); found {
				return append([]string{f.name}, sub...), true
			}
		}
		_, _ = dec.Token()
		return nil, false
	case delim == '{' && t.Kind() == reflect.Map,
		delim == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for dec.More() {
			if t.Kind() == reflect.Map {
				if _, err := dec.Token(); err != nil {
					return nil, false
				}
			}
			if sub, found := unknownField(dec, t.Elem()); found {
				return sub, true
			}
		}
		_, _ = dec.Token()
		return nil, false
	}
	// Not decoded field by field: skip the rest of the value.
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil, false
}

// jsonField is a field encoding/json decodes an object key into.
type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the fields of struct type t by JSON name as encoding/json
// sees them: exported fields named by their json tag, and the fields of
// untagged embedded structs promoted (a shallower field hides a deeper one).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	seen := map[string]bool{}
	visited := map[reflect.Type]bool{}
	for level := []reflect.Type{t}; len(level) > 0; {
		var next []reflect.Type
		for _, st := range level {
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := 0; i < st.NumField(); i++ {
				sf := st.Field(i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && !(sf.Anonymous && ft.Kind() == reflect.Struct) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, ft)
					continue
				}
				if name == "" {
					name = sf.Name
				}
				if !seen[name] {
					seen[name] = true
					out = append(out, jsonField{name, sf.Type})
				}
			}
		}
		level = next
	}
	return out
}

// lookupField finds the field of key like encoding/json: an exact name, or
// else the first name equal under case folding.
func lookupField(fields []jsonField, key string) (jsonField, bool) {
	for _, f := range fields {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return jsonField{}, false
}
