// Package secretslocal runs an AWS Secrets Manager stand-in on 127.0.0.1
// for the dev server, the benchmarks and the tests. It speaks the real
// service's protocol (JSON 1.1 over HTTP POST, X-Amz-Target
// secretsmanager.<Operation>, SigV4 in the Authorization header, checked
// as the service does), so the functions read their secrets through the
// same SDK code path as in AWS. It keeps secrets in memory with versions
// and staging labels: PutSecretValue moves AWSCURRENT to the new version
// and AWSPREVIOUS to the version that had it, as the service does.
//
// Operations: CreateSecret, PutSecretValue, GetSecretValue, DescribeSecret,
// ListSecretVersionIds, UpdateSecretVersionStage. Errors are the service's
// (ResourceNotFoundException, ResourceExistsException,
// InvalidParameterException, InvalidRequestException, ...).
package secretslocal

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/clientzone/clientzone/infra/local/sigv4local"
)

// Staging labels of the service.
const (
	Current  = "AWSCURRENT"
	Previous = "AWSPREVIOUS"
)

// Server is a running stand-in.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Region   string
	srv      *http.Server
	now      func() time.Time

	mu      sync.Mutex
	secrets map[string]*secret // by name
}

type secret struct {
	name, arn, description string
	created, changed       time.Time
	versions               map[string]*version // by version id
}

type version struct {
	id      string
	str     *string
	bin     []byte
	stages  []string
	created time.Time
}

// Start serves the stand-in on a free loopback port for region.
func Start(region string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("secretslocal: listen: %w", err)
	}
	s := &Server{Endpoint: "http://" + ln.Addr().String(), Region: region, now: time.Now, secrets: map[string]*secret{}}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Printf("secretslocal: %v\n", err)
		}
	}()
	return s, nil
}

// Stop shuts the server down.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// apiError is an error answer of the service.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func errNotFound(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "ResourceNotFoundException", msg}
}
func errInvalid(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameterException", msg}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, &apiError{http.StatusBadRequest, "InvalidRequestException", "could not read the request body"})
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		writeError(w, &apiError{http.StatusNotFound, "UnknownOperationException", "POST / only"})
		return
	}
	if e := sigv4local.CheckHeader(r, body, "secretsmanager", s.now()); e != nil {
		status := http.StatusBadRequest
		if e.Code == "MissingAuthenticationTokenException" {
			status = http.StatusForbidden
		}
		writeError(w, &apiError{status, e.Code, e.Message})
		return
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager.")
	if !ok || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1") {
		writeError(w, &apiError{http.StatusBadRequest, "UnknownOperationException", "want X-Amz-Target secretsmanager.<Operation> and Content-Type application/x-amz-json-1.1"})
		return
	}
	handlers := map[string]func([]byte) (any, error){
		"CreateSecret":             s.createSecret,
		"PutSecretValue":           s.putSecretValue,
		"GetSecretValue":           s.getSecretValue,
		"DescribeSecret":           s.describeSecret,
		"ListSecretVersionIds":     s.listSecretVersionIds,
		"UpdateSecretVersionStage": s.updateSecretVersionStage,
	}
	h, ok := handlers[op]
	if !ok {
		writeError(w, &apiError{http.StatusBadRequest, "UnknownOperationException", op + " is not supported by the local stand-in"})
		return
	}
	out, err := h(body)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = &apiError{http.StatusBadRequest, "SerializationException", err.Error()}
		}
		writeError(w, ae)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", e.code)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "Message": e.msg})
}

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &apiError{http.StatusBadRequest, "SerializationException", "the request body is not valid JSON for this operation"}
	}
	return nil
}

// epoch is the service's timestamp format: seconds since the epoch.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// find returns the secret a SecretId (name or ARN) names. Callers hold mu.
func (s *Server) find(id string) (*secret, error) {
	if id == "" {
		return nil, errInvalid("SecretId is required.")
	}
	if sec, ok := s.secrets[id]; ok {
		return sec, nil
	}
	for _, sec := range s.secrets {
		if sec.arn == id {
			return sec, nil
		}
	}
	return nil, errNotFound("Secrets Manager can't find the specified secret.")
}

// withStage returns the version holding a staging label. Callers hold mu.
func (sec *secret) withStage(stage string) *version {
	for _, v := range sec.versions {
		if slices.Contains(v.stages, stage) {
			return v
		}
	}
	return nil
}

