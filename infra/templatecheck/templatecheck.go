// Package templatecheck holds the deployment rules of template.yaml that
// the SAM transform and cfn-lint do not know: the stack's size against
// CloudFormation's 500-resource quota, no secret parameter in a function's
// environment, a failure destination for every stream mapping and
// asynchronously invoked job, a dead-letter queue for every schedule, and
// the alarms. make test checks them on template.yaml (Model and Source);
// .ci/run checks the same rules on the real SAM transform's output
// (Transformed), and that Model counted exactly what the transform made.
package templatecheck

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ResourceLimit is CloudFormation's quota of resources per stack;
// ResourceBudget is where this project stops adding to one stack.
const (
	ResourceLimit  = 500
	ResourceBudget = 450
	MinAlarms      = 4
)

// SplitAdvice says how to grow past ResourceBudget.
const SplitAdvice = `split the stack before it reaches CloudFormation's 500 resources: move a group of functions ` +
	`(e.g. the back office /admin/v1, or billing) into a nested stack (AWS::Serverless::Application with its own ` +
	`template) that receives the HttpApi id, the table and bucket names and the managed policy ARNs as parameters ` +
	`and attaches its routes to the same HttpApi (ApiId), so the route table and the API stay one; or give ` +
	`functions of one area a shared Role to save one IAM role per function`

// node is a CloudFormation value decoded from YAML or JSON.
type node = any

// Template is a CloudFormation/SAM template decoded into plain values;
// short-form tags (!Ref X, !GetAtt A.B, !Sub s) become their long forms
// ({"Ref": "X"}, ...), as CloudFormation reads them.
type Template struct {
	Parameters map[string]map[string]node
	Globals    map[string]node
	Resources  map[string]map[string]node
}

// Load reads a template (YAML or JSON).
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("templatecheck: %s: %w", path, err)
	}
	v, err := plain(&root)
	if err != nil {
		return nil, fmt.Errorf("templatecheck: %s: %w", path, err)
	}
	m, _ := v.(map[string]node)
	t := &Template{Parameters: map[string]map[string]node{}, Globals: mapOf(m["Globals"]), Resources: map[string]map[string]node{}}
	for k, p := range mapOf(m["Parameters"]) {
		t.Parameters[k] = mapOf(p)
	}
	for k, r := range mapOf(m["Resources"]) {
		t.Resources[k] = mapOf(r)
	}
	return t, nil
}

// plain turns a YAML node into maps, slices and scalars, with short-form
// intrinsic tags in their long form.
func plain(n *yaml.Node) (node, error) {
	var v node
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return plain(n.Content[0])
	case yaml.AliasNode:
		return plain(n.Alias)
	case yaml.MappingNode:
		m := map[string]node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			val, err := plain(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = val
		}
		v = m
	case yaml.SequenceNode:
		s := []node{}
		for _, c := range n.Content {
			val, err := plain(c)
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		v = s
	case yaml.ScalarNode:
		if intrinsic(n.Tag) {
			v = n.Value
		} else if err := n.Decode(&v); err != nil {
			return nil, err
		}
	}
	switch tag := n.Tag; {
	case !intrinsic(tag):
	case tag == "!Ref":
		return map[string]node{"Ref": v}, nil
	case tag == "!GetAtt":
		if s, ok := v.(string); ok {
			a, b, _ := strings.Cut(s, ".")
			v = []node{a, b}
		}
		return map[string]node{"Fn::GetAtt": v}, nil
	default:
		return map[string]node{"Fn::" + tag[1:]: v}, nil
	}
	return v, nil
}

// intrinsic reports whether a YAML tag is a CloudFormation short form
// (!Ref, !Sub, ...), not one of YAML's own (!!str, !!int, ...).
func intrinsic(tag string) bool {
	return strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!")
}

func mapOf(v node) map[string]node {
	m, _ := v.(map[string]node)
	if m == nil {
		return map[string]node{}
	}
	return m
}

func listOf(v node) []node {
	l, _ := v.([]node)
	return l
}

