package admin_test

// estimatePageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var estimatePageAccess = map[string]string{}
