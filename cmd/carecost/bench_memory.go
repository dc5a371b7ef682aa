package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// memoryFigures are the peak resident memories (the kernel's maxrss of
// each process) of carecost's own programs over the replay's store.
type memoryFigures struct {
	rebuild, serveCurrent, serveRebuilt int64 // bytes
	rebuildTook, rebuiltReady           time.Duration
}

// benchMemory runs carecost rebuild (every projection) and carecost serve
// (read models up to date, then read models removed and so rebuilt at
// start) as processes of their own over the store of cfg, each until it is
// done or ready, and returns the peak resident memory of each.
func benchMemory(ctx context.Context, program string, cfg config) (memoryFigures, error) {
	var f memoryFigures
	if program == "" {
		p, err := os.Executable()
		if err != nil {
			return f, err
		}
		program = p
	}
	var err error
	if f.rebuildTook, f.rebuild, err = runRebuildProgram(ctx, program, "--data", cfg.data, "--log-format", "json"); err != nil {
		return f, err
	}
	if f.serveCurrent, _, err = servePeak(ctx, program, cfg.data); err != nil {
		return f, err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(cfg.readModelPath() + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return f, err
		}
	}
	f.serveRebuilt, f.rebuiltReady, err = servePeak(ctx, program, cfg.data)
	return f, err
}

// servePeak starts carecost serve over the data folder, waits until
// /readyz answers 200, stops it (SIGTERM) and returns its peak resident
// memory and how long it took to be ready.
func servePeak(ctx context.Context, program, data string) (int64, time.Duration, error) {
	start := time.Now()
	cmd := exec.CommandContext(ctx, program, "serve", "--addr", "127.0.0.1:0", "--data", data, "--log-format", "json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	peak := watchPeak(cmd.Process.Pid)
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if a, ok := strings.CutPrefix(lines.Text(), "carecost serving on "); ok {
				addr <- a
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	var base string
	select {
	case base = <-addr:
	case err := <-exited:
		return 0, 0, fmt.Errorf("%s serve ended before it served (%v)", program, err)
	case <-ctx.Done():
		cmd.Process.Kill()
		<-exited
		return 0, 0, ctx.Err()
	case <-time.After(10 * time.Minute):
		cmd.Process.Kill()
		<-exited
		return 0, 0, errors.New("carecost serve did not start in ten minutes")
	}
	if err := waitReadyOrExit(ctx, base, exited); err != nil {
		stop()
		return 0, 0, err
	}
	ready := time.Since(start)
	p := peak()
	stop()
	return p, ready, nil
}

// waitReadyOrExit waits until base/readyz answers 200, the process ends
// (exited), or ctx ends.
func waitReadyOrExit(ctx context.Context, base string, exited chan error) error {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- waitReady(rctx, base) }()
	select {
	case err := <-done:
		return err
	case err := <-exited:
		exited <- err // for stop
		return fmt.Errorf("serve ended before it was ready (%v)", err)
	}
}

// watchPeak reads the peak resident memory of process pid (VmHWM in
// /proc/PID/status, the kernel's high-water mark since the program began)
// every 10 ms until the returned function is called, which returns the
// last reading in bytes. (The maxrss a parent gets when its child ends is
// no use here: Linux counts in it the parent's memory at the fork.)
func watchPeak(pid int) func() int64 {
	var last atomic.Int64
	done := make(chan struct{})
	read := func() {
		if v := vmHWM(pid); v > 0 {
			last.Store(v)
		}
	}
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	var once sync.Once
	return func() int64 {
		once.Do(func() { read(); close(done) })
		return last.Load()
	}
}

// vmHWM is the VmHWM of process pid in bytes (0 when it cannot be read).
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// lastLine is the last line of a program's output, for an error.
func lastLine(out []byte) string {
	s := strings.TrimSpace(string(out))
	return s[strings.LastIndexByte(s, '\n')+1:]
}
