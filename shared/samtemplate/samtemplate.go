// Package samtemplate reads the parts of template.yaml that local runs need:
// the HTTP routes of every function (the one route table), the DynamoDB
// table definitions and the HTTP API's CORS configuration. It understands
// CloudFormation short-form tags (!Ref, !Sub, ...) only as far as ignoring
// them where they do not matter, and resolving !Ref to a parameter's
// default in the CORS configuration.
package samtemplate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is the parsed subset of a SAM template.
type Template struct {
	Functions []Function
	Tables    []Table
	// CORS is the CorsConfiguration of the template's HTTP API
	// (AWS::Serverless::HttpApi, or Globals.HttpApi); nil when it has
	// none.
	CORS *CORS
}

// CORS is an HTTP API's CorsConfiguration, each !Ref resolved to the
// parameter's default (a CommaDelimitedList split into its items): what
// API Gateway applies when the stack is deployed with default parameters.
type CORS struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	MaxAge           int // seconds; 0 when unset
	AllowCredentials bool
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
	Parameters map[string]rawParameter `yaml:"Parameters"`
	Globals    struct {
		HttpApi struct {
			CorsConfiguration yaml.Node `yaml:"CorsConfiguration"`
		} `yaml:"HttpApi"`
	} `yaml:"Globals"`
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Metadata   yaml.Node `yaml:"Metadata"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
}

type rawParameter struct {
	Type    string    `yaml:"Type"`
	Default yaml.Node `yaml:"Default"`
}

type rawHTTPAPI struct {
	CorsConfiguration yaml.Node `yaml:"CorsConfiguration"`
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
	var apis []string
	for id, res := range raw.Resources {
		switch res.Type {
		case "AWS::Serverless::HttpApi":
			apis = append(apis, id)
			var ra rawHTTPAPI
			if !res.Properties.IsZero() {
				if err := res.Properties.Decode(&ra); err != nil {
					return nil, fmt.Errorf("samtemplate: HttpApi %s: %w", id, err)
				}
			}
			cfg := &ra.CorsConfiguration
			if cfg.IsZero() {
				cfg = &raw.Globals.HttpApi.CorsConfiguration
			}
			cors, err := parseCORS(cfg, raw.Parameters)
			if err != nil {
				return nil, fmt.Errorf("samtemplate: HttpApi %s: CorsConfiguration: %w", id, err)
			}
			t.CORS = cors
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
	if len(apis) > 1 {
		// The dev server serves every route on one port with one CORS
		// policy: a second API needs more than this reader.
		sort.Strings(apis)
		return nil, fmt.Errorf("samtemplate: more than one AWS::Serverless::HttpApi (%s)", strings.Join(apis, ", "))
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

// parseCORS reads a SAM HttpApi CorsConfiguration: a map of the
// HttpApiCorsConfiguration properties, or the short forms SAM accepts (true
// for every origin, or one origin as a string). A value the dev server
// cannot resolve (an intrinsic other than !Ref, a parameter without a
// default) is an error, so the local CORS policy never silently differs
// from the deployed one.
func parseCORS(n *yaml.Node, params map[string]rawParameter) (*CORS, error) {
	if n.IsZero() {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		on, err := strconv.ParseBool(n.Value)
		if err != nil || !on {
			return nil, err
		}
		return &CORS{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}, nil
	}
	if n.Kind == yaml.ScalarNode {
		origins, err := resolveList(n, params)
		if err != nil {
			return nil, err
		}
		return &CORS{AllowOrigins: origins}, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a map of CORS properties", n.Line)
	}
	c := &CORS{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, v := n.Content[i].Value, n.Content[i+1]
		var err error
		switch key {
		case "AllowOrigins":
			c.AllowOrigins, err = resolveList(v, params)
		case "AllowMethods":
			c.AllowMethods, err = resolveList(v, params)
		case "AllowHeaders":
			c.AllowHeaders, err = resolveList(v, params)
		case "ExposeHeaders":
			c.ExposeHeaders, err = resolveList(v, params)
		case "MaxAge":
			var s string
			if s, err = resolveScalar(v, params); err == nil {
				if c.MaxAge, err = strconv.Atoi(s); err != nil || c.MaxAge < 0 {
					err = fmt.Errorf("want a number of seconds, not %q", s)
				}
			}
		case "AllowCredentials":
			var s string
			if s, err = resolveScalar(v, params); err == nil {
				c.AllowCredentials, err = strconv.ParseBool(s)
			}
		default:
			err = fmt.Errorf("unknown property")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	return c, nil
}

// resolveList resolves a list-valued property: a YAML sequence of strings
// (each may be a !Ref to a String parameter), a !Ref to a parameter (a
// CommaDelimitedList gives its items), or a single string.
func resolveList(n *yaml.Node, params map[string]rawParameter) ([]string, error) {
	name, isRef, err := refName(n)
	if err != nil {
		return nil, err
	}
	switch {
	case !isRef && n.Kind == yaml.SequenceNode:
		out := []string{}
		for _, item := range n.Content {
			s, err := resolveScalar(item, params)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case !isRef && n.Kind == yaml.ScalarNode:
		return []string{n.Value}, nil
	case !isRef:
		return nil, fmt.Errorf("line %d: want a list", n.Line)
	}
	p, def, err := parameterDefault(name, params)
	if err != nil {
		return nil, err
	}
	if p.Type != "CommaDelimitedList" {
		return []string{def}, nil
	}
	out := []string{}
	for _, item := range strings.Split(def, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out, nil
}

// resolveScalar resolves a single value: a plain scalar or a !Ref to a
// parameter that is not a list.
func resolveScalar(n *yaml.Node, params map[string]rawParameter) (string, error) {
	name, isRef, err := refName(n)
	if err != nil {
		return "", err
	}
	if !isRef {
		if n.Kind != yaml.ScalarNode {
			return "", fmt.Errorf("line %d: want a single value", n.Line)
		}
		return n.Value, nil
	}
	p, def, err := parameterDefault(name, params)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(p.Type, "List<") || p.Type == "CommaDelimitedList" {
		return "", fmt.Errorf("parameter %s is a list, want a single value", name)
	}
	return def, nil
}

// refName recognises !Ref Name and {Ref: Name}; any other intrinsic
// function (!Sub, !If, !Split, ...) is an error.
func refName(n *yaml.Node) (name string, isRef bool, err error) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		return n.Value, true, nil
	case n.Kind == yaml.ScalarNode && intrinsic(n.Tag):
		return "", false, fmt.Errorf("line %d: %s cannot be resolved locally (only !Ref to a parameter)", n.Line, n.Tag)
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref":
		return n.Content[1].Value, true, nil
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && strings.HasPrefix(n.Content[0].Value, "Fn::"):
		return "", false, fmt.Errorf("line %d: %s cannot be resolved locally (only Ref to a parameter)", n.Line, n.Content[0].Value)
	case (n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode) && intrinsic(n.Tag):
		return "", false, fmt.Errorf("line %d: %s cannot be resolved locally (only !Ref to a parameter)", n.Line, n.Tag)
	}
	return "", false, nil
}

// intrinsic reports whether a YAML tag is a CloudFormation short-form
// function (!Sub, !If, ...) rather than a standard type (!!str, !!int).
func intrinsic(tag string) bool {
	return strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!")
}

// parameterDefault returns the template parameter name and its default.
func parameterDefault(name string, params map[string]rawParameter) (rawParameter, string, error) {
	p, ok := params[name]
	if !ok {
		return p, "", fmt.Errorf("!Ref %s: no such parameter", name)
	}
	if p.Default.IsZero() || p.Default.Kind != yaml.ScalarNode {
		return p, "", fmt.Errorf("!Ref %s: the parameter has no default to use locally", name)
	}
	return p, p.Default.Value, nil
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
