package admin_test

// impactPageAccess is who may use each of the impact pages and the forms
// of the sample cases: "" for anyone, else the roles (merged into
// accessMatrix).
var impactPageAccess = map[string]string{
	"GET /tariffs/{id}/versions/{version}/impact":           "admin controller",
	"GET /income-catalogues/{id}/versions/{version}/impact": "admin controller",
	"POST /tariffs/{id}/samples":                            "admin",
	"POST /tariffs/{id}/samples/{sample}/remove":            "admin",
}
