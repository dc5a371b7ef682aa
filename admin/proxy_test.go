package admin_test

import (
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"carecost/admin"
	"carecost/admin/abuse"
)

// proxied serves e on a local port and returns a function that sends a
// GET of path there, as from a proxy that forwarded it for forwardedFor
// over proto, with credentials auth ("": none).
func proxied(t *testing.T, e *env) func(path, forwardedFor, proto, auth string) response {
	base := e.listen()
	return func(path, forwardedFor, proto, auth string) response {
		t.Helper()
		req, err := http.NewRequest("GET", base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", forwardedFor)
		req.Header.Set("X-Forwarded-Proto", proto)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return response{status: resp.StatusCode, header: resp.Header, body: b}
	}
}

// lastClient returns the client address of the last request the log
// records.
func lastClient(e *env) string {
	lines := strings.Split(strings.TrimSpace(e.log.String()), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if _, rest, ok := strings.Cut(lines[i], `"msg":"request"`); ok {
			_, client, _ := strings.Cut(rest, `"client":"`)
			addr, _, _ := strings.Cut(client, `"`)
			return addr
		}
	}
	return ""
}

func prefixes(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range s {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}

// Behind a trusted proxy the client is the last address of
// X-Forwarded-For that is no trusted proxy (what the client wrote in front
// of it is not believed), for the log and the limits, an IPv6 client by
// its /64; X-Forwarded-Proto: https makes the answer HTTPS's, with HSTS.
func TestTrustedProxy(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.TrustedProxies = prefixes("127.0.0.0/8", "10.0.0.0/8")
		c.Limits = abuse.New(abuse.Config{PerAddress: abuse.Rule{Max: 1, Window: time.Hour}})
	})
	get := proxied(t, e)
	checkSecurityHeaders(t, "https through a trusted proxy", get("/healthz", "198.51.100.7", "https", ""), true)
	checkSecurityHeaders(t, "http through a trusted proxy", get("/healthz", "198.51.100.7", "http", ""), false)
	for forwarded, want := range map[string]string{
		"203.0.113.9, 198.51.100.7, 10.1.2.3": "198.51.100.7",
		"[2001:db8:1:2::99]:4711":             "2001:db8:1:2::99",
		"not-an-address, 10.0.0.1":            "10.0.0.1",
		"":                                    "127.0.0.1",
	} {
		get("/healthz", forwarded, "https", "").wantStatus(t, http.StatusOK)
		if c := lastClient(e); c != want {
			t.Errorf("forwarded for %q: client %q, want %s", forwarded, c, want)
		}
	}

	get("/api/v1/estimates", "198.51.100.7", "https", "Bearer nonsense").wantStatus(t, http.StatusUnauthorized)
	r := get("/api/v1/estimates", "198.51.100.8, 198.51.100.7", "https", everyRole[1])
	r.wantError(t, http.StatusTooManyRequests, "too_many_requests", "")
	checkSecurityHeaders(t, "a refusal", r, true)
	get("/api/v1/estimates", "198.51.100.8", "https", everyRole[1]).wantStatus(t, http.StatusOK)

	get("/api/v1/estimates", "2001:db8:1:2::1", "https", "Bearer nonsense").wantStatus(t, http.StatusUnauthorized)
	get("/api/v1/estimates", "[2001:db8:1:2::99]:4711", "https", everyRole[1]).wantStatus(t, http.StatusTooManyRequests)
	get("/api/v1/estimates", "2001:db8:1:3::1", "https", everyRole[1]).wantStatus(t, http.StatusOK)
}

// From a peer that is not a trusted proxy the forwarding headers are not
// believed: the peer is the client, for the log and the limits, and the
// scheme is its own.
func TestUntrustedProxy(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.TrustedProxies = prefixes("10.0.0.0/8")
		c.Limits = abuse.New(abuse.Config{PerAddress: abuse.Rule{Max: 1, Window: time.Hour}})
	})
	get := proxied(t, e)
	checkSecurityHeaders(t, "https claimed by an untrusted peer", get("/healthz", "198.51.100.7", "https", ""), false)
	if c := lastClient(e); c != "127.0.0.1" {
		t.Errorf("client %q, want the peer 127.0.0.1", c)
	}
	get("/api/v1/estimates", "198.51.100.7", "https", "Bearer nonsense").wantStatus(t, http.StatusUnauthorized)
	get("/api/v1/estimates", "198.51.100.8", "https", everyRole[1]).wantStatus(t, http.StatusTooManyRequests)
}
