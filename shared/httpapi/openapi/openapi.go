// Package openapi embeds the OpenAPI 3.1 description of every HTTP route of
// template.yaml (openapi.yaml). The dev server serves it at
// GET /dev/openapi.yaml; infra/local/devserver/openapi_test.go checks it
// against the template and validates every test request and response
// against it.
package openapi

import _ "embed"

// YAML is the OpenAPI 3.1 document.
//
//go:embed openapi.yaml
var YAML []byte
