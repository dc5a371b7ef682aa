package main

import (
	"flag"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"carecost/domain"
)

// The TLS files and the trusted proxies come from flags or CARECOST_*
// variables and are checked at start, each error naming its flag.
func TestEdgeConfiguration(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := selfSigned(t, dir)
	env := map[string]string{"CARECOST_TLS_CERT": certFile, "CARECOST_TLS_KEY": keyFile, "CARECOST_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1,2001:db8::/32"}
	parse := func(args ...string) config {
		var c config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.serveFlags(fs, func(k string) string { return env[k] })
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := parse()
	if err := c.check(); err != nil {
		t.Fatal(err)
	}
	if tc, err := c.tlsConfig(); err != nil || tc == nil || len(tc.Certificates) != 1 {
		t.Errorf("TLS from the environment: %v, %v", tc, err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("2001:db8::/32")}
	if got, err := c.proxies(); err != nil || !slices.Equal(got, want) {
		t.Errorf("proxies %v, %v", got, err)
	}
	if got, _ := parse("--trusted-proxies", "10.1.2.3/8").proxies(); !slices.Equal(got, want[:1]) {
		t.Errorf("the flag does not win, or the CIDR is not masked: %v", got)
	}
	for field, args := range map[string][]string{
		"--tls-key":         {"--tls-key", ""},
		"--tls-cert":        {"--tls-cert", ""},
		"--trusted-proxies": {"--trusted-proxies", "10.0.0.0/8,proxy.example"},
	} {
		if err := parse(args...).check(); domain.ErrorField(err) != field {
			t.Errorf("%v: %v, want an error naming %s", args, err, field)
		}
	}
	env["CARECOST_TLS_KEY"] = certFile
	if err := parse().check(); domain.ErrorField(err) != "--tls-cert" || !strings.Contains(err.Error(), "do not load") {
		t.Errorf("a certificate as its own key: %v", err)
	}
	code, _, errs := runCmd(t, "", "serve", "--data", t.TempDir(), "--tls-cert", certFile)
	if code != 2 || !strings.Contains(errs, "--tls-key") {
		t.Errorf("serve with a certificate and no key: exit %d, %s", code, errs)
	}
}

// Every flag of serve is in the configuration table of docs/operations.md.
func TestOperationsListsEveryServeFlag(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.serveFlags(fs, func(string) string { return "" })
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(doc), "| `--"+f.Name+"`") && !strings.Contains(string(doc), "`--"+f.Name+"`, `--") &&
			!strings.Contains(string(doc), ", `--"+f.Name+"` |") {
			t.Errorf("docs/operations.md does not list --%s", f.Name)
		}
	})
}
