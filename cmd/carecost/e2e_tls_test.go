package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir and
// returns their files and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "carecost test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for file, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// serve --tls-cert --tls-key serves HTTPS, TLS 1.2 and later only, with
// HSTS and the security headers; a client that does not trust the
// certificate, or offers only TLS 1.1, gets no answer.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	s := startTestServerWith(t, config{data: filepath.Join(dir, "data"), addr: "127.0.0.1:0", logFormat: "json",
		waitTimeout: 5 * time.Second, tlsCert: certFile, tlsKey: keyFile})
	a := s.client(t)
	if !strings.HasPrefix(a.base, "http://") || s.scheme != "https" {
		t.Fatalf("base %s, scheme %s", a.base, s.scheme)
	}
	a.base = "https://" + s.addr
	a.c.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	r := a.do("GET", "/api/v1/estimates", nil).want(t, http.StatusOK)
	if got := r.header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("Strict-Transport-Security = %q", got)
	}
	if got := r.header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", got)
	}
	for name, tc := range map[string]*tls.Config{
		"untrusted certificate": {},
		"TLS 1.1":               {RootCAs: pool, MaxVersion: tls.VersionTLS11},
	} {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}
		if resp, err := c.Get(a.base + "/healthz"); err == nil {
			resp.Body.Close()
			t.Errorf("%s: answered %d", name, resp.StatusCode)
		}
	}
}

// A trusted proxy's X-Forwarded-Proto: https is believed (HSTS), an
// untrusted one's is not.
func TestServeTrustedProxies(t *testing.T) {
	for proxies, hsts := range map[string]bool{"10.0.0.0/8, 127.0.0.1": true, "10.0.0.0/8": false} {
		s := startTestServerWith(t, config{data: t.TempDir(), addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second,
			trustedProxies: proxies})
		r := s.client(t).do("GET", "/healthz", nil, "X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.7").want(t, http.StatusOK)
		if got := r.header.Get("Strict-Transport-Security"); (got != "") != hsts {
			t.Errorf("trusting %s: Strict-Transport-Security = %q", proxies, got)
		}
	}
}

// carecost rebuild NAME --server https://... trusts the authority named by
// --ca-file beside the system's; without it, a server whose certificate no
// trusted authority signed is refused, the error naming --ca-file; a file
// with no certificate is refused before any call.
func TestRebuildOnServerWithCAFile(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := selfSigned(t, dir)
	s := startTestServerWith(t, config{data: filepath.Join(dir, "data"), addr: "127.0.0.1:0", logFormat: "json",
		waitTimeout: 5 * time.Second, tlsCert: certFile, tlsKey: keyFile})
	ops := grant(t, s.cmds, "olli", "", domain.RoleOperations)
	url := "https://" + s.addr
	code, out, errOut := runWithToken(ops, "rebuild", "estimates", "--server", url, "--ca-file", certFile, "--every", "20ms")
	if code != 0 || !strings.Contains(out, "rebuilt estimates") {
		t.Fatalf("with --ca-file: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runWithToken(ops, "rebuild", "estimates", "--server", url, "--every", "20ms")
	if code != 1 || !strings.Contains(errOut, "--ca-file") {
		t.Errorf("without --ca-file: exit %d, %s", code, errOut)
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("no certificate here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runWithToken(ops, "rebuild", "estimates", "--server", url, "--ca-file", notPEM)
	if code != 2 || !strings.Contains(errOut, "--ca-file") {
		t.Errorf("a file with no certificate: exit %d, %s", code, errOut)
	}
}
