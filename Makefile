# DeCoDe Attend. `make run` serves the demo; `make test` runs every check.
# Both install what is missing that they can (as root, through apt-get).

GO      ?= go
BIN     := bin/attend
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test deps test-deps assets vet fmt-check lint clean bench scale

## run: build and serve the demo on the private database (http://127.0.0.1:8080)
run: deps build
	./$(BIN) serve --demo

## build: the single binary, assets, templates and migrations embedded
build: assets
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/attend

## deps: PostgreSQL server binaries for the private database
deps:
	@bash .ci/install-deps.sh run

## test-deps: everything the tests talk to (PostgreSQL, Chromium, zbar, poppler, openpyxl, mailpit)
test-deps:
	@bash .ci/install-deps.sh test

## assets: front-end packages from npm (pinned by assets/package-lock.json) into assets/static/vendor
assets:
	@bash .ci/assets.sh run

## test: formatting, vet, static analysis and the race-enabled tests against real services
test: test-deps fmt-check vet lint
	@bash .ci/assets.sh test
	$(GO) test -race -timeout 14m $$($(GO) list ./... | grep -v -e /internal/faults -e /internal/hostile)
	@bash .ci/proof.sh
	@bash .ci/fuzz.sh

fmt-check:
	@out=$$(gofmt -l cmd internal templates assets migrations); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint:
	@if [ -f .ci/lint.sh ]; then bash .ci/lint.sh; fi

## bench: the load tool bin/attend-bench (built apart from attend) and the Go benchmarks; not part of make test
bench: build
	$(GO) build -trimpath -o bin/attend-bench ./cmd/attend-bench
	$(GO) test -run '^$$' -bench . -benchmem ./...

## scale: a PostgreSQL primary with a streaming replica, three instances behind HAProxy, load with a
## killed and a restarted instance, every answer checked in the database; not part of make test
scale:
	@bash .ci/scale.sh $(SCALE_ARGS)

clean:
	rm -rf bin var
