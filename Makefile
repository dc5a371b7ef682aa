# carecost: `make test` runs every test; `make run` starts carecost.

.PHONY: test run vet

test: vet
	go test -race -count=1 ./...

vet:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...

run:
	go run ./cmd/carecost serve
