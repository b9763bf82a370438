// Command template-check checks template.yaml's deployment rules
// (infra/templatecheck) on the output of the real SAM transform, as .ci/run
// does after ../shared/tools/sam-check/run.sh:
//
//	go run ./infra/cmd/template-check -transformed sam-out/transformed.json
//
// It fails when a rule is broken or when the transform made other
// resources than templatecheck.Model counts on template.yaml (the model
// keeps the resource budget test of make test honest).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/clientzone/clientzone/infra/templatecheck"
)

func main() {
	tpl := flag.String("template", "template.yaml", "the SAM template")
	transformed := flag.String("transformed", "", "the SAM transform's output (sam-check --out DIR writes DIR/transformed.json)")
	flag.Parse()
	if *transformed == "" {
		fmt.Fprintln(os.Stderr, "template-check: -transformed is required")
		os.Exit(2)
	}
	t, err := templatecheck.Load(*tpl)
	if err != nil {
		fmt.Fprintln(os.Stderr, "template-check:", err)
		os.Exit(1)
	}
	total, byType, err := templatecheck.Model(t)
	if err != nil {
		fmt.Fprintln(os.Stderr, "template-check:", err)
		os.Exit(1)
	}
	problems := templatecheck.Source(t)
	more, err := templatecheck.Transformed(*transformed, byType)
	if err != nil {
		fmt.Fprintln(os.Stderr, "template-check:", err)
		os.Exit(1)
	}
	problems = append(problems, more...)
	if total > templatecheck.ResourceBudget {
		problems = append(problems, fmt.Sprintf("%d resources, over the budget of %d of %d: %s", total, templatecheck.ResourceBudget, templatecheck.ResourceLimit, templatecheck.SplitAdvice))
	}
	for _, p := range problems {
		fmt.Println("template-check:", p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("template-check: OK: %d resources (budget %d of %d), the transform made what the model counted; no secret parameter in an environment; stream and job failures and schedules have dead-letter queues; alarms present\n",
		total, templatecheck.ResourceBudget, templatecheck.ResourceLimit)
}
