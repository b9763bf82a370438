package devserver

import (
	"net/http"

	"github.com/clientzone/clientzone/shared/httpapi/openapi"
)

// OpenAPIPath serves the OpenAPI 3.1 document of every route
// (shared/httpapi/openapi/openapi.yaml), e.g. for Swagger UI or a client
// generator.
const OpenAPIPath = "/dev/openapi.yaml"

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(openapi.YAML)
}
