package admin_test

// userPageAccess is who may use each of this area's console pages: "" for
// anyone, else the roles (merged into accessMatrix).
var userPageAccess = map[string]string{}
