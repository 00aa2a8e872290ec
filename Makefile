# Everyday entry points; each is one plain go command or a short script, so nothing here is required to build.
GO ?= go
DOCS_OUT ?= bin/site

.PHONY: demo build test generate check bench docs browser-test openapi-check

demo: ## the README quick start: one OPI command against the built-in sandbox portal
	$(GO) run ./cmd/b24 --sandbox bitrix24 ОтметитьСообщениеКакНепрочитанное --chat chat872 --message 15660

build:
	$(GO) build -o bin/b24 ./cmd/b24

test:
	$(GO) test ./...

generate:
	$(GO) generate ./...

check: ## what CI checks besides the tests
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) vet ./...
	$(GO) run ./generator $$(sed -n 's|^//go:generate go run ./generator ||p' generate.go) -check

bench: build ## the performance budgets of the README: generator, build times, binary size, CLI start-up, exports
	$(GO) test -run '^$$' -bench . -benchtime 5x ./generator/...
	./scripts/buildtime.sh im
	@echo "bin/b24: $$(( $$(stat -c %s bin/b24) / 1048576 )) MiB"
	./scripts/startup.sh bin/b24 50
	$(GO) test -run '^$$' -bench 'Export|Upload' -benchtime 1x ./b24 ./cmd/b24

docs: ## the docs site from generated/docs into $(DOCS_OUT) (git-ignored); to view it: go run ./cmd/docsite -out $(DOCS_OUT) -serve :8080
	$(GO) run ./cmd/docsite -in generated/docs -out $(DOCS_OUT)

browser-test: ## the docs site in headless Chromium (apt-get install chromium chromium-driver; also in CI)
	$(GO) test -tags browser -run TestBrowser -count=1 ./cmd/docsite

openapi-check: ## oapi-codegen generates types and a client from the OpenAPI document, and they compile (also in CI)
	./scripts/oapi-codegen.sh
