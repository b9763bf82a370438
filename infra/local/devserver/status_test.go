package devserver

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// strongETag is the form of the status page's ETag: a quoted hash.
var strongETag = regexp.MustCompile(`^"[A-Za-z0-9_-]{20,}"$`)

// TestStatusPageConditionalGet covers GET /v1/status as a cacheable page:
// Cache-Control and a strong ETag, 304 for a matching If-None-Match (one
// tag, a list, a weak tag, *), a full answer for another tag, and a
// back-office change through the same process showing at once (the
// process's summary cache is dropped) with a new ETag.
func TestStatusPageConditionalGet(t *testing.T) {
	t.Parallel()
	_, srv, _ := newStack(t)
	base := srv.URL
	id := "t-" + clientzone.NewID()
	put := func(status string) {
		t.Helper()
		r := do(t, "PUT", base+"/admin/v1/status/components/"+id, "", `{"name":"Test DC","group":"datacenter","status":"`+status+`"}`)
		if r.status != 200 {
			t.Fatalf("component upsert: %d %s", r.status, r.body)
		}
	}
	type page struct {
		Overall    string                       `json:"overall"`
		Components []clientzone.StatusComponent `json:"components"`
	}
	// get answers the page and the status of the test component.
	get := func(headers ...string) (response, string) {
		t.Helper()
		r := do(t, "GET", base+"/v1/status", "", "", headers...)
		if r.status != 200 {
			return r, ""
		}
		var p page
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatalf("%s: %v", r.body, err)
		}
		for _, c := range p.Components {
			if c.ID == id {
				return r, c.Status
			}
		}
		return r, "(missing)"
	}

	put(clientzone.ComponentDegraded)
	r, state := get()
	tag := r.header.Get("ETag")
	if state != clientzone.ComponentDegraded || !strongETag.MatchString(tag) || r.header.Get("Cache-Control") != httpapi.StatusCacheControl {
		t.Fatalf("first GET: %d %q ETag %q Cache-Control %q", r.status, state, tag, r.header.Get("Cache-Control"))
	}
	if again, _ := get(); again.header.Get("ETag") != tag || string(again.body) != string(r.body) {
		t.Fatalf("the same page twice: ETag %q then %q", tag, again.header.Get("ETag"))
	}

	for _, tc := range []struct {
		name, ifNoneMatch string
		want              int
	}{
		{"its ETag", tag, 304},
		{"a list holding it", `"stale", ` + tag, 304},
		{"its weak form", "W/" + tag, 304},
		{"star", "*", 304},
		{"another tag", `"stale"`, 200},
	} {
		r := do(t, "GET", base+"/v1/status", "", "", "If-None-Match", tc.ifNoneMatch)
		if r.status != tc.want || r.header.Get("ETag") != tag || r.header.Get("Cache-Control") != httpapi.StatusCacheControl {
			t.Errorf("If-None-Match %s: %d ETag %q Cache-Control %q, want %d with the page's ETag", tc.name, r.status,
				r.header.Get("ETag"), r.header.Get("Cache-Control"), tc.want)
		}
		if tc.want == 304 && len(r.body) != 0 {
			t.Errorf("If-None-Match %s: 304 with a body %q", tc.name, r.body)
		}
	}

	// A change through this process shows at once, under a new ETag: the
	// old one no longer matches.
	put(clientzone.ComponentOutage)
	r, state = get("If-None-Match", tag)
	if r.status != 200 || state != clientzone.ComponentOutage || r.header.Get("ETag") == tag || !strongETag.MatchString(r.header.Get("ETag")) {
		t.Fatalf("after the change: %d %q ETag %q (was %q)", r.status, state, r.header.Get("ETag"), tag)
	}
	var p page
	if err := json.Unmarshal(r.body, &p); err != nil || p.Overall != clientzone.ComponentOutage {
		t.Fatalf("overall after an outage: %s", r.body)
	}

	// Errors are never cacheable.
	bad := do(t, "GET", base+"/v1/status/nope", "", "")
	if bad.status != 404 || bad.header.Get("Cache-Control") != "no-store" || bad.header.Get("ETag") != "" {
		t.Errorf("error answer: %d Cache-Control %q ETag %q", bad.status, bad.header.Get("Cache-Control"), bad.header.Get("ETag"))
	}
}
