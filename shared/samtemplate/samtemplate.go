// Package samtemplate reads the parts of template.yaml that local runs need:
// the HTTP routes of every function (the one route table) and the DynamoDB
// table definitions. It understands CloudFormation short-form tags (!Ref,
// !Sub, ...) only as far as ignoring them where they do not matter.
package samtemplate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is the parsed subset of a SAM template.
type Template struct {
	Functions []Function
	Tables    []Table
}

// Function is one AWS::Serverless::Function.
type Function struct {
	LogicalID   string
	Dir         string // functions/<name>, relative to the template
	Name        string // <name>: kebab-case of LogicalID without "Function"
	BuildMethod string
	Routes      []Route
	Schedules   []string // names of ScheduleV2 events
	Policies    []string // policy template names, e.g. DynamoDBReadPolicy
	Env         map[string]string
}

// Route is one HttpApi event of a function.
type Route struct {
	Method string // GET, POST, ...
	Path   string // API Gateway syntax: /v1/invoices/{invoiceId}
	IAM    bool   // Auth.Authorizer is AWS_IAM (back-office routes)
}

// Pattern returns the net/http ServeMux pattern of the route, e.g.
// "GET /v1/invoices/{invoiceId}"; greedy {name+} becomes {name...}.
func (r Route) Pattern() string {
	return r.Method + " " + greedy.ReplaceAllString(r.Path, "{$1...}")
}

var greedy = regexp.MustCompile(`\{(\w+)\+\}`)

// Table is an AWS::DynamoDB::Table definition.
type Table struct {
	LogicalID            string
	AttributeDefinitions []AttributeDefinition `yaml:"AttributeDefinitions"`
	KeySchema            []KeyElement          `yaml:"KeySchema"`
	GlobalIndexes        []GlobalIndex         `yaml:"GlobalSecondaryIndexes"`
	TTLAttribute         string
	StreamViewType       string
}

// AttributeDefinition is a key attribute and its type (S, N, B).
type AttributeDefinition struct {
	AttributeName string `yaml:"AttributeName"`
	AttributeType string `yaml:"AttributeType"`
}

// KeyElement is one element of a key schema.
type KeyElement struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"` // HASH or RANGE
}

// GlobalIndex is a global secondary index.
type GlobalIndex struct {
	IndexName  string       `yaml:"IndexName"`
	KeySchema  []KeyElement `yaml:"KeySchema"`
	Projection struct {
		ProjectionType   string   `yaml:"ProjectionType"`
		NonKeyAttributes []string `yaml:"NonKeyAttributes"`
	} `yaml:"Projection"`
}

type rawTemplate struct {
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Metadata   yaml.Node `yaml:"Metadata"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
}

type rawFunction struct {
	Environment struct {
		Variables map[string]yaml.Node `yaml:"Variables"`
	} `yaml:"Environment"`
	Policies []yaml.Node `yaml:"Policies"`
	Events   map[string]struct {
		Type       string `yaml:"Type"`
		Properties struct {
			Method string `yaml:"Method"`
			Path   string `yaml:"Path"`
			Auth   struct {
				Authorizer string `yaml:"Authorizer"`
			} `yaml:"Auth"`
		} `yaml:"Properties"`
	} `yaml:"Events"`
}

type rawTable struct {
	AttributeDefinitions []AttributeDefinition `yaml:"AttributeDefinitions"`
	KeySchema            []KeyElement          `yaml:"KeySchema"`
	GlobalIndexes        []GlobalIndex         `yaml:"GlobalSecondaryIndexes"`
	TimeToLive           struct {
		AttributeName string `yaml:"AttributeName"`
		Enabled       bool   `yaml:"Enabled"`
	} `yaml:"TimeToLiveSpecification"`
	Stream struct {
		StreamViewType string `yaml:"StreamViewType"`
	} `yaml:"StreamSpecification"`
}

// Load parses the template file at path.
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse parses template bytes.
func Parse(b []byte) (*Template, error) {
	var raw rawTemplate
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	t := &Template{}
	for id, res := range raw.Resources {
		switch res.Type {
		case "AWS::Serverless::Function":
			f, err := parseFunction(id, &res.Metadata, &res.Properties)
			if err != nil {
				return nil, err
			}
			t.Functions = append(t.Functions, f)
		case "AWS::DynamoDB::Table":
			var rt rawTable
			if err := res.Properties.Decode(&rt); err != nil {
				return nil, fmt.Errorf("samtemplate: table %s: %w", id, err)
			}
			tb := Table{
				LogicalID:            id,
				AttributeDefinitions: rt.AttributeDefinitions,
				KeySchema:            rt.KeySchema,
				GlobalIndexes:        rt.GlobalIndexes,
				StreamViewType:       rt.Stream.StreamViewType,
			}
			if rt.TimeToLive.Enabled {
				tb.TTLAttribute = rt.TimeToLive.AttributeName
			}
			t.Tables = append(t.Tables, tb)
		}
	}
	sort.Slice(t.Functions, func(i, j int) bool { return t.Functions[i].LogicalID < t.Functions[j].LogicalID })
	sort.Slice(t.Tables, func(i, j int) bool { return t.Tables[i].LogicalID < t.Tables[j].LogicalID })
	return t, nil
}

func parseFunction(id string, meta, props *yaml.Node) (Function, error) {
	f := Function{LogicalID: id, Name: FunctionName(id), Env: map[string]string{}}
	f.Dir = filepath.ToSlash(filepath.Join("functions", f.Name))
	var m struct {
		BuildMethod string `yaml:"BuildMethod"`
	}
	if !meta.IsZero() {
		if err := meta.Decode(&m); err != nil {
			return f, fmt.Errorf("samtemplate: function %s metadata: %w", id, err)
		}
	}
	f.BuildMethod = m.BuildMethod
	var rf rawFunction
	if !props.IsZero() {
		if err := props.Decode(&rf); err != nil {
			return f, fmt.Errorf("samtemplate: function %s: %w", id, err)
		}
	}
	for name, v := range rf.Environment.Variables {
		f.Env[name] = v.Value
	}
	for _, p := range rf.Policies {
		switch p.Kind {
		case yaml.ScalarNode:
			f.Policies = append(f.Policies, p.Value)
		case yaml.MappingNode:
			for i := 0; i < len(p.Content); i += 2 {
				f.Policies = append(f.Policies, p.Content[i].Value)
			}
		}
	}
	names := make([]string, 0, len(rf.Events))
	for name := range rf.Events {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ev := rf.Events[name]
		switch ev.Type {
		case "HttpApi":
			r := Route{
				Method: strings.ToUpper(ev.Properties.Method),
				Path:   ev.Properties.Path,
				IAM:    ev.Properties.Auth.Authorizer == "AWS_IAM",
			}
			if r.Method == "" || r.Path == "" {
				return f, fmt.Errorf("samtemplate: function %s event %s: HttpApi needs Method and Path", id, name)
			}
			f.Routes = append(f.Routes, r)
		case "ScheduleV2", "Schedule":
			f.Schedules = append(f.Schedules, name)
		}
	}
	return f, nil
}

// FunctionName turns a logical id into the function's folder name:
// "InvoicesListFunction" becomes "invoices-list".
func FunctionName(logicalID string) string {
	s := strings.TrimSuffix(logicalID, "Function")
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Function returns the function with the given folder name.
func (t *Template) Function(name string) (Function, bool) {
	for _, f := range t.Functions {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}

// Find returns the path of template.yaml in the working directory or the
// nearest parent that has one (tests run in package folders).
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "template.yaml")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("samtemplate: no template.yaml in the working directory or its parents")
		}
		dir = parent
	}
}
