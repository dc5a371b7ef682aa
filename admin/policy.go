package admin

// The roles of carecost (docs/security.md): case managers build estimates
// for their team, admins keep the catalogue, controllers read everything
// and write nothing, operations run carecost and see no client data.
const (
	roleCaseManager = "case_manager"
	roleAdmin       = "admin"
	roleController  = "controller"
	roleOperations  = "operations"
)

// allRoles lists every role, in the order the documents show them.
var allRoles = []string{roleCaseManager, roleAdmin, roleController, roleOperations}

// rule says who may use a route: anyone (public), or an authenticated user
// holding one of roles. Every route of the table names one; a table with a
// route without one does not start.
type rule struct {
	public bool
	roles  []string
}

// anyone is the rule of a public route.
var anyone = rule{public: true}

// only is the rule of a route for users holding one of roles.
func only(roles ...string) rule { return rule{roles: roles} }

// The rules the route table uses.
var (
	// readCatalogue: the catalogue, tariffs and income-limit catalogues.
	readCatalogue = only(roleCaseManager, roleAdmin, roleController)
	// keepCatalogue: changing them.
	keepCatalogue = only(roleAdmin)
	// readEstimates: estimates with their clients (a case manager their
	// team's).
	readEstimates = only(roleCaseManager, roleController)
	// buildEstimates: changing estimates.
	buildEstimates = only(roleCaseManager)
	// audit: the decisions audit trail.
	audit = only(roleController)
	// operate: status, metrics, projections.
	operate = only(roleOperations)
	// impact: what a version changes in the decisions in force (no client
	// named), and the sample cases drafts are tried on.
	impact = only(roleAdmin, roleController)
	// price: a quote that stores nothing.
	price = only(roleCaseManager, roleAdmin, roleController)
)

// defined reports whether the rule says anything.
func (r rule) defined() bool { return r.public || len(r.roles) > 0 }
