package openid

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"carecost/domain"
)

// user reads the verified token's claims into a User and maps its groups.
func (p *Provider) user(idt *oidc.IDToken) (User, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return User{}, fmt.Errorf("%w: the claims do not decode: %v", ErrToken, err)
	}
	claimed, _ := claims[p.cfg.NameClaim].(string)
	name, err := LoginName(claimed)
	if err != nil {
		return User{}, fmt.Errorf("%w: the claim %q: %v", ErrUser, p.cfg.NameClaim, err)
	}
	display, _ := claims[p.cfg.DisplayNameClaim].(string)
	if strings.TrimSpace(display) == "" {
		display = claimed
	}
	groups, err := p.groups(claims)
	if err != nil {
		return User{}, err
	}
	roles, team, err := p.cfg.Mapping.Grant(groups)
	if err != nil {
		return User{}, fmt.Errorf("%w: %v", ErrUser, err)
	}
	if len(roles) == 0 {
		return User{}, fmt.Errorf("%w: none of the user's %d groups grants a role in carecost", ErrUser, len(groups))
	}
	return User{Subject: idt.Subject, Name: name, DisplayName: strings.TrimSpace(display), Groups: groups, Roles: roles, Team: team}, nil
}

// groups reads the groups claim: a list of strings, or one string.
func (p *Provider) groups(claims map[string]any) ([]string, error) {
	switch v := claims[p.cfg.GroupsClaim].(type) {
	case nil:
		if names, ok := claims["_claim_names"].(map[string]any); ok && names[p.cfg.GroupsClaim] != nil {
			// Entra ID leaves the groups out when a user has too many
			// (group overage) and points to the Graph API instead.
			return nil, fmt.Errorf("%w: the provider left out the groups (too many); assign groups to the application or use app roles", ErrUser)
		}
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, g := range v {
			s, ok := g.(string)
			if !ok {
				return nil, fmt.Errorf("%w: the claim %q holds a %T, not a string", ErrUser, p.cfg.GroupsClaim, g)
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%w: the claim %q is a %T, not a list of strings", ErrUser, p.cfg.GroupsClaim, v)
	}
}

var (
	localPart  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	domainPart = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
)

// LoginName turns the value of the name claim into a carecost login name:
// lower-cased, and an e-mail style name's "@" turned into "_", so
// "Anna.Virtanen@county.fi" signs in as "anna.virtanen_county.fi". Two
// different claims never give one name: a domain holds no "_", and a name
// without "@" may hold none either. A value with other characters, or too
// long a result, is refused rather than changed.
func LoginName(claim string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(claim))
	if v == "" {
		return "", fmt.Errorf("the token has no name in it")
	}
	local, dom, email := strings.Cut(v, "@")
	var name string
	switch {
	case email && localPart.MatchString(local) && domainPart.MatchString(dom):
		name = local + "_" + dom
	case !email && domainPart.MatchString(v):
		name = v
	default:
		return "", fmt.Errorf("%q is not a name carecost can use: letters a-z, digits, dots and dashes, with at most one @", claim)
	}
	if err := domain.ValidUserName("name", name); err != nil {
		return "", fmt.Errorf("%q gives a login name longer than 64 characters", claim)
	}
	return name, nil
}
