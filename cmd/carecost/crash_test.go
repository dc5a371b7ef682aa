package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// process is carecost running as its own program.
type process struct {
	cmd *exec.Cmd
	api *api
}

// buildCarecost builds the carecost program once for the test.
func buildCarecost(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "carecost")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs `carecost serve` on a free port and waits until it
// serves; the process is killed when the test ends.
func startProcess(t *testing.T, bin, data string, args ...string) *process {
	t.Helper()
	token := grantIn(t, data, argValue(args, "--store"))
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-format", "json"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if os.Getenv("CARECOST_TEST_VERBOSE") == "" {
		cmd.Stderr = nil
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	addr := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if a, ok := strings.CutPrefix(lines.Text(), "carecost serving on "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return &process{cmd: cmd, api: &api{t: t, base: a, c: &http.Client{Timeout: 10 * time.Second}, token: token}}
	case <-time.After(60 * time.Second):
		t.Fatal("carecost did not start")
	}
	return nil
}

// argValue returns the value of flag in args ("--flag value"), or "".
func argValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// ack is what the server acknowledged of one estimate.
type ack struct {
	id    string
	lines int
}

// write opens estimates and adds lines until stop, and returns what was
// acknowledged; errors (the server going away) end it.
func write(a *api, stop <-chan struct{}) []ack {
	var acks []ack
	for {
		select {
		case <-stop:
			return acks
		default:
		}
		var est struct {
			ID string `json:"id"`
		}
		r, ok := tryDo(a, "POST", "/api/v1/estimates", `{"client_ref":"K","maple":3,"segment":"continuous","tariff":"phhva","pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1500"},"lines":[]}`)
		if !ok || r.status != http.StatusCreated || r.into2(&est) != nil {
			return acks
		}
		acks = append(acks, ack{id: est.ID})
		for range 3 {
			r, ok := tryDo(a, "POST", "/api/v1/estimates/"+est.ID+"/lines", `{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}`)
			if !ok || r.status != http.StatusCreated {
				return acks
			}
			acks[len(acks)-1].lines++
		}
	}
}

// The server is killed (SIGKILL) during concurrent writes and started
// again: every acknowledged command is there, no event is stored twice,
// and the projections equal a full rebuild.
func TestCrashDuringWrites(t *testing.T) {
	bin := buildCarecost(t)
	data := t.TempDir()
	p := startProcess(t, bin, data, "--demo")
	acks := writeUntilKilled(t, p)

	q := startProcess(t, bin, data)
	for _, k := range acks {
		checkEstimate(t, q.api, k)
	}
	before := allEstimates(t, q.api)
	q.cmd.Process.Signal(syscall.SIGTERM)
	q.cmd.Wait()
	if out, err := exec.Command(bin, "rebuild", "--data", data, "--log-format", "json").CombinedOutput(); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	r := startProcess(t, bin, data)
	if after := allEstimates(t, r.api); !reflect.DeepEqual(before, after) {
		t.Errorf("the projections after the crash differ from a full rebuild (%d and %d estimates)", len(before), len(after))
	}
}

// killUnderLoad runs work in n goroutines against p, kills p (SIGKILL)
// after a while, and returns once every goroutine is done.
func killUnderLoad(t *testing.T, p *process, n int, work func(stop <-chan struct{})) {
	t.Helper()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { work(stop) })
	}
	time.Sleep(1500 * time.Millisecond) // the load runs for a while: what is measured is what it left
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	close(stop)
	wg.Wait()
}

// checkEstimate checks an acknowledged estimate: its lines are there and
// its history has every version once.
func checkEstimate(t *testing.T, a *api, k ack) {
	t.Helper()
	var got struct {
		LineCount int `json:"line_count"`
	}
	a.do("GET", "/api/v1/estimates/"+k.id, nil).want(t, http.StatusOK).into(t, &got)
	if got.LineCount < k.lines {
		t.Errorf("estimate %s: %d lines, %d acknowledged", k.id, got.LineCount, k.lines)
	}
	var events []struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	a.do("GET", "/api/v1/estimates/"+k.id+"/events", nil).want(t, http.StatusOK).into(t, &events)
	seen := map[string]bool{}
	for i, e := range events {
		if e.Version != i || seen[e.ID] {
			t.Fatalf("estimate %s: event %d has version %d (seen before: %v)", k.id, i, e.Version, seen[e.ID])
		}
		seen[e.ID] = true
	}
}

// allEstimates lists every estimate, page by page.
func allEstimates(t *testing.T, a *api) []map[string]any {
	var all []map[string]any
	for offset := 0; ; offset += 500 {
		var page []map[string]any
		a.do("GET", "/api/v1/estimates?limit=500&offset="+itoaTest(int64(offset)), nil).want(t, http.StatusOK).into(t, &page)
		all = append(all, page...)
		if len(page) < 500 {
			return all
		}
	}
}

// writeUntilKilled has 8 writers open estimates on p until p is killed
// (SIGKILL) under them, and returns what p acknowledged: at least 20.
func writeUntilKilled(t *testing.T, p *process) []ack {
	t.Helper()
	var mu sync.Mutex
	var acks []ack
	killUnderLoad(t, p, 8, func(stop <-chan struct{}) {
		got := write(p.api, stop)
		mu.Lock()
		acks = append(acks, got...)
		mu.Unlock()
	})
	if len(acks) < 20 {
		t.Fatalf("only %d estimates acknowledged before the kill", len(acks))
	}
	t.Logf("%d estimates acknowledged before the kill", len(acks))
	return acks
}
