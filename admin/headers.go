package admin

import "github.com/gofiber/fiber/v2"

// contentSecurityPolicy lets a page load scripts, styles, images and fonts
// from carecost itself only (no inline script or style: they come from
// /static), images also as data: URLs; no plugins, no framing, no <base>,
// and forms post to carecost only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// hstsMaxAge is the Strict-Transport-Security of an answer over HTTPS: a
// year, this host only (other hosts of the domain may not serve HTTPS).
const hstsMaxAge = "max-age=31536000"

// securityHeaders are on every answer of carecost.
var securityHeaders = [][2]string{
	{fiber.HeaderContentSecurityPolicy, contentSecurityPolicy},
	{fiber.HeaderXContentTypeOptions, "nosniff"},
	{fiber.HeaderReferrerPolicy, "no-referrer"},
	{fiber.HeaderXFrameOptions, "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
}

// secure sets the security headers on the answer to c, and
// Strict-Transport-Security when the request came over HTTPS. observe
// calls it for every routed request, and the two ways past the router
// (an unknown method, a body over the limit) call it too.
func secure(c *fiber.Ctx) {
	for _, h := range securityHeaders {
		c.Set(h[0], h[1])
	}
	if IsHTTPS(c) {
		c.Set(fiber.HeaderStrictTransportSecurity, hstsMaxAge)
	}
}
