package admin

import (
	"github.com/gofiber/fiber/v2"
)

// homePage is the front page: what carecost is, in Finnish first and in
// English, with links to the API description and the metrics. Its style is
// in /static (the Content-Security-Policy allows no inline style).
const homePage = `<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>carecost – palvelujen kustannusarvio / service cost estimates</title>
<link rel="stylesheet" href="/static/console.css">
</head>
<body>
<main>
<section>
<h1>carecost</h1>
<p>carecost laskee ikäihmisten palvelujen kuukausikustannukset yhdelle asiakkaalle:
asiakasmaksun ja hyvinvointialueen kustannuksen, versioitujen hinnastojen mukaan.
Asiakasohjaaja tekee arvion palvelutarpeen arvioinnin aikana, pääkäyttäjä ylläpitää
palveluja, hinnastoja ja tulorajataulukoita, ja controller tarkastaa tehtyjen päätösten hinnat
myös jälkikäteen. Jokainen muutos tallentuu tapahtumana.</p>
<ul>
<li><a href="/api/openapi.json">Rajapinnan kuvaus (OpenAPI)</a></li>
<li><a href="/metrics">Mittarit (Prometheus)</a></li>
</ul>
</section>
<section lang="en">
<h2>In English</h2>
<p>carecost estimates the monthly cost of elderly-care services for one client:
the client fee and the county's cost, against versioned price lists. Case managers build
estimates during the service-need assessment, admins keep the services, tariffs and
income-limit tables, and controllers audit the prices behind past decisions. Every change
is stored as an event.</p>
<ul>
<li><a href="/api/openapi.json">API description (OpenAPI)</a></li>
<li><a href="/metrics">Metrics (Prometheus)</a></li>
</ul>
</section>
</main>
</body>
</html>
`

// handleHome handles GET /: the front page.
func (s *Server) handleHome(c *fiber.Ctx) error {
	c.Type("html", "utf-8")
	return c.SendString(homePage)
}
