package admin_test

// estimatePageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var estimatePageAccess = map[string]string{
	"GET /estimates":                           "case_manager controller",
	"GET /estimates/new":                       "case_manager",
	"POST /estimates":                          "case_manager",
	"GET /estimates/{id}":                      "case_manager controller",
	"GET /estimates/{id}/print":                "case_manager controller",
	"GET /estimates/{id}/choices":              "case_manager",
	"POST /estimates/{id}/lines":               "case_manager",
	"POST /estimates/{id}/lines/{line}":        "case_manager",
	"POST /estimates/{id}/lines/{line}/remove": "case_manager",
	"POST /estimates/{id}/household":           "case_manager",
	"POST /estimates/{id}/assessment":          "case_manager",
	"POST /estimates/{id}/basis":               "case_manager",
	"POST /estimates/{id}/reprice":             "case_manager",
	"POST /estimates/{id}/present":             "case_manager",
	"POST /estimates/{id}/decide":              "case_manager",
	"POST /estimates/{id}/revise":              "case_manager",
	"POST /estimates/{id}/cancel":              "case_manager",
}
