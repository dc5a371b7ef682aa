package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

func goInfo() string { return runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH }

func numCPU() int { return runtime.NumCPU() }

// startCPUProfile profiles the CPU into file until the returned stop.
func startCPUProfile(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
