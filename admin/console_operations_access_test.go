package admin_test

// operationsPageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var operationsPageAccess = map[string]string{
	"GET /operations":                             "operations",
	"POST /operations/projections/{name}/skip":    "operations",
	"POST /operations/projections/{name}/rebuild": "operations",
}
