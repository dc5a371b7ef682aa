package admin_test

// auditPageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var auditPageAccess = map[string]string{}