// stage moves label to v, taking it from whichever version had it; moving
// AWSCURRENT gives the version that had it AWSPREVIOUS. Callers hold mu.
func (sec *secret) stage(v *version, label string) {
	old := sec.withStage(label)
	if old == v {
		return
	}
	if old != nil {
		old.stages = slices.DeleteFunc(old.stages, func(l string) bool { return l == label })
	}
	if label == Current {
		if prev := sec.withStage(Previous); prev != nil {
			prev.stages = slices.DeleteFunc(prev.stages, func(l string) bool { return l == Previous })
		}
		if old != nil {
			old.stages = append(old.stages, Previous)
		}
	}
	v.stages = append(v.stages, label)
}

// prune drops versions without a staging label, as the service eventually
// does with deprecated versions. Callers hold mu.
func (sec *secret) prune() {
	for id, v := range sec.versions {
		if len(v.stages) == 0 {
			delete(sec.versions, id)
		}
	}
}

type valueInput struct {
	SecretString       *string
	SecretBinary       []byte
	ClientRequestToken string
}

func (in valueInput) check() error {
	if (in.SecretString == nil) == (in.SecretBinary == nil) {
		return errInvalid("You must provide either SecretString or SecretBinary.")
	}
	if in.ClientRequestToken != "" && (len(in.ClientRequestToken) < 32 || len(in.ClientRequestToken) > 64) {
		return errInvalid("ClientRequestToken must be 32 to 64 characters.")
	}
	return nil
}

func (in valueInput) sameValue(v *version) bool {
	if in.SecretString != nil {
		return v.str != nil && *v.str == *in.SecretString
	}
	return v.bin != nil && string(v.bin) == string(in.SecretBinary)
}

func (s *Server) newVersion(in valueInput) *version {
	id := in.ClientRequestToken
	if id == "" {
		id = uuid()
	}
	return &version{id: id, str: in.SecretString, bin: in.SecretBinary, created: s.now()}
}

