package admin

import (
	"bytes"
	"net/netip"

	"github.com/gofiber/fiber/v2"
)

// headerForwardedFor names the client and the proxies a request passed.
const headerForwardedFor = "X-Forwarded-For"

// proxies are the addresses whose forwarding headers carecost believes.
type proxies []netip.Prefix

// trusts reports whether a is one of the proxies.
func (p proxies) trusts(a netip.Addr) bool {
	for _, pre := range p {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// fiberList returns the proxies as Fiber's TrustedProxies, which decide
// whom c.Protocol() believes about the scheme.
func (p proxies) fiberList() []string {
	out := make([]string, len(p))
	for i, pre := range p {
		out[i] = pre.String()
	}
	return out
}

// IsHTTPS reports whether a request came over HTTPS: on a TLS connection
// carecost terminated itself, or from a trusted proxy that says so
// (X-Forwarded-Proto: https). A cookie's Secure flag follows it. From any
// other peer the forwarding headers are not believed.
func IsHTTPS(c *fiber.Ctx) bool { return c.Protocol() == "https" }

// clientAddr returns the address a request comes from: its peer's, unless
// the peer is a trusted proxy; then X-Forwarded-For is read from its end
// (the hop the proxy added) towards its start, past every trusted proxy, and
// the first address that is not one is the client. A hop that is no address
// stops the walk at the proxy that sent it. (Fiber's c.IP() takes the first
// address of the header instead, which the client writes when the proxy
// appends to it.)
func (s *Server) clientAddr(c *fiber.Ctx) netip.Addr {
	cur, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	cur = cur.Unmap()
	if len(s.proxies) == 0 || !s.proxies.trusts(cur) {
		return cur
	}
	hops := bytes.Join(c.Request().Header.PeekAll(headerForwardedFor), []byte(","))
	for len(hops) > 0 && s.proxies.trusts(cur) {
		var hop []byte
		if i := bytes.LastIndexByte(hops, ','); i >= 0 {
			hops, hop = hops[:i], hops[i+1:]
		} else {
			hops, hop = nil, hops
		}
		a, ok := parseHop(string(bytes.TrimSpace(hop)))
		if !ok {
			break
		}
		cur = a
	}
	return cur
}

// parseHop reads one hop of X-Forwarded-For: an address, with a port or
// without.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// limitKey is the address as the abuse limits count it: an IPv6 client
// by its /64, which one host commonly holds whole.
func limitKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
