package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/auth"
)

// Claim implements Claimer: the user of the refused token, when carecost
// made that token. The failure counts against the user when the secret is
// wrong (a guess); the right secret of a token that is revoked or expired,
// or of a disabled user, is the user's own, which some client kept using:
// it counts against the client's address only, so a forgotten script does
// not lock its user out.
func (b BearerTokens) Claim(c *fiber.Ctx) Claim {
	// A copy: the token's id is kept in the token cache.
	token, ok := bearerToken(strings.Clone(c.Get(fiber.HeaderAuthorization)))
	if !ok {
		return Claim{}
	}
	id, secret, ok := auth.ParseToken(token)
	if !ok {
		return Claim{}
	}
	t, err := b.Commands.Token(c.UserContext(), id)
	if err != nil {
		return Claim{}
	}
	return Claim{User: t.User(), Guess: !auth.CheckSecret(string(t.SecretHash()), secret)}
}
