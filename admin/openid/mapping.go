package openid

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"

	"carecost/domain"
)

// Mapping says what a provider's groups (or app roles) mean in carecost:
// the roles each grants and the team each puts a user in. It is read
// from a JSON file:
//
//	{"roles": {"<group>": ["case_manager"], ...}, "teams": {"<group>": "north", ...}}
type Mapping struct {
	Roles map[string][]domain.Role `json:"roles"`
	Teams map[string]string        `json:"teams"`
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(path string) (Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Mapping{}, fmt.Errorf("openid: read the mapping file: %w", err)
	}
	return ParseMapping(data)
}

// ParseMapping decodes and checks a mapping: known fields only, every role
// one of carecost's, every team a slug, at least one group with a role.
func ParseMapping(data []byte) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, fmt.Errorf("openid: the mapping file is not a mapping (%s): %w", `{"roles": {...}, "teams": {...}}`, err)
	}
	if len(m.Roles) == 0 {
		return Mapping{}, fmt.Errorf("openid: the mapping file grants no role: give \"roles\": {\"<group>\": [\"case_manager\"]}")
	}
	for g, roles := range m.Roles {
		checked, err := domain.CheckRoles("roles."+g, roles)
		if err != nil {
			return Mapping{}, fmt.Errorf("openid: the mapping file: %w", err)
		}
		m.Roles[g] = checked
	}
	for g, team := range m.Teams {
		if err := domain.ValidSlug("teams."+g, team); err != nil {
			return Mapping{}, fmt.Errorf("openid: the mapping file: %w", err)
		}
	}
	return m, nil
}

// Grant returns the roles (sorted, each once) and the team that groups
// map to. Groups the mapping does not name are ignored. Groups that map to
// two teams are an error: the user's team must be one.
func (m Mapping) Grant(groups []string) (roles []domain.Role, team string, err error) {
	var teams []string
	for _, g := range groups {
		roles = append(roles, m.Roles[g]...)
		if t, ok := m.Teams[g]; ok && !slices.Contains(teams, t) {
			teams = append(teams, t)
		}
	}
	slices.Sort(roles)
	roles = slices.Compact(roles)
	if len(teams) > 1 {
		sort.Strings(teams)
		return nil, "", fmt.Errorf("openid: the groups put the user in more than one team (%v); a user belongs to one", teams)
	}
	if len(teams) == 1 {
		team = teams[0]
	}
	return roles, team, nil
}
