package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// statusOf is the one place where error codes map to HTTP statuses.
var statusOf = map[string]int{
	clientzone.EINVALID:             http.StatusBadRequest,
	clientzone.EUNAUTHENTICATED:     http.StatusUnauthorized,
	clientzone.ECREDENTIALS:         http.StatusUnauthorized,
	clientzone.EPASSWORDCHANGE:      http.StatusForbidden,
	clientzone.EFORBIDDEN:           http.StatusForbidden,
	clientzone.ENOTFOUND:            http.StatusNotFound,
	clientzone.ECONFLICT:            http.StatusConflict,
	clientzone.ERATELIMITED:         http.StatusTooManyRequests,
	clientzone.EUNSUPPORTEDMEDIA:    http.StatusUnsupportedMediaType,
	clientzone.EPINREQUIRED:         http.StatusForbidden,
	clientzone.EPININVALID:          http.StatusForbidden,
	clientzone.EPINLOCKED:           http.StatusLocked,
	clientzone.EDEBT:                http.StatusConflict,
	clientzone.ESUSPENDEDBYPROVIDER: http.StatusConflict,
	clientzone.EINTERNAL:            http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details body, with the stable code, the
// request id and field errors as extension members.
type Problem struct {
	Type      string                  `json:"type"`
	Title     string                  `json:"title"`
	Status    int                     `json:"status"`
	Detail    string                  `json:"detail"`
	Instance  string                  `json:"instance,omitempty"`
	Code      string                  `json:"code"`
	RequestID string                  `json:"requestId,omitempty"`
	Errors    []clientzone.FieldError `json:"errors,omitempty"`
}

// ProblemTypeBase prefixes the problem type URIs; the code completes it.
const ProblemTypeBase = "https://clientzone.dev/problems/"

// detail is the client-facing text of e in lang; a message built by
// clientzone.Errorf with values is translated by its format.
func detail(lang clientzone.Language, e *clientzone.Error) string {
	if e.Format != "" && lang != clientzone.LangEN {
		if t, ok := catalog()[e.Format][lang]; ok {
			return fmt.Sprintf(t, e.Args...)
		}
	}
	return Translate(lang, e.Message)
}

// WriteError writes err as problem+json in the request's language. Errors
// that are not *clientzone.Error become a generic 500 and are logged with
// their cause at error level; expected errors are logged at info.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	log := Logger(ctx)
	var e *clientzone.Error
	if !errors.As(err, &e) || e.Code == clientzone.EINTERNAL {
		log.ErrorContext(ctx, "internal error", "err", err)
		e = &clientzone.Error{Code: clientzone.EINTERNAL, Message: "Internal error."}
	} else {
		log.InfoContext(ctx, "request failed", "code", e.Code, "detail", e.Message, slog.Any("cause", e.Err))
	}
	lang := Language(r)
	status := StatusOf(e.Code)
	p := Problem{
		Type:      ProblemTypeBase + e.Code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail(lang, e),
		Instance:  r.URL.Path,
		Code:      e.Code,
		RequestID: RequestID(ctx),
	}
	for _, f := range e.Fields {
		f.Message = Translate(lang, f.Message)
		p.Errors = append(p.Errors, f)
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", string(lang))
	h.Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="clientzone"`)
	}
	// Rate-limit errors may say when to try again.
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(ra.RetryAfter().Seconds()))))
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}