// Model counts the resources the SAM transform makes of t, by the rules of
// samtranslator for the features this project uses. A SAM resource, event
// type or property it does not model is an error, so the model cannot
// silently fall behind the template.
func Model(t *Template) (int, map[string]int, error) {
	byType := map[string]int{}
	add := func(typ string, n int) { byType[typ] += n }
	for id, r := range t.Resources {
		typ, _ := r["Type"].(string)
		props := mapOf(r["Properties"])
		switch typ {
		case "AWS::Serverless::Function":
			add("AWS::Lambda::Function", 1)
			if props["Role"] == nil {
				add("AWS::IAM::Role", 1)
			}
			for _, unsupported := range []string{"AutoPublishAlias", "DeploymentPreference", "FunctionUrlConfig", "ProvisionedConcurrencyConfig", "SnapStart"} {
				if props[unsupported] != nil {
					return 0, nil, fmt.Errorf("templatecheck: %s uses %s, which Model does not count yet", id, unsupported)
				}
			}
			if eic := mapOf(props["EventInvokeConfig"]); len(eic) > 0 {
				add("AWS::Lambda::EventInvokeConfig", 1)
				for _, dest := range []string{"OnSuccess", "OnFailure"} {
					d := mapOf(mapOf(eic["DestinationConfig"])[dest])
					if len(d) > 0 && d["Destination"] == nil {
						return 0, nil, fmt.Errorf("templatecheck: %s: EventInvokeConfig %s without Destination (SAM would create a queue or topic; Model does not count it)", id, dest)
					}
				}
			}
			for name, e := range mapOf(props["Events"]) {
				ev := mapOf(e)
				ep := mapOf(ev["Properties"])
				switch ev["Type"] {
				case "HttpApi":
					add("AWS::Lambda::Permission", 1)
				case "ScheduleV2":
					add("AWS::Scheduler::Schedule", 1)
					if ep["RoleArn"] == nil {
						add("AWS::IAM::Role", 1)
					}
					if dlq := mapOf(ep["DeadLetterConfig"]); dlq["Type"] != nil {
						add("AWS::SQS::Queue", 1)
					}
				case "DynamoDB", "SQS", "Kinesis":
					add("AWS::Lambda::EventSourceMapping", 1)
				default:
					return 0, nil, fmt.Errorf("templatecheck: %s event %s: type %v is not modelled", id, name, ev["Type"])
				}
			}
		case "AWS::Serverless::HttpApi":
			add("AWS::ApiGatewayV2::Api", 1)
			add("AWS::ApiGatewayV2::Stage", 1)
			for _, unsupported := range []string{"Domain", "AccessLogSettings"} {
				if props[unsupported] != nil {
					return 0, nil, fmt.Errorf("templatecheck: %s uses %s, which Model does not count yet", id, unsupported)
				}
			}
		default:
			if strings.HasPrefix(typ, "AWS::Serverless::") {
				return 0, nil, fmt.Errorf("templatecheck: %s: %s is not modelled", id, typ)
			}
			add(typ, 1) // counted even when its Condition is false: the largest stack
		}
	}
	total := 0
	for _, n := range byType {
		total += n
	}
	return total, byType, nil
}

// Source checks the deployment rules on template.yaml itself.
func Source(t *Template) []string {
	var problems []string
	secret := secretParams(t)
	globalEnv := mapOf(mapOf(mapOf(mapOf(t.Globals["Function"])["Environment"]))["Variables"])
	for _, p := range refsTo(globalEnv, secret) {
		problems = append(problems, "Globals: a function environment variable takes the NoEcho parameter "+p)
	}
	alarms := 0
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		r := t.Resources[id]
		props := mapOf(r["Properties"])
		switch r["Type"] {
		case "AWS::Serverless::Function":
			env := mapOf(mapOf(props["Environment"])["Variables"])
			for _, p := range refsTo(env, secret) {
				problems = append(problems, id+": environment variable takes the NoEcho parameter "+p)
			}
			scheduled := false
			for name, e := range mapOf(props["Events"]) {
				ev := mapOf(e)
				ep := mapOf(ev["Properties"])
				switch ev["Type"] {
				case "DynamoDB", "Kinesis":
					if mapOf(mapOf(ep["DestinationConfig"])["OnFailure"])["Destination"] == nil {
						problems = append(problems, id+" event "+name+": stream mapping without DestinationConfig.OnFailure")
					}
					if ep["BisectBatchOnFunctionError"] != true {
						problems = append(problems, id+" event "+name+": stream mapping without BisectBatchOnFunctionError")
					}
					if n, ok := ep["MaximumRetryAttempts"].(int); !ok || n < 0 {
						problems = append(problems, id+" event "+name+": stream mapping without a bounded MaximumRetryAttempts")
					}
					if n, ok := ep["MaximumRecordAgeInSeconds"].(int); !ok || n < 0 {
						problems = append(problems, id+" event "+name+": stream mapping without a bounded MaximumRecordAgeInSeconds")
					}
				case "ScheduleV2", "Schedule":
					scheduled = true
					if len(mapOf(ep["DeadLetterConfig"])) == 0 {
						problems = append(problems, id+" event "+name+": schedule without DeadLetterConfig")
					}
					if len(mapOf(ep["RetryPolicy"])) == 0 {
						problems = append(problems, id+" event "+name+": schedule without RetryPolicy")
					}
				}
			}
			if scheduled && mapOf(mapOf(mapOf(props["EventInvokeConfig"])["DestinationConfig"])["OnFailure"])["Destination"] == nil {
				problems = append(problems, id+": scheduled (asynchronously invoked) without EventInvokeConfig.DestinationConfig.OnFailure")
			}
		case "AWS::CloudWatch::Alarm":
			alarms++
			if len(listOf(props["AlarmActions"])) == 0 {
				problems = append(problems, id+": alarm without AlarmActions")
			}
		}
	}
	if alarms < MinAlarms {
		problems = append(problems, fmt.Sprintf("%d CloudWatch alarms, want at least %d", alarms, MinAlarms))
	}
	return problems
}

