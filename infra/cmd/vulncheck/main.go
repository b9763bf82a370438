// Command vulncheck runs govulncheck on the module against a local copy of
// the Go vulnerability database (built by make vuln from the
// golang.org/x/vulndb module: no network but the module proxy) and applies
// the project's rule: every vulnerability the code calls fails the run
// unless accepted.txt lists it with the reason, and an accepted entry
// that no longer applies fails it too (so the list cannot go stale).
// Vulnerabilities in imported code the program never calls are reported
// by govulncheck's own text run only, not here.
//
//	go run ./infra/cmd/vulncheck -db DIR -govulncheck golang.org/x/vuln/cmd/govulncheck@VERSION
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/clientzone/clientzone/infra/lambdabuild"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "vulncheck: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	db := flag.String("db", "", "directory of the Go vulnerability database (index/db.json, ID/)")
	tool := flag.String("govulncheck", "", "govulncheck to go run, e.g. golang.org/x/vuln/cmd/govulncheck@v1.9.0")
	acceptedFile := flag.String("accepted", filepath.Join("infra", "cmd", "vulncheck", "accepted.txt"), "accepted vulnerabilities")
	flag.Parse()
	if *db == "" || *tool == "" {
		return errors.New("-db and -govulncheck are required")
	}
	abs, err := filepath.Abs(*db)
	if err != nil {
		return err
	}
	f, err := os.Open(*acceptedFile)
	if err != nil {
		return err
	}
	accepted, err := parseAccepted(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *acceptedFile, err)
	}
	cmd := exec.Command("go", "run", *tool, "-db", "file://"+abs, "-format", "json", "-tags", lambdabuild.Tags, "./...")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	found, perr := calledVulns(out)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("govulncheck: %w", err)
	}
	if perr != nil {
		return perr
	}
	return verdict(os.Stdout, found, accepted)
}

// vuln is a vulnerability the code calls.
type vuln struct {
	ID, Module, Fixed, Summary string
	Example                    string // a call of the project's code that reaches it
}

// calledVulns reads govulncheck's JSON stream and returns the
// vulnerabilities with a call trace (not those only imported or required).
func calledVulns(r io.Reader) (map[string]vuln, error) {
	type frame struct {
		Module, Package, Function, Receiver string
		Position                            *struct {
			Filename string
			Line     int
		}
	}
	var msg struct {
		OSV *struct {
			ID      string `json:"id"`
			Summary string `json:"summary"`
		} `json:"osv"`
		Finding *struct {
			OSV          string  `json:"osv"`
			FixedVersion string  `json:"fixed_version"`
			Trace        []frame `json:"trace"`
		} `json:"finding"`
	}
	summaries := map[string]string{}
	found := map[string]vuln{}
	dec := json.NewDecoder(r)
	for {
		msg.OSV, msg.Finding = nil, nil
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("govulncheck output: %w", err)
		}
		if msg.OSV != nil {
			summaries[msg.OSV.ID] = msg.OSV.Summary
		}
		f := msg.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue // not called: only imported or required
		}
		v := found[f.OSV]
		v.ID, v.Module, v.Fixed = f.OSV, f.Trace[0].Module, f.FixedVersion
		if last := f.Trace[len(f.Trace)-1]; v.Example == "" && last.Position != nil {
			v.Example = fmt.Sprintf("%s:%d %s", last.Position.Filename, last.Position.Line, last.Function)
		}
		found[f.OSV] = v
	}
	for id, v := range found {
		v.Summary = summaries[id]
		found[id] = v
	}
	return found, nil
}

// parseAccepted reads lines "GO-YYYY-NNNN reason"; # starts a comment.
func parseAccepted(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(id, "GO-") || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("line %d: want \"GO-YYYY-NNNN reason\"", n)
		}
		out[id] = strings.TrimSpace(reason)
	}
	return out, sc.Err()
}

// verdict prints every called vulnerability and fails on one not accepted
// or an accepted one no longer found.
func verdict(w io.Writer, found map[string]vuln, accepted map[string]string) error {
	ids := make([]string, 0, len(found))
	for id := range found {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var bad []string
	for _, id := range ids {
		v := found[id]
		status := "ACCEPTED: " + accepted[id]
		if accepted[id] == "" {
			status = "NOT ACCEPTED"
			bad = append(bad, id)
		}
		fixed := v.Fixed
		if fixed == "" {
			fixed = "no fix yet"
		}
		fmt.Fprintf(w, "%s %s (%s; fixed in %s), called e.g. at %s\n    %s\n", id, v.Summary, v.Module, fixed, v.Example, status)
	}
	var stale []string
	for id := range accepted {
		if _, ok := found[id]; !ok {
			stale = append(stale, id)
		}
	}
	sort.Strings(stale)
	fmt.Fprintf(w, "vulncheck: %d called vulnerabilities, %d accepted\n", len(found), len(found)-len(bad))
	var errs []error
	if len(bad) > 0 {
		errs = append(errs, fmt.Errorf("not accepted: %s (fix them, or list them in accepted.txt with the reason)", strings.Join(bad, ", ")))
	}
	if len(stale) > 0 {
		errs = append(errs, fmt.Errorf("accepted but no longer found: %s (remove them from accepted.txt)", strings.Join(stale, ", ")))
	}
	return errors.Join(errs...)
}
