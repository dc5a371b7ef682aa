package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// api is an HTTP client of a running carecost.
type api struct {
	t    *testing.T
	base string
	c    *http.Client
}

// reply is an HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (a *api) do(method, path string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// want fails unless the reply has the status.
func (r reply) want(t *testing.T, status int) reply {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

// into decodes the body into v.
func (r reply) into(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errField returns the field named by an error body.
func (r reply) errField(t *testing.T) string {
	var e struct {
		Error struct {
			Code, Message, Field string
		} `json:"error"`
	}
	r.into(t, &e)
	return e.Error.Field
}

// startTestServer runs carecost serve in the test's process on a free port
// over a new data folder, and stops it when the test ends.
func startTestServer(t *testing.T, data string, demo bool) *api {
	t.Helper()
	s := startTestServerWith(t, config{data: data, addr: "127.0.0.1:0", logFormat: "json", demo: demo, waitTimeout: 5 * time.Second})
	return &api{t: t, base: "http://" + s.addr, c: &http.Client{Timeout: 10 * time.Second}}
}

// startTestServerWith runs carecost serve with cfg in the test's process
// and stops it when the test ends.
func startTestServerWith(t *testing.T, cfg config) *server {
	t.Helper()
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// tryDo is do for a server that may go away: ok is false when the request
// failed.
func tryDo(a *api, method, path, body string) (reply, bool) {
	req, err := http.NewRequest(method, a.base+path, bytes.NewBufferString(body))
	if err != nil {
		return reply{}, false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.c.Do(req)
	if err != nil {
		return reply{}, false
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}, err == nil
}

// into2 decodes the body into v, returning the error.
func (r reply) into2(v any) error { return json.Unmarshal(r.body, v) }
