package admin_test

// cataloguePageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var cataloguePageAccess = map[string]string{
	"GET /services":                                            "case_manager admin controller",
	"GET /services/new":                                        "admin",
	"POST /services":                                           "admin",
	"GET /services/{id}":                                       "case_manager admin controller",
	"POST /services/{id}":                                      "admin",
	"GET /services/{id}/retire":                                "admin",
	"POST /services/{id}/retire":                               "admin",
	"GET /tariffs":                                             "case_manager admin controller",
	"POST /tariffs":                                            "admin",
	"GET /tariffs/{id}":                                        "case_manager admin controller",
	"POST /tariffs/{id}/drafts":                                "admin",
	"GET /tariffs/{id}/diff":                                   "case_manager admin controller",
	"GET /tariffs/{id}/chart":                                  "case_manager admin controller",
	"GET /tariffs/{id}/versions/{version}":                     "case_manager admin controller",
	"POST /tariffs/{id}/versions/{version}/entries":            "admin",
	"POST /tariffs/{id}/versions/{version}/entries/remove":     "admin",
	"POST /tariffs/{id}/versions/{version}/settings":           "admin",
	"POST /tariffs/{id}/versions/{version}/publish":            "admin",
	"POST /tariffs/{id}/versions/{version}/withdraw":           "admin",
	"GET /income-catalogues":                                   "case_manager admin controller",
	"POST /income-catalogues":                                  "admin",
	"GET /income-catalogues/{id}":                              "case_manager admin controller",
	"POST /income-catalogues/{id}/drafts":                      "admin",
	"GET /income-catalogues/{id}/versions/{version}":           "case_manager admin controller",
	"POST /income-catalogues/{id}/versions/{version}":          "admin",
	"POST /income-catalogues/{id}/versions/{version}/publish":  "admin",
	"POST /income-catalogues/{id}/versions/{version}/withdraw": "admin",
}
