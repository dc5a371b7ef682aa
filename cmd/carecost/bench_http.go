package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// benchHTTP starts serve over a store holding the demo catalogue and runs
// the case manager's workflow from c.clients concurrent clients for
// c.workflows: open an estimate, add five lines, decide; seven requests, each
// answered with the fresh read model.
func benchHTTP(ctx context.Context, w io.Writer, c benchConfig) error {
	cfg := config{data: filepath.Join(c.dir, "http"), logFormat: "json", addr: "127.0.0.1:0", waitTimeout: 2 * time.Second}
	if c.store.raw != "" {
		return benchHTTPBeside(ctx, w, c, cfg)
	}
	f, err := httpOn(ctx, cfg, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "HTTP workflow (open, 5 lines, decide; %d clients, %s): %d workflows = %.0f workflows/s\n",
		c.clients, f.took.Round(time.Millisecond), len(f.flows), f.rate())
	fmt.Fprintf(w, "  per workflow: %s\n  per request:  %s\n\n", f.flows, f.reqs)
	return nil
}

// benchHTTPBeside runs the workflow on SQLite, then on the --store store
// (the run's own streams), and prints the pair.
func benchHTTPBeside(ctx context.Context, w io.Writer, c benchConfig, cfg config) error {
	var figs [2]httpFigures
	var err error
	if figs[0], err = httpOn(ctx, cfg, c); err != nil {
		return err
	}
	ecfg, err := c.esdbConfig(ctx, "http", filepath.Join(c.dir, "http-esdb"))
	if err != nil {
		return err
	}
	if figs[1], err = httpOn(ctx, ecfg, c); err != nil {
		return fmt.Errorf("%s: %w", c.store, err)
	}
	p := newPair(c)
	fmt.Fprintf(w, "HTTP workflow (open, 5 lines, decide; %d clients, %s on each store):\n", c.clients, c.workflows)
	for i, f := range figs {
		p.line(w, i, fmt.Sprintf("%d workflows in %s = %.0f workflows/s; per workflow %s; per request %s",
			len(f.flows), f.took.Round(time.Millisecond), f.rate(), f.flows, f.reqs))
	}
	p.ratio(w, figs[1].rate()/figs[0].rate(), "the workflows/s",
		float64(figs[1].reqs.percentile(0.99))/float64(figs[0].reqs.percentile(0.99)), "the per-request p99")
	fmt.Fprintln(w)
	return nil
}

// httpFigures are the figures of the HTTP workflow on one store.
type httpFigures struct {
	took        time.Duration
	reqs, flows latencies
}

func (f httpFigures) rate() float64 { return float64(len(f.flows)) / f.took.Seconds() }

// httpOn starts serve over the store of cfg with the demo catalogue and
// runs the workflow from c.clients clients for c.workflows.
func httpOn(ctx context.Context, cfg config, c benchConfig) (httpFigures, error) {
	var f httpFigures
	if err := seedCatalogue(ctx, cfg); err != nil {
		return f, err
	}
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := startServer(ctx, cfg, quiet)
	if err != nil {
		return f, err
	}
	defer s.stop()
	token, err := benchUser(ctx, s.cmds)
	if err != nil {
		return f, err
	}
	base := "http://" + s.addr
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c.clients}}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(c.workflows)
	for range c.clients {
		wg.Go(func() {
			var myReqs, myFlows latencies
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := workflow(client, base, token, &myReqs); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				myFlows = append(myFlows, time.Since(t))
			}
			mu.Lock()
			f.reqs, f.flows = append(f.reqs, myReqs...), append(f.flows, myFlows...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return f, firstErr
	}
	f.took = time.Since(start)
	return f, nil
}

// seedCatalogue writes the demo catalogue into the store of cfg.
func seedCatalogue(ctx context.Context, cfg config) error {
	a, err := openApp(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), true)
	if err != nil {
		return err
	}
	defer a.Close()
	set, err := demo.Catalogue()
	if err != nil {
		return err
	}
	_, err = a.cmds.ImportCatalogue(ctx, domain.Command{}, set)
	return err
}

// benchUser makes the case manager the workflow runs as, and returns an
// API token of theirs.
func benchUser(ctx context.Context, cmds *domain.Commands) (string, error) {
	roles := []domain.Role{domain.RoleCaseManager}
	in := domain.UserInput{Name: "bench", DisplayName: "Bench", Team: "bench", Roles: roles}
	if _, err := cmds.AddUser(ctx, domain.Command{}, in); err != nil && domain.ErrorCode(err) != domain.EConflict {
		return "", err
	}
	return issueToken(ctx, cmds, domain.Command{}, "bench", roles, time.Hour, "bench")
}

var (
	benchOpenBody, _ = json.Marshal(benchCase())
	benchLineBodies  = func() [][]byte {
		var out [][]byte
		for _, l := range benchLines() {
			b, _ := json.Marshal(l)
			out = append(out, b)
		}
		return out
	}()
)

// workflow runs one estimate workflow and records each request's latency.
func workflow(client *http.Client, base, token string, lat *latencies) error {
	var opened struct {
		ID string `json:"id"`
	}
	if err := post(client, base+"/api/v1/estimates", token, benchOpenBody, &opened, lat); err != nil {
		return err
	}
	for _, l := range benchLineBodies {
		if err := post(client, base+"/api/v1/estimates/"+opened.ID+"/lines", token, l, nil, lat); err != nil {
			return err
		}
	}
	decision, err := json.Marshal(benchDecision(opened.ID))
	if err != nil {
		return err
	}
	return post(client, base+"/api/v1/estimates/"+opened.ID+"/decide", token, decision, nil, lat)
}

func post(client *http.Client, url, token string, body []byte, into any, lat *latencies) error {
	t := time.Now()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	*lat = append(*lat, time.Since(t))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %s: %s", url, resp.Status, data)
	}
	if into != nil {
		return json.Unmarshal(data, into)
	}
	return nil
}

// waitReady polls /readyz until it answers 200.
func waitReady(ctx context.Context, base string) error {
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}