// Transformed checks the rules on the SAM transform's output (sam-check's
// transformed.json) and that it has modelled resources: exactly what
// Model counted on the source.
func Transformed(path string, modelled map[string]int) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t struct {
		Parameters map[string]map[string]node
		Resources  map[string]struct {
			Type       string
			Properties map[string]node
		}
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("templatecheck: %s: %w", path, err)
	}
	secret := map[string]bool{}
	for name, p := range t.Parameters {
		if p["NoEcho"] == true || p["NoEcho"] == "true" {
			secret[name] = true
		}
	}
	var problems []string
	byType := map[string]int{}
	alarms := 0
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		r := t.Resources[id]
		byType[r.Type]++
		switch r.Type {
		case "AWS::Lambda::Function":
			env := mapOf(mapOf(r.Properties["Environment"])["Variables"])
			for _, p := range refsTo(env, secret) {
				problems = append(problems, id+": environment variable takes the NoEcho parameter "+p)
			}
		case "AWS::Lambda::EventSourceMapping":
			if mapOf(mapOf(r.Properties["DestinationConfig"])["OnFailure"])["Destination"] == nil {
				problems = append(problems, id+": event source mapping without DestinationConfig.OnFailure")
			}
		case "AWS::Scheduler::Schedule":
			if mapOf(mapOf(r.Properties["Target"])["DeadLetterConfig"])["Arn"] == nil {
				problems = append(problems, id+": schedule without Target.DeadLetterConfig")
			}
		case "AWS::CloudWatch::Alarm":
			alarms++
		}
	}
	if alarms < MinAlarms {
		problems = append(problems, fmt.Sprintf("%d CloudWatch alarms, want at least %d", alarms, MinAlarms))
	}
	types := map[string]bool{}
	for k := range byType {
		types[k] = true
	}
	for k := range modelled {
		types[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(types)) {
		if byType[k] != modelled[k] {
			problems = append(problems, fmt.Sprintf("%s: the transform made %d, Model counted %d (update templatecheck.Model)", k, byType[k], modelled[k]))
		}
	}
	return problems, nil
}

// secretParams are the NoEcho parameters.
func secretParams(t *Template) map[string]bool {
	out := map[string]bool{}
	for name, p := range t.Parameters {
		if p["NoEcho"] == true || p["NoEcho"] == "true" {
			out[name] = true
		}
	}
	return out
}

// refsTo lists the parameters of names that v refers to ({"Ref": p} or
// "${p}" in a Fn::Sub), anywhere inside it.
func refsTo(v node, names map[string]bool) []string {
	var out []string
	var walk func(node)
	walk = func(v node) {
		switch x := v.(type) {
		case map[string]node:
			if r, ok := x["Ref"].(string); ok && names[r] {
				out = append(out, r)
			}
			if sub, ok := x["Fn::Sub"]; ok {
				s, _ := sub.(string)
				if l := listOf(sub); len(l) > 0 {
					s, _ = l[0].(string)
				}
				for n := range names {
					if strings.Contains(s, "${"+n+"}") {
						out = append(out, n)
					}
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []node:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	sort.Strings(out)
	return out
}
