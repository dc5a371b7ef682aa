# carecost: `make test` runs every test; `make run` starts carecost.

.PHONY: test run vet deps

test: deps vet
	go test -race -count=1 ./...

vet:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...

# deps installs what the tests need beyond Go: Debian's chromium for the
# browser test, curl for the walk-through of docs/api.md, prometheus for
# promtool (the tests of deploy/), only when they are missing.
deps:
	bash .ci/setup

run:
	go run ./cmd/carecost serve
