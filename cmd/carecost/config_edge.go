package main

import (
	"crypto/tls"
	"flag"
	"net"
	"net/netip"
	"strings"

	"carecost/domain"
)

// edgeFlags registers the flags of how serve meets its clients: HTTPS of
// its own, or the proxies in front of it.
func (c *config) edgeFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.tlsCert, "tls-cert", envOr(getenv, "CARECOST_TLS_CERT", ""),
		"PEM `file` of the TLS certificate (its chain after it); with --tls-key, serve HTTPS (CARECOST_TLS_CERT)")
	fs.StringVar(&c.tlsKey, "tls-key", envOr(getenv, "CARECOST_TLS_KEY", ""), "PEM `file` of the certificate's private key (CARECOST_TLS_KEY)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", envOr(getenv, "CARECOST_TRUSTED_PROXIES", ""),
		"`CIDRs` or addresses, comma-separated, of the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (CARECOST_TRUSTED_PROXIES)")
}

// checkEdge returns what is wrong with the TLS files or the proxies.
func (c config) checkEdge() error {
	if _, err := c.tlsConfig(); err != nil {
		return err
	}
	_, err := c.proxies()
	return err
}

// tlsConfig returns the TLS configuration of serve: nil for plain HTTP,
// else TLS 1.2 or later with the certificate and key.
func (c config) tlsConfig() (*tls.Config, error) {
	switch {
	case c.tlsCert == "" && c.tlsKey == "":
		return nil, nil
	case c.tlsKey == "":
		return nil, domain.Invalidf("--tls-key", "--tls-cert needs --tls-key, the certificate's private key")
	case c.tlsCert == "":
		return nil, domain.Invalidf("--tls-cert", "--tls-key needs --tls-cert, the certificate")
	}
	cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
	if err != nil {
		return nil, domain.Invalidf("--tls-cert", "the certificate %s and the key %s do not load: %v", c.tlsCert, c.tlsKey, err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
}

// serveTLS returns ln as serve listens on it: within TLS when a
// certificate is configured. scheme is "https" or "http".
func (c config) serveTLS(ln net.Listener) (_ net.Listener, scheme string, err error) {
	tc, err := c.tlsConfig()
	if err != nil || tc == nil {
		return ln, "http", err
	}
	return tls.NewListener(ln, tc), "https", nil
}

// proxies returns the trusted proxies: each a CIDR (10.0.0.0/8) or an
// address (one host).
func (c config) proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(c.trustedProxies, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(part); err == nil && a.Zone() == "" {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			return nil, domain.Invalidf("--trusted-proxies", "%q is neither a CIDR such as 10.0.0.0/8 nor an address", part)
		}
	}
	return out, nil
}
