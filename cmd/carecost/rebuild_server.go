package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// tokenEnv holds the API token of carecost rebuild --server, when
// --token-file does not name a file.
const tokenEnv = "CARECOST_TOKEN"

// rebuildOnServer starts the rebuild of the named projection on a serving
// carecost (POST /api/v1/projections/NAME/rebuild), prints its progress
// (GET /api/v1/status every poll) until it has switched, failed or been
// cancelled, and returns nil only once it has switched.
func rebuildOnServer(ctx context.Context, e *env, server, tokenFile, caFile string, names []string, poll time.Duration) error {
	if len(names) != 1 {
		return domain.Invalidf("projection", "name the one projection to rebuild on the server (GET /api/v1/status lists them)")
	}
	name := names[0]
	base, err := serverURL(server)
	if err != nil {
		return err
	}
	token, err := apiToken(e, tokenFile)
	if err != nil {
		return err
	}
	if poll <= 0 {
		return domain.Invalidf("--every", "must be more than 0")
	}
	hc, err := serverClient(caFile)
	if err != nil {
		return err
	}
	c := &opsClient{base: base, token: token, http: hc}
	defer c.http.CloseIdleConnections()
	var st projections.Status
	if err := c.call(ctx, http.MethodPost, "/api/v1/projections/"+url.PathEscape(name)+"/rebuild", http.StatusAccepted, &st); err != nil {
		return err
	}
	if st.Rebuild == nil {
		return fmt.Errorf("the server started the rebuild of %s but does not report it", name)
	}
	started := st.Rebuild.StartedAt
	fmt.Fprintf(e.stdout, "rebuilding %s beside its live read model on %s, started %s\n", name, base, started.Format(time.RFC3339))
	var last string
	misses := 0
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintf(e.stdout, "the rebuild of %s goes on on the server; GET /api/v1/status or the operations page shows it\n", name)
			return ctx.Err()
		case <-time.After(poll):
		}
		p, err := c.rebuildOf(ctx, name)
		if err != nil {
			if misses++; misses < 5 && ctx.Err() == nil {
				continue // the server may be busy for a moment
			}
			if ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("%w; if carecost stopped, the rebuild of %s was cancelled and the live read model stays as it was: run it again", err, name)
		}
		misses = 0
		if p == nil || !p.StartedAt.Equal(started) {
			return fmt.Errorf("the server no longer reports the rebuild of %s started %s: it restarted (which cancels a rebuild and keeps the live read model: run it again), "+
				"or the status came from another carecost instance behind a load balancer (the rebuild goes on, or has finished, on the instance that took the request; "+
				"each instance keeps read models of its own: give --server one instance's own address)",
				name, started.Format(time.RFC3339))
		}
		if line := progressLine(name, p); line != last {
			fmt.Fprintln(e.stdout, line)
			last = line
		}
		switch p.State {
		case projections.RebuildSwitched:
			held := int64(0)
			if p.SwitchMillis != nil {
				held = *p.SwitchMillis
			}
			fmt.Fprintf(e.stdout, "rebuilt %s: the new tables replaced the live ones at position %s after %d events; the switch held the read models' writer %d ms\n",
				name, p.Checkpoint, p.Events, held)
			return nil
		case projections.RebuildFailed:
			return fmt.Errorf("the rebuild of %s failed; the live read model stays as it was: %s", name, p.Error)
		case projections.RebuildCancelled:
			return fmt.Errorf("the server stopped before the rebuild of %s switched; the live read model stays as it was: run the rebuild again", name)
		}
	}
}

// progressLine says where a rebuild stands, on one line.
func progressLine(name string, p *projections.RebuildProgress) string {
	left := "time left not known yet"
	if p.RemainingSeconds != nil {
		left = (time.Duration(*p.RemainingSeconds) * time.Second).String() + " left"
	}
	if !p.Running() {
		left = ""
	} else {
		left = ", " + left
	}
	return fmt.Sprintf("%s: %s, %d events, %d events/s%s", name, p.State, p.Events, p.EventsPerSecond, left)
}

// serverURL checks the address of a serving carecost.
func serverURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", domain.Invalidf("--server", "give the address of the serving carecost, such as http://127.0.0.1:8080")
	}
	return u.Scheme + "://" + u.Host, nil
}

// serverClient is the HTTP client of a command that calls a serving
// carecost: it trusts the system's certificate authorities and, when caFile
// names a PEM file, those in it too (a county's own authority).
func serverClient(caFile string) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, domain.Invalidf("--ca-file", "cannot read %s: %v", caFile, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, domain.Invalidf("--ca-file", "%s holds no PEM certificate", caFile)
		}
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: t}, nil
}

// apiToken reads the API token: the first line of --token-file, else
// CARECOST_TOKEN.
func apiToken(e *env, file string) (string, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", domain.Invalidf("--token-file", "cannot read %s: %v", file, err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		if t := strings.TrimSpace(line); t != "" {
			return t, nil
		}
		return "", domain.Invalidf("--token-file", "%s holds no token on its first line", file)
	}
	if t := strings.TrimSpace(e.getenv(tokenEnv)); t != "" {
		return t, nil
	}
	return "", domain.Invalidf("--token-file", "give the API token of a user with the operations role, in %s or a file named by --token-file (carecost token create makes one)", tokenEnv)
}

// opsClient calls the operations routes of a serving carecost with an API
// token.
type opsClient struct {
	base, token string
	http        *http.Client
}

// call sends a request without a body and decodes the answer of status
// want into v; any other answer is an error that says what the server
// said.
func (c *opsClient) call(ctx context.Context, method, path string, want int, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(nil))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var unknown x509.UnknownAuthorityError
		if errors.As(err, &unknown) {
			return fmt.Errorf("the server at %s has a certificate no authority this machine trusts signed: %v; name the authority's certificate (PEM) with --ca-file", c.base, err)
		}
		return fmt.Errorf("the server at %s does not answer: %v", c.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("the server's answer to %s %s: %v", method, path, err)
	}
	if resp.StatusCode != want {
		var e struct {
			Error struct {
				Code, Message string
			} `json:"error"`
		}
		msg := strings.TrimSpace(string(body))
		if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
			msg = e.Error.Message
		}
		switch resp.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("the server refused the token (%d): %s; it must be an API token of a user with the operations role", resp.StatusCode, msg)
		}
		return fmt.Errorf("the server answered %s %s with %d: %s", method, path, resp.StatusCode, msg)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the server's answer to %s %s is not what carecost answers: %v", method, path, err)
	}
	return nil
}

// rebuildOf returns the named projection's running or last rebuild, or nil.
func (c *opsClient) rebuildOf(ctx context.Context, name string) (*projections.RebuildProgress, error) {
	var st struct {
		Projections []projections.Status `json:"projections"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/status", http.StatusOK, &st); err != nil {
		return nil, err
	}
	for _, p := range st.Projections {
		if p.Name == name {
			return p.Rebuild, nil
		}
	}
	return nil, fmt.Errorf("the server runs no projection %s", name)
}
