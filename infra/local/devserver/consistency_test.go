package devserver

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/clientzone/clientzone/infra/lambdabuild"
	"github.com/clientzone/clientzone/shared/samtemplate"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	p, err := samtemplate.Find()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(p)
}

func loadTemplate(t *testing.T) *samtemplate.Template {
	t.Helper()
	tm, err := samtemplate.Load(filepath.Join(repoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.Functions) == 0 {
		t.Fatal("template.yaml declares no functions")
	}
	return tm
}

// getWriters are the GET-only functions that write to the table, with the
// reason.
var getWriters = map[string]string{
	"invoice-pdf":    "records the key of the rendered PDF (cache)",
	"standing-order": "PIN step-up: wrong PINs are counted",
}

// TestTablePolicies checks the table policies of template.yaml: only item
// and query calls, never Scan, PartiQL, table administration or wildcards.
func TestTablePolicies(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				PolicyDocument struct {
					Statement []struct {
						Effect string   `yaml:"Effect"`
						Action []string `yaml:"Action"`
					} `yaml:"Statement"`
				} `yaml:"PolicyDocument"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	allowed := []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem",
		"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem"}
	for _, name := range []string{"TableReadPolicy", "TableWritePolicy"} {
		r, ok := doc.Resources[name]
		if !ok || r.Type != "AWS::IAM::ManagedPolicy" {
			t.Fatalf("%s: missing or not a managed policy (%q)", name, r.Type)
		}
		for _, st := range r.Properties.PolicyDocument.Statement {
			for _, a := range st.Action {
				if !slices.Contains(allowed, a) {
					t.Errorf("%s allows %s", name, a)
				}
				if name == "TableReadPolicy" && slices.Contains(allowed[3:], a) {
					t.Errorf("TableReadPolicy allows the write %s", a)
				}
			}
		}
	}
	// Secrets: one policy per secret, reading its value only.
	secretPolicies := 0
	for name, r := range doc.Resources {
		if !strings.HasSuffix(name, "SecretReadPolicy") {
			continue
		}
		secretPolicies++
		for _, st := range r.Properties.PolicyDocument.Statement {
			if !slices.Equal(st.Action, []string{"secretsmanager:GetSecretValue"}) {
				t.Errorf("%s allows %v, want only secretsmanager:GetSecretValue", name, st.Action)
			}
		}
	}
	if secretPolicies != 3 {
		t.Errorf("%d secret read policies, want 3 (token signing key, Stripe key, Stripe webhook secret)", secretPolicies)
	}
}

// TestTemplateConsistency checks that template.yaml, functions/, events/,
// the Makefile and the dev server's constructors describe the same set of
// functions, and that routes are unique.
func TestTemplateConsistency(t *testing.T) {
	root := repoRoot(t)
	tm := loadTemplate(t)
	routes := map[string]string{}
	var names []string
	for _, f := range tm.Functions {
		names = append(names, f.Name)
		t.Run(f.LogicalID, func(t *testing.T) {
			if f.BuildMethod != "makefile" {
				t.Errorf("BuildMethod = %q, want makefile", f.BuildMethod)
			}
			main := filepath.Join(root, f.Dir, "main.go")
			src, err := os.ReadFile(main)
			if err != nil {
				t.Fatalf("function folder: %v", err)
			}
			if !strings.Contains(string(src), "lambda.Start(httpadapter.NewV2(h).ProxyWithContext)") && len(f.Routes) > 0 {
				t.Errorf("%s does not start the HTTP adapter", main)
			}
			ctor, ok := Constructors[f.Name]
			if len(f.Routes) > 0 {
				if !ok {
					t.Fatalf("no constructor for %s in devserver.Constructors", f.Name)
				}
				// main.go must build the same handler the dev server mounts.
				full := runtime.FuncForPC(reflect.ValueOf(ctor).Pointer()).Name()
				short := full[strings.LastIndex(full, "/")+1:] // app.InvoicesList
				if !strings.Contains(string(src), "app.Build(context.Background(), "+short+")") {
					t.Errorf("%s does not call app.Build with %s", main, short)
				}
			}
			if _, err := os.Stat(filepath.Join(root, "events", f.Name+".json")); err != nil {
				t.Errorf("sample event: %v", err)
			}
			for _, r := range f.Routes {
				if prev, dup := routes[r.Pattern()]; dup {
					t.Errorf("route %s is declared by %s and %s", r.Pattern(), prev, f.LogicalID)
				}
				routes[r.Pattern()] = f.LogicalID
			}
			// sam build runs `make build-<LogicalId>`: it must build this folder.
			out, err := exec.Command("make", "-s", "-n", "-C", root, "build-"+f.LogicalID, "ARTIFACTS_DIR=/tmp/artifacts").CombinedOutput()
			if err != nil {
				t.Fatalf("make -n build-%s: %v\n%s", f.LogicalID, err, out)
			}
			for _, want := range []string{"GOARCH=arm64", "-tags " + lambdabuild.Tags + " ", "-trimpath", "-ldflags='" + lambdabuild.LDFlags + "'", "-o /tmp/artifacts/bootstrap", "./" + f.Dir} {
				if !strings.Contains(string(out), want) {
					t.Errorf("make build-%s = %q, missing %q", f.LogicalID, out, want)
				}
			}
			for _, p := range f.Policies {
				if strings.Contains(p, "FullAccess") || p == "AdministratorAccess" {
					t.Errorf("policy %s is not least-privilege", p)
				}
				// SAM's DynamoDB policy templates allow Scan; the table
				// policies of template.yaml allow only what the code calls.
				if strings.HasPrefix(p, "DynamoDB") && p != "DynamoDBStreamReadPolicy" {
					t.Errorf("policy %s allows Scan: use TableReadPolicy or TableWritePolicy", p)
				}
			}
			onlyGET := len(f.Routes) > 0
			for _, r := range f.Routes {
				onlyGET = onlyGET && r.Method == "GET"
			}
			if onlyGET && slices.Contains(f.Policies, "TableWritePolicy") && getWriters[f.Name] == "" {
				t.Errorf("a GET-only function has TableWritePolicy: use TableReadPolicy (or list it in getWriters with the reason)")
			}
			if onlyGET && !slices.Contains(f.Policies, "TableWritePolicy") && getWriters[f.Name] != "" {
				t.Errorf("getWriters lists %s, which cannot write", f.Name)
			}
			if len(f.Policies) == 0 {
				t.Error("no Policies: every function needs explicit least-privilege policies")
			}
		})
	}
	// No folder without a template entry, no constructor without a function.
	dirs, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !slices.Contains(names, d.Name()) {
			t.Errorf("functions/%s is not in template.yaml", d.Name())
		}
	}
	for name := range Constructors {
		if !slices.Contains(names, name) {
			t.Errorf("constructor %s has no function in template.yaml", name)
		}
	}
}

// TestTemplateGlobals checks the settings every function inherits.
func TestTemplateGlobals(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{
		`(?m)^\s+Runtime: provided\.al2023$`,
		`(?m)^\s+Architectures: \[arm64\]$`,
		`(?m)^\s+Handler: bootstrap$`,
		`(?m)^\s+LogFormat: JSON$`,
		`(?m)^\s+StageName: \$default$`,
		`(?m)^\s+CorsConfiguration:$`,
		`(?m)^\s+Type: AWS::S3::Bucket$`,
		`(?m)^\s+AttributeName: ttl$`,
	} {
		if !regexp.MustCompile(re).Match(src) {
			t.Errorf("template.yaml lacks %s", re)
		}
	}
	tm := loadTemplate(t)
	if len(tm.Tables) != 1 || len(tm.Tables[0].GlobalIndexes) != 2 || tm.Tables[0].TTLAttribute != "ttl" {
		t.Errorf("tables = %+v; want one table with GSI1, GSI2 and TTL on ttl", tm.Tables)
	}
}

// TestReadmeRouteTable checks README.md lists every route of template.yaml.
func TestReadmeRouteTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range loadTemplate(t).Functions {
		for _, r := range f.Routes {
			row := "| " + r.Method + " | " + r.Path + " | " + f.LogicalID + " |"
			if !strings.Contains(string(readme), row) {
				t.Errorf("README.md route table lacks %q", row)
			}
		}
	}
}
