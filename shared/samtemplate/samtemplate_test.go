package samtemplate_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/shared/samtemplate"
)

const inlineTemplate = `
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        GLOBAL_ONLY: !Ref Brand
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: $default
  Bucket:
    Type: AWS::S3::Bucket
  MainTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-main"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - { AttributeName: pk, AttributeType: S }
        - { AttributeName: sk, AttributeType: S }
        - AttributeName: gsi1pk
          AttributeType: S
        - { AttributeName: gsi1sk, AttributeType: N }
      KeySchema:
        - { AttributeName: pk, KeyType: HASH }
        - { AttributeName: sk, KeyType: RANGE }
      GlobalSecondaryIndexes:
        - IndexName: GSI1
          KeySchema:
            - { AttributeName: gsi1pk, KeyType: HASH }
            - { AttributeName: gsi1sk, KeyType: RANGE }
          Projection:
            ProjectionType: INCLUDE
            NonKeyAttributes: [Status, Total]
        - IndexName: GSI2
          KeySchema:
            - { AttributeName: sk, KeyType: HASH }
          Projection: { ProjectionType: KEYS_ONLY }
      TimeToLiveSpecification:
        AttributeName: ttl
        Enabled: true
      StreamSpecification:
        StreamViewType: NEW_AND_OLD_IMAGES
  AuditTable:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - { AttributeName: id, AttributeType: S }
      KeySchema:
        - { AttributeName: id, KeyType: HASH }
      TimeToLiveSpecification:
        AttributeName: expires
        Enabled: false
  InvoicesListFunction:
    Type: AWS::Serverless::Function
    Metadata: { BuildMethod: makefile }
    Properties:
      Environment:
        Variables:
          TABLE_NAME: !Ref MainTable
          QUEUE_ARN: !GetAtt Queue.Arn
          API_URL: !Sub "https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com"
          PLAIN: hello
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBReadPolicy: { TableName: !Ref MainTable }
        - S3ReadPolicy:
            BucketName: !Ref Bucket
      Events:
        List:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Method: GET, Path: /v1/invoices }
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: get
            Path: /v1/invoices/{invoiceId}
  FilesFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Proxy:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Method: GET, Path: "/v1/files/{proxy+}" }
        Admin:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: POST
            Path: /admin/v1/files/{fileId}
            Auth:
              Authorizer: AWS_IAM
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 3 * * ? *)
        Hourly:
          Type: Schedule
          Properties: { Schedule: rate(1 hour) }
        Queue:
          Type: SQS
          Properties: { Queue: !GetAtt Queue.Arn }
  BareFunction:
    Type: AWS::Serverless::Function
Outputs:
  ApiUrl:
    Value: !Sub "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
`

func parseInline(t *testing.T) *samtemplate.Template {
	t.Helper()
	tmpl, err := samtemplate.Parse([]byte(inlineTemplate))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tmpl
}

func TestParseFunctions(t *testing.T) {
	t.Parallel()
	tmpl := parseInline(t)

	var ids []string
	for _, f := range tmpl.Functions {
		ids = append(ids, f.LogicalID)
	}
	if want := []string{"BareFunction", "FilesFunction", "InvoicesListFunction"}; !slices.Equal(ids, want) {
		t.Fatalf("functions = %v, want %v (sorted, only AWS::Serverless::Function)", ids, want)
	}

	inv, ok := tmpl.Function("invoices-list")
	if !ok {
		t.Fatal(`Function("invoices-list") not found`)
	}
	if inv.Name != "invoices-list" || inv.Dir != "functions/invoices-list" || inv.BuildMethod != "makefile" {
		t.Fatalf("function = %+v", inv)
	}
	// Events sorted by name: Get before List; methods upper-cased.
	wantRoutes := []samtemplate.Route{
		{Method: "GET", Path: "/v1/invoices/{invoiceId}"},
		{Method: "GET", Path: "/v1/invoices"},
	}
	if !slices.Equal(inv.Routes, wantRoutes) {
		t.Fatalf("routes = %+v, want %+v", inv.Routes, wantRoutes)
	}
	if want := []string{"AWSLambdaBasicExecutionRole", "DynamoDBReadPolicy", "S3ReadPolicy"}; !slices.Equal(inv.Policies, want) {
		t.Fatalf("policies = %v, want %v", inv.Policies, want)
	}
	wantEnv := map[string]string{
		"TABLE_NAME": "MainTable",
		"QUEUE_ARN":  "Queue.Arn",
		"API_URL":    "https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com",
		"PLAIN":      "hello",
	}
	if len(inv.Env) != len(wantEnv) {
		t.Fatalf("env = %v, want %v", inv.Env, wantEnv)
	}
	for k, v := range wantEnv {
		if inv.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, inv.Env[k], v)
		}
	}
	if len(inv.Schedules) != 0 {
		t.Fatalf("schedules = %v, want none", inv.Schedules)
	}

	files, ok := tmpl.Function("files")
	if !ok {
		t.Fatal(`Function("files") not found`)
	}
	wantFiles := []samtemplate.Route{
		{Method: "POST", Path: "/admin/v1/files/{fileId}", IAM: true},
		{Method: "GET", Path: "/v1/files/{proxy+}"},
	}
	if !slices.Equal(files.Routes, wantFiles) {
		t.Fatalf("routes = %+v, want %+v", files.Routes, wantFiles)
	}
	if want := []string{"Hourly", "Nightly"}; !slices.Equal(files.Schedules, want) {
		t.Fatalf("schedules = %v, want %v (SQS ignored)", files.Schedules, want)
	}
	if files.BuildMethod != "" || len(files.Policies) != 0 || len(files.Env) != 0 {
		t.Fatalf("files function = %+v", files)
	}

	bare, ok := tmpl.Function("bare")
	if !ok || len(bare.Routes) != 0 || bare.Env == nil {
		t.Fatalf("bare function = %+v, %v", bare, ok)
	}
	if _, ok := tmpl.Function("missing"); ok {
		t.Fatal(`Function("missing") found`)
	}
}

func TestRoutePattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		route samtemplate.Route
		want  string
	}{
		{samtemplate.Route{Method: "GET", Path: "/v1/status"}, "GET /v1/status"},
		{samtemplate.Route{Method: "GET", Path: "/v1/invoices/{invoiceId}"}, "GET /v1/invoices/{invoiceId}"},
		{samtemplate.Route{Method: "GET", Path: "/v1/files/{proxy+}"}, "GET /v1/files/{proxy...}"},
		{samtemplate.Route{Method: "DELETE", Path: "/v1/a/{id}/b/{rest+}"}, "DELETE /v1/a/{id}/b/{rest...}"},
	}
	for _, tt := range tests {
		if got := tt.route.Pattern(); got != tt.want {
			t.Errorf("Pattern(%s %s) = %q, want %q", tt.route.Method, tt.route.Path, got, tt.want)
		}
	}
}

func TestParseTables(t *testing.T) {
	t.Parallel()
	tmpl := parseInline(t)
	if len(tmpl.Tables) != 2 || tmpl.Tables[0].LogicalID != "AuditTable" || tmpl.Tables[1].LogicalID != "MainTable" {
		t.Fatalf("tables = %+v", tmpl.Tables)
	}
	audit, main := tmpl.Tables[0], tmpl.Tables[1]

	if audit.TTLAttribute != "" {
		t.Fatalf("disabled TTL reported as %q", audit.TTLAttribute)
	}
	if audit.StreamViewType != "" || len(audit.GlobalIndexes) != 0 {
		t.Fatalf("audit table = %+v", audit)
	}

	wantAttrs := []samtemplate.AttributeDefinition{
		{AttributeName: "pk", AttributeType: "S"}, {AttributeName: "sk", AttributeType: "S"},
		{AttributeName: "gsi1pk", AttributeType: "S"}, {AttributeName: "gsi1sk", AttributeType: "N"},
	}
	if !slices.Equal(main.AttributeDefinitions, wantAttrs) {
		t.Fatalf("attributes = %+v", main.AttributeDefinitions)
	}
	wantKey := []samtemplate.KeyElement{{AttributeName: "pk", KeyType: "HASH"}, {AttributeName: "sk", KeyType: "RANGE"}}
	if !slices.Equal(main.KeySchema, wantKey) {
		t.Fatalf("key schema = %+v", main.KeySchema)
	}
	if main.TTLAttribute != "ttl" || main.StreamViewType != "NEW_AND_OLD_IMAGES" {
		t.Fatalf("ttl %q stream %q", main.TTLAttribute, main.StreamViewType)
	}
	if len(main.GlobalIndexes) != 2 {
		t.Fatalf("indexes = %+v", main.GlobalIndexes)
	}
	g1, g2 := main.GlobalIndexes[0], main.GlobalIndexes[1]
	if g1.IndexName != "GSI1" || !slices.Equal(g1.KeySchema, []samtemplate.KeyElement{{AttributeName: "gsi1pk", KeyType: "HASH"}, {AttributeName: "gsi1sk", KeyType: "RANGE"}}) ||
		g1.Projection.ProjectionType != "INCLUDE" || !slices.Equal(g1.Projection.NonKeyAttributes, []string{"Status", "Total"}) {
		t.Fatalf("GSI1 = %+v", g1)
	}
	if g2.IndexName != "GSI2" || len(g2.KeySchema) != 1 || g2.Projection.ProjectionType != "KEYS_ONLY" {
		t.Fatalf("GSI2 = %+v", g2)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
	}{
		{"not yaml", "Resources: [unclosed"},
		{"route without path", `
Resources:
  XFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Api:
          Type: HttpApi
          Properties: { Method: GET }
`},
		{"route without method", `
Resources:
  XFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Api:
          Type: HttpApi
          Properties: { Path: /v1/x }
`},
		{"table properties of the wrong shape", `
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: not-a-list
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := samtemplate.Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", tmpl)
			}
			if !strings.HasPrefix(err.Error(), "samtemplate: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestFunctionName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"InvoicesListFunction":         "invoices-list",
		"StatusFunction":               "status",
		"MeFunction":                   "me",
		"LoginFunction":                "login",
		"PasswordResetConfirmFunction": "password-reset-confirm",
		"Invoices":                     "invoices",
	}
	for in, want := range tests {
		if got := samtemplate.FunctionName(in); got != want {
			t.Errorf("FunctionName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The repository's own template parses and declares what the README lists.
func TestRepositoryTemplate(t *testing.T) {
	t.Parallel()
	path, err := samtemplate.Find()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := samtemplate.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]string{}
	for _, f := range tmpl.Functions {
		for _, r := range f.Routes {
			routes[r.Pattern()] = f.LogicalID
		}
	}
	for pattern, fn := range map[string]string{
		"GET /v1/status":      "StatusFunction",
		"POST /v1/auth/login": "LoginFunction",
		"GET /v1/me":          "MeFunction",
		"GET /v1/invoices":    "InvoicesListFunction",
	} {
		if routes[pattern] != fn {
			t.Errorf("route %s → %q, want %s", pattern, routes[pattern], fn)
		}
	}
	var main *samtemplate.Table
	for i := range tmpl.Tables {
		if tmpl.Tables[i].LogicalID == "MainTable" {
			main = &tmpl.Tables[i]
		}
	}
	if main == nil {
		t.Fatal("no MainTable")
	}
	var idx []string
	for _, g := range main.GlobalIndexes {
		idx = append(idx, g.IndexName)
	}
	if !slices.Equal(idx, []string{"GSI1", "GSI2"}) || main.TTLAttribute != "ttl" {
		t.Fatalf("MainTable indexes %v ttl %q", idx, main.TTLAttribute)
	}
	if _, err := samtemplate.Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
	// The HTTP API's CORS: AllowOrigins is !Ref AllowedOrigins, resolved to
	// its default; the dev server applies exactly this.
	c := tmpl.CORS
	if c == nil || len(c.AllowOrigins) == 0 || !slices.Contains(c.AllowMethods, "GET") ||
		!slices.Contains(c.AllowHeaders, "Authorization") || !slices.Contains(c.ExposeHeaders, "X-Request-Id") || c.MaxAge <= 0 {
		t.Fatalf("CORS = %+v", c)
	}
	for _, o := range c.AllowOrigins {
		if !strings.HasPrefix(o, "https://") {
			t.Errorf("deployed origin %q is not https", o)
		}
	}
}

// corsTemplate is a template whose HTTP API has the given CorsConfiguration
// lines (indented under it) and the given extra top-level sections.
func corsTemplate(cors, extra string) string {
	return `
Parameters:
  Origins:
    Type: CommaDelimitedList
    Default: "https://a.example, https://b.example:8443 ,,https://c.example"
  OneOrigin:
    Type: String
    Default: https://one.example
  Age:
    Type: Number
    Default: 300
  NoDefault:
    Type: String
` + extra + `
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: $default
` + cors
}

func TestParseCORS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cors, extra string
		want              *samtemplate.CORS
	}{
		{"none", "", "", nil},
		{"!Ref to a CommaDelimitedList, literal lists, numbers", `
      CorsConfiguration:
        AllowOrigins: !Ref Origins
        AllowMethods: [GET, POST]
        AllowHeaders: [Authorization, Content-Type]
        ExposeHeaders: [X-Request-Id]
        MaxAge: 600
`, "", &samtemplate.CORS{AllowOrigins: []string{"https://a.example", "https://b.example:8443", "https://c.example"},
			AllowMethods: []string{"GET", "POST"}, AllowHeaders: []string{"Authorization", "Content-Type"}, ExposeHeaders: []string{"X-Request-Id"}, MaxAge: 600}},
		{"long-form Ref, !Ref items, parameter MaxAge, credentials", `
      CorsConfiguration:
        AllowOrigins:
          - !Ref OneOrigin
          - http://localhost:5173
        AllowMethods: { Ref: Origins }
        MaxAge: !Ref Age
        AllowCredentials: true
`, "", &samtemplate.CORS{AllowOrigins: []string{"https://one.example", "http://localhost:5173"},
			AllowMethods: []string{"https://a.example", "https://b.example:8443", "https://c.example"}, MaxAge: 300, AllowCredentials: true}},
		{"from Globals", "", `
Globals:
  HttpApi:
    CorsConfiguration:
      AllowOrigins: [https://global.example]
`, &samtemplate.CORS{AllowOrigins: []string{"https://global.example"}}},
		{"the API's own wins over Globals", `
      CorsConfiguration:
        AllowOrigins: [https://own.example]
`, `
Globals:
  HttpApi:
    CorsConfiguration:
      AllowOrigins: [https://global.example]
`, &samtemplate.CORS{AllowOrigins: []string{"https://own.example"}}},
		{"true allows everything", `
      CorsConfiguration: true
`, "", &samtemplate.CORS{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}},
		{"false is none", `
      CorsConfiguration: false
`, "", nil},
		{"one origin as a string", `
      CorsConfiguration: "https://solo.example"
`, "", &samtemplate.CORS{AllowOrigins: []string{"https://solo.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := samtemplate.Parse([]byte(corsTemplate(tt.cors, tt.extra)))
			if err != nil {
				t.Fatal(err)
			}
			got := tmpl.CORS
			if (got == nil) != (tt.want == nil) {
				t.Fatalf("CORS = %+v, want %+v", got, tt.want)
			}
			if got == nil {
				return
			}
			if !slices.Equal(got.AllowOrigins, tt.want.AllowOrigins) || !slices.Equal(got.AllowMethods, tt.want.AllowMethods) ||
				!slices.Equal(got.AllowHeaders, tt.want.AllowHeaders) || !slices.Equal(got.ExposeHeaders, tt.want.ExposeHeaders) ||
				got.MaxAge != tt.want.MaxAge || got.AllowCredentials != tt.want.AllowCredentials {
				t.Fatalf("CORS = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// A CORS value the dev server cannot resolve fails the parse, naming it,
// rather than leaving the local policy different from the deployed one.
func TestParseCORSErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cors, want string
	}{
		{"unknown parameter", "AllowOrigins: !Ref Nope", "no such parameter"},
		{"parameter without default", "AllowOrigins: !Ref NoDefault", "no default"},
		{"other intrinsic", `AllowOrigins: !Split [",", "https://a.example"]`, "!Split"},
		{"long-form intrinsic", `AllowOrigins: { "Fn::If": [c, a, b] }`, "Fn::If"},
		{"!Sub item", "AllowOrigins: [!Sub \"https://${AWS::Region}.example\"]", "!Sub"},
		{"unknown property", "AllowOrigin: [https://a.example]", "unknown property"},
		{"MaxAge not a number", "MaxAge: soon", "MaxAge"},
		{"negative MaxAge", "MaxAge: -1", "MaxAge"},
		{"list parameter as MaxAge", "MaxAge: !Ref Origins", "is a list"},
		{"AllowCredentials not a bool", "AllowCredentials: maybe", "AllowCredentials"},
		{"map as a list", "AllowOrigins: { a: b }", "want a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := samtemplate.Parse([]byte(corsTemplate("      CorsConfiguration:\n        "+tt.cors+"\n", "")))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", tmpl.CORS)
			}
			if !strings.HasPrefix(err.Error(), "samtemplate: HttpApi HttpApi: CorsConfiguration: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want one about %q", err, tt.want)
			}
		})
	}
	two := corsTemplate("", "") + `
  OtherApi:
    Type: AWS::Serverless::HttpApi
`
	if _, err := samtemplate.Parse([]byte(two)); err == nil || !strings.Contains(err.Error(), "HttpApi, OtherApi") {
		t.Fatalf("two HTTP APIs: %v, want an error naming both", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "template.yaml"), []byte(inlineTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "shared", "dynamo", "dynamotest")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	want, err := filepath.EvalSymlinks(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	for _, dir := range []string{root, sub, filepath.Join(root, "shared")} {
		t.Run(strings.TrimPrefix(dir, root), func(t *testing.T) {
			t.Chdir(dir)
			got, err := samtemplate.Find()
			if err != nil {
				t.Fatal(err)
			}
			if got, _ = filepath.EvalSymlinks(got); got != want {
				t.Fatalf("Find() = %q, want %q", got, want)
			}
			tmpl, err := samtemplate.Load(got)
			if err != nil || len(tmpl.Functions) != 3 {
				t.Fatalf("Load(Find()) = %v, %v", tmpl, err)
			}
		})
	}

	t.Run("no template anywhere up", func(t *testing.T) {
		empty := t.TempDir()
		for d := empty; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "template.yaml")); err == nil {
				t.Logf("%s has a template.yaml; the negative case cannot be checked here", d)
				return
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		t.Chdir(empty)
		if got, err := samtemplate.Find(); err == nil {
			t.Fatalf("Find() = %q, want an error", got)
		}
	})
}
