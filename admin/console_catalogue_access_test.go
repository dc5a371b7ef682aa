package admin_test

// cataloguePageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var cataloguePageAccess = map[string]string{}
