# CertKiosk. `make run` and `make test` install what is missing first (build/setup.sh).

SHELL    := /bin/bash
GO       ?= go
TAGS     := desktop,production,webkit2_41
BIN      := build/bin/certkiosk
# Public EU DCC reference data the tests read in place.
export CERTKIOSK_DCC_DATA ?= $(abspath ../shared/dcc)

# Every fuzz test (func FuzzX in a _test.go file) runs for FUZZ_SHORT in `make test`
# and for FUZZ_LONG in `make fuzz`. The short run is a count of executions, not a
# duration: a duration that ends while the engine is still gathering its baseline is
# reported as a failure ("context deadline exceeded") on a busy machine.
FUZZ_SHORT   ?= 20000x
FUZZ_LONG    ?= 2m

.PHONY: all setup frontend build run test test-go test-frontend test-package package fuzz-short fuzz bench soak clean

all: build

setup:
	@build/setup.sh

frontend: setup
	cd frontend && npm run build

build: frontend
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	$(BIN) $(ARGS)

# The Debian package (build/bin/certkiosk_VERSION_ARCH.deb), made with dpkg-deb:
# the binary, the systemd unit running it in cage on tty1, the PAM session, the
# udev rule, the desktop entry and the icon (build/linux). VERSION defaults to
# git describe's (build/linux/version.sh).
package: build
	@VERSION=$(VERSION) build/linux/package.sh $(BIN) $(patsubst %/,%,$(dir $(BIN)))

test: frontend
	$(GO) vet ./...
	$(MAKE) --no-print-directory test-go test-frontend test-package fuzz-short

test-go:
	$(GO) test -count=1 -timeout 20m ./...

test-frontend:
	cd frontend && npm test

# Builds the .deb and inspects it: control fields, files, linked libraries against
# Depends, maintainer scripts, and systemd-analyze verify on the unit.
test-package: build
	@deb=$$(VERSION=$(VERSION) build/linux/package.sh $(BIN) $(patsubst %/,%,$(dir $(BIN)))) && build/linux/check-package.sh "$$deb"

fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_SHORT)

FUZZ_TIME ?= $(FUZZ_LONG)
fuzz:
	@set -e; grep -rl --include='*_test.go' '^func Fuzz' backend drivers 2>/dev/null | sort | while read -r f; do \
	  pkg=./$$(dirname "$$f"); \
	  for fn in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$f"); do \
	    echo "fuzz $$pkg $$fn for $(FUZZ_TIME)"; \
	    $(GO) test -run='^$$' -fuzz="^$$fn$$" -fuzztime=$(FUZZ_TIME) "$$pkg"; \
	  done; \
	done

# The window benchmark (bench_window_test.go: cold start to the attract screen, idle
# memory) runs on a line of its own, BENCH_WINDOW times each part (about a minute in
# all); it skips without Xvfb.
BENCH_WINDOW ?= 5x
bench: frontend
	$(GO) test -run='^$$' -bench=. -skip='^BenchmarkWindow$$' -benchmem ./...
	$(GO) test -run='^$$' -bench='^BenchmarkWindow$$' -benchtime=$(BENCH_WINDOW) -timeout 20m .

# The long runs: the queue's crash test with 1,000 requests (make test runs it with
# 210) — the worker killed with SIGKILL at random moments, every request printed
# exactly once — and every fuzz test for SOAK_FUZZ (10 minutes) each.
SOAK_FUZZ ?= 10m
soak: frontend
	CERTKIOSK_SOAK=1000 $(GO) test -count=1 -timeout 60m -run='^TestCrashExactlyOnce$$' -v ./backend/queue/
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(SOAK_FUZZ)

clean:
	rm -rf build/bin frontend/dist
