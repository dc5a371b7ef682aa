package admin_test

// auditPageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var auditPageAccess = map[string]string{
	"GET /decisions":                         "controller",
	"GET /decisions.csv":                     "controller",
	"GET /decisions/{estimate_id}":           "controller",
	"GET /decisions/{estimate_id}/lines.csv": "controller",
}
