package templatecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadRepoTemplate(t *testing.T) *Template {
	t.Helper()
	tpl, err := Load(filepath.Join("..", "..", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// The stack stays well inside CloudFormation's 500 resources (the real
// transform's count is compared with this model in .ci/run).
func TestTemplateWithinResourceBudget(t *testing.T) {
	total, byType, err := Model(loadRepoTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	if total > ResourceBudget {
		t.Fatalf("template.yaml makes %d resources (%v), over the budget of %d of %d: %s", total, byType, ResourceBudget, ResourceLimit, SplitAdvice)
	}
	if byType["AWS::Lambda::Function"] < 80 || byType["AWS::CloudWatch::Alarm"] < MinAlarms {
		t.Fatalf("model looks wrong: %v", byType)
	}
	t.Logf("%d resources of %d (budget %d)", total, ResourceLimit, ResourceBudget)
}

func TestTemplateDeploymentRules(t *testing.T) {
	for _, p := range Source(loadRepoTemplate(t)) {
		t.Error(p)
	}
}

func parse(t *testing.T, yml string) *Template {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	tpl, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

const alarms = `
  A1: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmActions: [!Ref Topic] } }
  A2: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmActions: [!Ref Topic] } }
  A3: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmActions: [!Ref Topic] } }
  A4: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmActions: [!Ref Topic] } }
`

// The rules catch what they are for.
func TestSourceFindsProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yml string
		want      string // "" for no problem
	}{
		{"clean", `
Parameters:
  Secret: { Type: String, NoEcho: true }
  Name: { Type: String }
Resources:` + alarms + `
  F:
    Type: AWS::Serverless::Function
    Properties:
      Environment: { Variables: { SECRET_ID: !Ref Name } }
      Events:
        S:
          Type: DynamoDB
          Properties: { MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 60, BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Type: SQS, Destination: !GetAtt Q.Arn } } }
`, ""},
		{"secret in env", `
Parameters:
  Secret: { Type: String, NoEcho: true }
Resources:` + alarms + `
  F: { Type: AWS::Serverless::Function, Properties: { Environment: { Variables: { KEY: !Ref Secret } } } }
`, "F: environment variable takes the NoEcho parameter Secret"},
		{"secret in a Sub of Globals", `
Parameters:
  Secret: { Type: String, NoEcho: true }
Globals:
  Function: { Environment: { Variables: { URL: !Sub "https://x/${Secret}" } } }
Resources:` + alarms, "Globals: a function environment variable takes the NoEcho parameter Secret"},
		{"stream without destination", `
Resources:` + alarms + `
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events: { S: { Type: DynamoDB, Properties: { MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 60, BisectBatchOnFunctionError: true } } }
`, "F event S: stream mapping without DestinationConfig.OnFailure"},
		{"stream with unbounded retries", `
Resources:` + alarms + `
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events: { S: { Type: DynamoDB, Properties: { BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Destination: x } } } } }
`, "F event S: stream mapping without a bounded MaximumRetryAttempts"},
		{"schedule without DLQ", `
Resources:` + alarms + `
  F:
    Type: AWS::Serverless::Function
    Properties:
      EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: SQS, Destination: x } } }
      Events: { D: { Type: ScheduleV2, Properties: { ScheduleExpression: "rate(1 day)", RetryPolicy: { MaximumRetryAttempts: 2 } } } }
`, "F event D: schedule without DeadLetterConfig"},
		{"job without failure destination", `
Resources:` + alarms + `
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events: { D: { Type: ScheduleV2, Properties: { ScheduleExpression: "rate(1 day)", RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: x } } } }
`, "F: scheduled (asynchronously invoked) without EventInvokeConfig.DestinationConfig.OnFailure"},
		{"too few alarms", `
Resources:
  A1: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmActions: [x] } }
`, "1 CloudWatch alarms, want at least 4"},
		{"alarm nobody hears", `
Resources:` + alarms + `
  A5: { Type: AWS::CloudWatch::Alarm, Properties: { Threshold: 1 } }
`, "A5: alarm without AlarmActions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(Source(parse(t, tt.yml)), "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Fatalf("Source = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestModel(t *testing.T) {
	t.Parallel()
	tpl := parse(t, `
Resources:
  Api: { Type: AWS::Serverless::HttpApi, Properties: { StageName: $default } }
  F:
    Type: AWS::Serverless::Function
    Properties:
      EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: SQS, Destination: x } } }
      Events:
        A: { Type: HttpApi, Properties: { ApiId: !Ref Api, Method: GET, Path: /a } }
        B: { Type: HttpApi, Properties: { ApiId: !Ref Api, Method: GET, Path: /b } }
        D: { Type: ScheduleV2, Properties: { ScheduleExpression: "rate(1 day)", DeadLetterConfig: { Type: SQS } } }
        S: { Type: DynamoDB, Properties: { Stream: x } }
  G: { Type: AWS::Serverless::Function, Properties: { Role: arn } }
  Q: { Type: AWS::SQS::Queue }
  Sub: { Type: AWS::SNS::Subscription, Condition: HasEmail }
`)
	total, byType, err := Model(tpl)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"AWS::ApiGatewayV2::Api": 1, "AWS::ApiGatewayV2::Stage": 1, "AWS::Lambda::Function": 2,
		"AWS::IAM::Role":          2, // F's and its schedule's; G brings its own
		"AWS::Lambda::Permission": 2, "AWS::Scheduler::Schedule": 1, "AWS::SQS::Queue": 2, "AWS::Lambda::EventSourceMapping": 1,
		"AWS::Lambda::EventInvokeConfig": 1, "AWS::SNS::Subscription": 1,
	}
	sum := 0
	for k, n := range want {
		sum += n
		if byType[k] != n {
			t.Errorf("%s = %d, want %d", k, byType[k], n)
		}
	}
	if total != sum || len(byType) != len(want) {
		t.Fatalf("total %d %v, want %d", total, byType, sum)
	}
	for name, yml := range map[string]string{
		"alias":          "Resources:\n  F: { Type: AWS::Serverless::Function, Properties: { AutoPublishAlias: live } }\n",
		"unknown event":  "Resources:\n  F: { Type: AWS::Serverless::Function, Properties: { Events: { E: { Type: S3 } } } }\n",
		"unknown SAM":    "Resources:\n  T: { Type: AWS::Serverless::SimpleTable }\n",
		"generated dest": "Resources:\n  F: { Type: AWS::Serverless::Function, Properties: { EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: SQS } } } } }\n",
	} {
		if _, _, err := Model(parse(t, yml)); err == nil {
			t.Errorf("%s: Model counted what it does not model", name)
		}
	}
}

// Transformed compares the real transform's resources with the model and
// applies the rules to its output.
func TestTransformed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "transformed.json")
	out := `{"Parameters": {"Key": {"Type": "String", "NoEcho": true}},
	 "Resources": {
	  "F": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {"K": {"Ref": "Key"}}}}},
	  "M": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {}},
	  "S": {"Type": "AWS::Scheduler::Schedule", "Properties": {"Target": {}}}}}`
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	problems, err := Transformed(path, map[string]int{"AWS::Lambda::Function": 2, "AWS::Lambda::EventSourceMapping": 1, "AWS::Scheduler::Schedule": 1})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems, "\n")
	for _, want := range []string{
		"F: environment variable takes the NoEcho parameter Key",
		"M: event source mapping without DestinationConfig.OnFailure",
		"S: schedule without Target.DeadLetterConfig",
		"0 CloudWatch alarms, want at least 4",
		"AWS::Lambda::Function: the transform made 1, Model counted 2",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
}
