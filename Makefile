# CertKiosk. `make run` and `make test` install what is missing first (build/setup.sh).

SHELL    := /bin/bash
GO       ?= go
TAGS     := desktop,production,webkit2_41
BIN      := build/bin/certkiosk
# Public EU DCC reference data the tests read in place.
export CERTKIOSK_DCC_DATA ?= $(abspath ../shared/dcc)

# Fuzz targets: package and fuzz function. `make test` runs each for FUZZ_SHORT,
# `make fuzz` for FUZZ_LONG.
FUZZ_TARGETS := ./backend/dcc:FuzzBase45Decode ./backend/dcc:FuzzDecodeHC1 ./backend/registry:FuzzParseBundle
FUZZ_SHORT   ?= 5s
FUZZ_LONG    ?= 2m

.PHONY: all setup frontend build run test test-go test-frontend fuzz-short fuzz bench clean

all: build

setup:
	@build/setup.sh

frontend: setup
	cd frontend && npm run build

build: frontend
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	$(BIN) $(ARGS)

test: frontend
	$(GO) vet ./...
	$(MAKE) --no-print-directory test-go test-frontend fuzz-short

test-go:
	$(GO) test -count=1 -timeout 20m ./...

test-frontend:
	cd frontend && npm test

fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_SHORT)

FUZZ_TIME ?= $(FUZZ_LONG)
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$pkg $$fn for $(FUZZ_TIME)"; \
	  $(GO) test -run='^$$' -fuzz="^$$fn$$" -fuzztime=$(FUZZ_TIME) $$pkg; \
	done

bench: frontend
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf build/bin frontend/dist
