package admin

import (
	"slices"
	"strings"
)

// AccessMatrix returns who may use each route, as a Markdown table in the
// route table's order: docs/security.md shows it, and a test keeps the two
// equal. A case manager's estimates are their team's.
func (s *Server) AccessMatrix() string {
	var b strings.Builder
	b.WriteString("| route | " + strings.Join(allRoles, " | ") + " |\n|---|" + strings.Repeat("---|", len(allRoles)) + "\n")
	for _, r := range s.table {
		b.WriteString("| `" + r.method + " " + openAPIPath(r.path) + "` |")
		for _, role := range allRoles {
			b.WriteString(" " + cell(r, role) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// cell says whether role may use route r.
func cell(r route, role string) string {
	switch {
	case r.rule.public:
		return "anyone"
	case !slices.Contains(r.rule.roles, role):
		return "-"
	case role == roleCaseManager && r.tag == "estimates" && r.path != "/api/v1/quote":
		return "own team"
	}
	return "yes"
}
