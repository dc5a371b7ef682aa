package admin_test

// userPageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var userPageAccess = map[string]string{
	"GET /users":                  "admin",
	"POST /users":                 "admin",
	"GET /users/{name}":           "admin",
	"POST /users/{name}/roles":    "admin",
	"POST /users/{name}/team":     "admin",
	"POST /users/{name}/password": "admin",
	"POST /users/{name}/disable":  "admin",
	"POST /users/{name}/enable":   "admin",
}
