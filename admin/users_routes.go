package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// keepUsers is the rule of the users and tokens routes.
var keepUsers = only(roleAdmin)

// userRoutes are the routes of users and their API tokens, for admins.
func (s *Server) userRoutes() []route {
	const get, post, put = fiber.MethodGet, fiber.MethodPost, fiber.MethodPut
	const users, user, tokens = "/api/v1/users", "/api/v1/users/:name", "/api/v1/tokens"
	uv, tv := projections.UserView{}, projections.TokenView{}
	return []route{
		{method: get, path: users, handler: s.handleUserIndex, rule: keepUsers, tag: "users", summary: "List the users (never a hash)", resp: []projections.UserView{}},
		{method: post, path: users, handler: s.handleUserCreate, rule: keepUsers, tag: "users", summary: "Add a user (a password, or none: OpenID Connect only)",
			body: userBody{}, resp: uv, status: fiber.StatusCreated, write: true},
		{method: get, path: user, handler: s.handleUserGet, rule: keepUsers, tag: "users", summary: "Get a user", resp: uv, versioned: true},
		{method: put, path: user + "/roles", handler: s.handleUserRoles, rule: keepUsers, tag: "users", summary: "Replace a user's roles (their tokens lose the roles taken)",
			body: rolesBody{}, resp: uv, write: true},
		{method: put, path: user + "/team", handler: s.handleUserTeam, rule: keepUsers, tag: "users", summary: "Change a user's team", body: teamBody{}, resp: uv, write: true},
		{method: put, path: user + "/password", handler: s.handleUserPassword, rule: keepUsers, tag: "users", summary: "Set a user's password",
			body: passwordBody{}, resp: uv, write: true},
		{method: post, path: user + "/disable", handler: s.handleUserDisable, rule: keepUsers, tag: "users",
			summary: "Disable a user: no sign-in, their tokens stop at once", body: expectedBody{}, optional: true, resp: uv, write: true},
		{method: post, path: user + "/enable", handler: s.handleUserEnable, rule: keepUsers, tag: "users", summary: "Enable a disabled user",
			body: expectedBody{}, optional: true, resp: uv, write: true},
		{method: get, path: tokens, handler: s.handleTokenIndex, rule: keepUsers, tag: "users", summary: "List the API tokens (never a secret)", resp: []projections.TokenView{},
			query: []param{{name: "user", typ: "string", desc: "only this user's"}}},
		{method: post, path: tokens, handler: s.handleTokenCreate, rule: keepUsers, tag: "users",
			summary: "Create an API token of a user, shown once in the answer (a retry answers without it)", body: tokenBody{}, resp: tokenCreated{},
			status: fiber.StatusCreated, write: true},
		{method: get, path: tokens + "/:id", handler: s.handleTokenGet, rule: keepUsers, tag: "users", summary: "Get an API token's record", resp: tv, versioned: true},
		{method: post, path: tokens + "/:id/revoke", handler: s.handleTokenRevoke, rule: keepUsers, tag: "users", summary: "Revoke an API token: it stops working",
			body: expectedBody{}, optional: true, resp: tv, write: true},
	}
}

// noDirectory answers the list routes when carecost runs without the users
// read model.
type noDirectory struct{}

var errNoDirectory = &domain.Error{Code: domain.EUnavailable, Message: "the users read model is not available"}

func (noDirectory) Users(context.Context) ([]projections.UserView, error) { return nil, errNoDirectory }
func (noDirectory) Tokens(context.Context, string) ([]projections.TokenView, error) {
	return nil, errNoDirectory
}
