package httpapi

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// validate is the one shared validator, built on first use (building it
// registers every baked-in rule: a cold start of a function that validates
// nothing does not pay for it); field names in its errors are the JSON (or
// path/query) names clients use.
var validate = sync.OnceValue(newValidator)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"json", "query", "path", "header"} {
			name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
			if name == "-" {
				continue // not in the body: a path, query or header name may follow
			}
			if name != "" {
				return name
			}
		}
		return f.Name
	})
	return v
}

// fieldMessages are the client-facing texts for validator tags; each has
// translations in the catalog.
var fieldMessages = map[string]string{
	"required":        "This field is required.",
	"required_if":     "This field is required.",
	"required_unless": "This field is required.",
	"required_with":   "This field is required.",
	"email":           "This is not a valid email address.",
	"oneof":           "This value is not allowed.",
	"ulid":            "This value is invalid.",
}

// Validate checks v's validate tags and returns a clientzone.Error with one
// FieldError per problem, or nil.
func Validate(v any) error {
	err := validate().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	out := &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid."}
	for _, fe := range verrs {
		out.Fields = append(out.Fields, clientzone.FieldError{
			Field:   fieldPath(fe.Namespace()),
			Code:    fe.Tag(),
			Message: fieldMessage(fe),
			Param:   fe.Param(),
		})
	}
	return out
}

// fieldPath drops the struct name from "loginRequest.address.city".
func fieldPath(ns string) string {
	_, rest, ok := strings.Cut(ns, ".")
	if !ok {
		return ns
	}
	return rest
}

func fieldMessage(fe validator.FieldError) string {
	if m, ok := fieldMessages[fe.Tag()]; ok {
		return m
	}
	numeric := false
	switch fe.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		numeric = true
	}
	switch fe.Tag() {
	case "max", "lte", "lt":
		if numeric {
			return "This value is too large."
		}
		return "This value is too long."
	case "min", "gte", "gt":
		if numeric {
			return "This value is too small."
		}
		return "This value is too short."
	}
	return "This value is invalid."
}
