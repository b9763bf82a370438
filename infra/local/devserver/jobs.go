package devserver

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/schedule"
)

// JobsPath runs one scheduled job (shared/schedule) against the dev
// server's own table, as EventBridge Scheduler runs it in AWS:
// POST /dev/jobs/{job}?now=<RFC 3339> answers the job's report. Without
// now the job runs as of the dev server's clock. Unlike
// infra/local/cmd/run-job it needs no DynamoDB endpoint or table name.
const JobsPath = "/dev/jobs/{job}"

// devProblem is a problem+json answer of the dev server's own endpoints:
// the API's Problem plus extension members.
type devProblem struct {
	httpapi.Problem
	// Jobs lists the job names (an unknown job).
	Jobs []string `json:"jobs,omitempty"`
	// Report is what a failed job run did before it failed.
	Report *schedule.Report `json:"report,omitempty"`
}

// newDevProblem fills the standard members for r (English: the dev
// endpoints are for developers).
func newDevProblem(r *http.Request, status int, code, detail string) devProblem {
	return devProblem{Problem: httpapi.Problem{
		Type:      httpapi.ProblemTypeBase + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		Instance:  r.URL.Path,
		Code:      code,
		RequestID: httpapi.RequestID(r.Context()),
	}}
}

func (p devProblem) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", string(clientzone.LangEN))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// invalidField is a 400 problem naming one bad query parameter.
func invalidField(r *http.Request, field, code, message string) devProblem {
	p := newDevProblem(r, http.StatusBadRequest, clientzone.EINVALID, "Some fields are invalid.")
	p.Errors = []clientzone.FieldError{{Field: field, Code: code, Message: message}}
	return p
}

// jobRunner serves JobsPath: the jobs of shared/schedule with the settings
// of the Lambdas (app.JobEnv: SUSPENSION_DAILY_FEE, AUTOPAY_DAYS_AHEAD,
// AUTOPAY_DAYS_BACK of d's Config) on d's table. It returns the handler and
// the job names.
func jobRunner(d *app.Deps) (http.Handler, []string) {
	jobs := schedule.Jobs(app.JobEnv(d))
	names := slices.Sorted(maps.Keys(jobs))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		name := r.PathValue("job")
		job, ok := jobs[name]
		if !ok {
			p := newDevProblem(r, http.StatusNotFound, clientzone.ENOTFOUND,
				fmt.Sprintf("There is no job %q. The jobs are %s.", name, strings.Join(names, ", ")))
			p.Jobs = names
			p.write(w)
			return
		}
		now := d.Clock.Now().UTC()
		if q := r.URL.Query(); q.Has("now") {
			t, err := time.Parse(time.RFC3339, q.Get("now"))
			if err != nil {
				invalidField(r, "now", "datetime", "Use an RFC 3339 time such as 2026-12-01T06:00:00Z.").write(w)
				return
			}
			now = t.UTC()
		}
		rep, err := job.Run(ctx, now)
		if err != nil {
			// As a Lambda run: the cause is logged, the client gets no
			// internals, but what the run did is no secret.
			httpapi.Logger(ctx).ErrorContext(ctx, "job failed", "job", name, "now", now, "err", err)
			p := newDevProblem(r, http.StatusInternalServerError, clientzone.EINTERNAL, "Internal error.")
			if rep.Job != "" {
				p.Report = &rep
			}
			p.write(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(rep)
	})
	return httpapi.Observe(d.Logger, "POST "+JobsPath, h), names
}