func (s *Server) createSecret(body []byte) (any, error) {
	var in struct {
		Name        string
		Description string
		valueInput
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Name == "" || len(in.Name) > 512 || strings.HasPrefix(in.Name, "arn:") {
		return nil, errInvalid("Name must be 1 to 512 characters and not an ARN.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.secrets[in.Name]; ok {
		return nil, &apiError{http.StatusBadRequest, "ResourceExistsException", "The operation failed because the secret " + in.Name + " already exists."}
	}
	now := s.now()
	sec := &secret{name: in.Name, description: in.Description, created: now, changed: now, versions: map[string]*version{},
		arn: fmt.Sprintf("arn:aws:secretsmanager:%s:000000000000:secret:%s-%s", s.Region, in.Name, suffix())}
	s.secrets[in.Name] = sec
	out := map[string]any{"ARN": sec.arn, "Name": sec.name}
	if in.SecretString != nil || in.SecretBinary != nil {
		if err := in.check(); err != nil {
			delete(s.secrets, in.Name)
			return nil, err
		}
		v := s.newVersion(in.valueInput)
		sec.versions[v.id] = v
		sec.stage(v, Current)
		out["VersionId"] = v.id
	}
	return out, nil
}

func (s *Server) putSecretValue(body []byte) (any, error) {
	var in struct {
		SecretId      string
		VersionStages []string
		valueInput
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.find(in.SecretId)
	if err != nil {
		return nil, err
	}
	stages := in.VersionStages
	if len(stages) == 0 {
		stages = []string{Current}
	}
	if v, ok := sec.versions[in.ClientRequestToken]; ok && in.ClientRequestToken != "" {
		// A retry with the same token: the same value is a no-op, another
		// value a conflict.
		if !in.sameValue(v) {
			return nil, &apiError{http.StatusBadRequest, "ResourceExistsException", "A version with this ClientRequestToken already exists with a different value."}
		}
		return map[string]any{"ARN": sec.arn, "Name": sec.name, "VersionId": v.id, "VersionStages": v.stages}, nil
	}
	v := s.newVersion(in.valueInput)
	sec.versions[v.id] = v
	for _, st := range stages {
		sec.stage(v, st)
	}
	sec.prune()
	sec.changed = s.now()
	return map[string]any{"ARN": sec.arn, "Name": sec.name, "VersionId": v.id, "VersionStages": v.stages}, nil
}

func (s *Server) getSecretValue(body []byte) (any, error) {
	var in struct{ SecretId, VersionId, VersionStage string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.find(in.SecretId)
	if err != nil {
		return nil, err
	}
	var v *version
	switch {
	case in.VersionId != "":
		v = sec.versions[in.VersionId]
		if v != nil && in.VersionStage != "" && !slices.Contains(v.stages, in.VersionStage) {
			return nil, errInvalid("The version " + in.VersionId + " does not have the staging label " + in.VersionStage + ".")
		}
	default:
		stage := in.VersionStage
		if stage == "" {
			stage = Current
		}
		v = sec.withStage(stage)
	}
	if v == nil {
		return nil, errNotFound("Secrets Manager can't find the specified secret value for VersionId or staging label.")
	}
	out := map[string]any{"ARN": sec.arn, "Name": sec.name, "VersionId": v.id, "VersionStages": v.stages, "CreatedDate": epoch(v.created)}
	if v.str != nil {
		out["SecretString"] = *v.str
	} else {
		out["SecretBinary"] = v.bin // base64 in JSON, as the service sends it
	}
	return out, nil
}

// onSecret decodes a request naming only a SecretId and answers f's view
// of that secret.
func (s *Server) onSecret(body []byte, f func(*secret) map[string]any) (any, error) {
	var in struct{ SecretId string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.find(in.SecretId)
	if err != nil {
		return nil, err
	}
	return f(sec), nil
}

func (s *Server) describeSecret(body []byte) (any, error) {
	return s.onSecret(body, func(sec *secret) map[string]any {
		stages := map[string][]string{}
		for id, v := range sec.versions {
			stages[id] = v.stages
		}
		return map[string]any{"ARN": sec.arn, "Name": sec.name, "Description": sec.description,
			"CreatedDate": epoch(sec.created), "LastChangedDate": epoch(sec.changed), "VersionIdsToStages": stages}
	})
}

func (s *Server) listSecretVersionIds(body []byte) (any, error) {
	return s.onSecret(body, func(sec *secret) map[string]any {
		versions := []map[string]any{}
		for _, v := range sec.versions {
			versions = append(versions, map[string]any{"VersionId": v.id, "VersionStages": v.stages, "CreatedDate": epoch(v.created)})
		}
		sort.Slice(versions, func(i, j int) bool {
			return versions[i]["CreatedDate"].(float64) > versions[j]["CreatedDate"].(float64)
		})
		return map[string]any{"ARN": sec.arn, "Name": sec.name, "Versions": versions}
	})
}

// updateSecretVersionStage moves a staging label to a version (e.g. back
// to the previous version to undo a rotation).
func (s *Server) updateSecretVersionStage(body []byte) (any, error) {
	var in struct{ SecretId, VersionStage, MoveToVersionId, RemoveFromVersionId string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.VersionStage == "" {
		return nil, errInvalid("VersionStage is required.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.find(in.SecretId)
	if err != nil {
		return nil, err
	}
	holder := sec.withStage(in.VersionStage)
	if holder != nil && in.MoveToVersionId != "" && holder.id != in.MoveToVersionId && holder.id != in.RemoveFromVersionId {
		return nil, &apiError{http.StatusBadRequest, "InvalidParameterException",
			"The staging label " + in.VersionStage + " is currently attached to version " + holder.id + ", so you must explicitly reference that version in RemoveFromVersionId."}
	}
	switch {
	case in.MoveToVersionId != "":
		v, ok := sec.versions[in.MoveToVersionId]
		if !ok {
			return nil, errNotFound("Secrets Manager can't find the specified secret version.")
		}
		sec.stage(v, in.VersionStage)
	case in.RemoveFromVersionId != "":
		if in.VersionStage == Current {
			return nil, errInvalid("You can't remove AWSCURRENT without moving it to another version.")
		}
		if v, ok := sec.versions[in.RemoveFromVersionId]; ok {
			v.stages = slices.DeleteFunc(v.stages, func(l string) bool { return l == in.VersionStage })
		}
	default:
		return nil, errInvalid("MoveToVersionId or RemoveFromVersionId is required.")
	}
	sec.prune()
	sec.changed = s.now()
	return map[string]any{"ARN": sec.arn, "Name": sec.name}, nil
}

// uuid is a random version 4 UUID, the service's version ids.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// suffix is the six random characters the service appends to a secret's ARN.
func suffix() string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b[:])
}

// Put stores secrets (name → string value) through the service's own API,
// as an operator's `aws secretsmanager create-secret` / `put-secret-value`
// would: a new secret is created, an existing one gets a new AWSCURRENT
// version. Endpoint is any Secrets Manager endpoint (a Server's).
func Put(ctx context.Context, endpoint, region string, secrets map[string]string) error {
	c := Client(endpoint, region)
	for name, value := range secrets {
		_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
		var exists *types.ResourceExistsException
		if errors.As(err, &exists) {
			_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String(value)})
		}
		if err != nil {
			return fmt.Errorf("secretslocal: put %s: %w", name, err)
		}
	}
	return nil
}

// Client is a Secrets Manager client of endpoint with the local stack's
// static credentials.
func Client(endpoint, region string) *secretsmanager.Client {
	return secretsmanager.New(secretsmanager.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(sigv4local.LocalAccessKey, sigv4local.LocalSecretKey, ""),
	})
}
