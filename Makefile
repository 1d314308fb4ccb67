# The two commands a person needs: `make run` and `make test`. Everything they need
# but Go (PostgreSQL and its belong role, Redis, Meilisearch, the client tools,
# Node.js and npm, Chromium and Noto fonts for browser tests) is installed and
# started by scripts/ when it is not already there; see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export GOFLAGS := -buildvcs=false

BIN := bin/belong
GO_PACKAGES := ./...

.PHONY: run test build services check-format vet unit e2e bench faults clean

build:
	go build -o $(BIN) ./cmd/belong

services:
	scripts/services.sh

run: services build
	$(BIN) migrate up
	$(BIN) seed --demo
	$(BIN) serve

test: services check-format vet unit e2e

check-format:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './e2e/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

vet:
	go vet $(GO_PACKAGES)

# The unit tests read the Meeting Guide spec's type list from the npm package
# the browser tests install, so install it (and Node.js) first.
unit:
	scripts/browser.sh --node-path >/dev/null
	go test -race -count=1 $(GO_PACKAGES)

# Browser tests: Playwright driving Debian's Chromium against a real server with
# the demo data (scripts/e2e.sh installs Chromium and the npm packages if missing).
e2e:
	scripts/e2e.sh

# Seeds synthetic listings into its own database and index (belong_bench) at each
# of BENCH_SCALES (10,000, 30,000 and 100,000 by default; BENCH_SCALES=10000 for a
# quick run) and prints the targets of issue 12 as ratios measured in the same
# run, every scenario's figures at the largest scale and how cost grows, also
# written to docs/BENCHMARKS.md.
BENCH_SCALES ?= 10000,30000,100000
bench: services
	go run ./cmd/bench -scales "$(BENCH_SCALES)" -out docs/BENCHMARKS.md

# Kills and pauses Meilisearch, Redis, the worker and PostgreSQL under search load
# and listing writes, then overloads the servers; prints one table of errors,
# latency, recovery and lost updates, also written to docs/FAULTS.md. Runs on
# PostgreSQL, Redis and Meilisearch instances of its own (scripts/faults.sh).
faults:
	scripts/faults.sh

clean:
	rm -rf bin
