package admin

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/auth"
	"carecost/domain"
)

// The admins' pages of users: the list with a form to add one, and a
// user's page to grant and revoke roles, set the team, set the password
// and disable or enable them. They run the same commands as the users API
// (admin/users.go, users_change.go); no page ever shows a password hash.

// userViews are the templates of this area of the console.
var userViews = []string{"users_list", "users_user"}

// userPages are this area's pages of the console.
func (s *Server) userPages() []route {
	const user = "/users/:name"
	return []route{
		pageGet("/users", s.handleUsersList, keepUsers, "The users with their roles, team and sign-in, and a form to add one"),
		pagePost("/users", s.handleUsersAdd, keepUsers, "Add a user (an initial password, or OpenID Connect only)", usersAddForm{}),
		pageGet(user, s.handleUsersUser, keepUsers, "A user: roles, team, password, disable or enable"),
		pagePost(user+"/roles", s.handleUsersRoles, keepUsers, "Grant and revoke a user's roles", usersRolesForm{}),
		pagePost(user+"/team", s.handleUsersTeam, keepUsers, "Set a user's team", usersTeamForm{}),
		pagePost(user+"/password", s.handleUsersPassword, keepUsers, "Set a user's password", usersPasswordForm{}),
		pagePost(user+"/disable", s.handleUsersDisable, keepUsers, "Disable a user: no sign-in, their tokens stop", usersVersionForm{}),
		pagePost(user+"/enable", s.handleUsersEnable, keepUsers, "Enable a disabled user", usersVersionForm{}),
	}
}

// The forms' fields (their json tags name them).
type (
	usersAddForm struct {
		Name        string        `json:"name"`
		DisplayName string        `json:"display_name"`
		Team        string        `json:"team,omitempty"`
		Roles       []domain.Role `json:"roles"`
		SignIn      string        `json:"signin"`
		Password    string        `json:"password,omitempty"`
	}
	usersVersionForm struct {
		ExpectedVersion int64 `json:"expected_version"`
	}
	usersRolesForm struct {
		Roles           []domain.Role `json:"roles"`
		ExpectedVersion int64         `json:"expected_version"`
	}
	usersTeamForm struct {
		Team            string `json:"team"`
		ExpectedVersion int64  `json:"expected_version"`
	}
	usersPasswordForm struct {
		Password        string `json:"password"`
		ExpectedVersion int64  `json:"expected_version"`
	}
)

// usersRole is a role as a checkbox.
type usersRole struct {
	Value, Label string
	Checked      bool
}

// usersRow is a user of the list.
type usersRow struct {
	Name, DisplayName, Team, Roles, SignIn string
	Disabled                               bool
}

// usersListPage is the list of users with the form to add one.
type usersListPage struct {
	consoleBase
	Rows   []usersRow
	Errors formErrors
	// The add form as typed.
	Name, DisplayName, Team, SignIn string
	Roles                           []usersRole
}

// usersUserPage is one user with the forms that change them.
type usersUserPage struct {
	consoleBase
	Errors                          formErrors
	Name, DisplayName, Team, SignIn string
	RoleNames, Added, Changed       string
	Disabled, Self                  bool
	Version                         int64
	// The forms as typed (on a failed form) or as the user is.
	Roles    []usersRole
	TeamForm string
}

// usersRoleBoxes returns every role as a checkbox, checked ones those of
// checked.
func usersRoleBoxes(l *Lang, checked []domain.Role) []usersRole {
	out := make([]usersRole, len(domain.Roles))
	for i, r := range domain.Roles {
		out[i] = usersRole{Value: string(r), Label: l.T("role." + string(r)), Checked: slices.Contains(checked, r)}
	}
	return out
}

// usersRoleNames names roles in l.
func usersRoleNames(l *Lang, roles []domain.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = l.T("role." + string(r))
	}
	return strings.Join(names, ", ")
}

// usersSignIn says in l how a user signs in.
func usersSignIn(l *Lang, localPassword bool) string {
	if localPassword {
		return l.T("users.signin.password")
	}
	return l.T("users.signin.oidc")
}

// handleUsersList handles GET /users.
func (s *Server) handleUsersList(c *fiber.Ctx) error {
	p := &usersListPage{SignIn: "password"}
	p.Roles = usersRoleBoxes(s.pageLang(c), nil)
	return s.usersList(c, fiber.StatusOK, p)
}

// usersList renders the list of users with p's add form.
func (s *Server) usersList(c *fiber.Ctx, status int, p *usersListPage) error {
	l := s.pageLang(c)
	p.consoleBase = consoleBase{Title: "users.list.title", Intro: "users.list.intro", Section: "nav.users", Wide: true,
		Styles: []string{"audit"}, Problems: p.Errors.summary()}
	users, err := s.directory.Users(c.UserContext())
	if err != nil {
		return err
	}
	for _, u := range users {
		p.Rows = append(p.Rows, usersRow{Name: u.Name, DisplayName: u.DisplayName, Team: u.Team, Roles: usersRoleNames(l, u.Roles),
			SignIn: usersSignIn(l, u.LocalPassword), Disabled: u.Disabled})
	}
	return s.render(c, status, "users_list", p)
}

// usersRolesOf reads the checked roles of a form; a value that is no role
// fails field.
func usersRolesOf(c *fiber.Ctx, l *Lang, errs *formErrors, field string) []domain.Role {
	var roles []domain.Role
	for _, v := range formValues(c, "roles") {
		if !slices.Contains(domain.Roles, domain.Role(v)) {
			errs.add(field, l.T("error.choice"))
			continue
		}
		roles = append(roles, domain.Role(v))
	}
	if len(roles) == 0 {
		errs.add(field, l.T("users.error.roles"))
	}
	return roles
}

// usersCheckTeam checks a team typed for a user with roles.
func usersCheckTeam(l *Lang, errs *formErrors, field, team string, roles []domain.Role) {
	switch {
	case team == "" && slices.Contains(roles, domain.RoleCaseManager):
		errs.add(field, l.T("users.error.team_needed"))
	case team != "" && domain.ValidSlug("team", team) != nil:
		errs.add(field, l.T("users.error.team"))
	}
}

// usersCheckPassword checks a new password against the policy.
func usersCheckPassword(l *Lang, errs *formErrors, field, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case pw == "":
		errs.add(field, l.T("error.required"))
	case auth.CheckPasswordPolicy(pw) != nil && n < auth.MinPasswordLen:
		errs.add(field, l.T("users.error.password_short", "min", auth.MinPasswordLen))
	case auth.CheckPasswordPolicy(pw) != nil:
		errs.add(field, l.T("users.error.password", "min", auth.MinPasswordLen, "max", auth.MaxPasswordLen))
	}
}

// handleUsersAdd handles POST /users: adds a user, with an initial
// password or none (OpenID Connect only).
func (s *Server) handleUsersAdd(c *fiber.Ctx) error {
	l := s.pageLang(c)
	p := &usersListPage{Name: formValue(c, "name"), DisplayName: formValue(c, "display_name"), Team: formValue(c, "team"),
		SignIn: formValue(c, "signin")}
	errs := &p.Errors
	if err := domain.ValidUserName("name", p.Name); err != nil {
		errs.add("user-name", l.T("users.error.name"))
	}
	if p.DisplayName == "" {
		errs.add("user-display-name", l.T("error.required"))
	} else if msg := formatCharMessage(l, l.T("users.field.display_name"), p.DisplayName); msg != "" {
		errs.add("user-display-name", msg)
	} else if domain.CheckText("display_name", p.DisplayName, 200, true, false) != nil {
		errs.add("user-display-name", l.T("users.error.display_name"))
	}
	roles := usersRolesOf(c, l, errs, "user-roles")
	p.Roles = usersRoleBoxes(l, roles)
	usersCheckTeam(l, errs, "user-team", p.Team, roles)
	pw := c.FormValue("password") // not trimmed: spaces are part of a password
	switch p.SignIn {
	case "password":
		usersCheckPassword(l, errs, "user-password", pw)
	case "oidc":
	default:
		errs.add("user-signin-password", l.T("error.choice"))
	}
	if !errs.ok() {
		return s.usersList(c, fiber.StatusUnprocessableEntity, p)
	}
	in := domain.UserInput{Name: p.Name, DisplayName: p.DisplayName, Team: p.Team, Roles: roles}
	if p.SignIn == "password" {
		h, err := hashPassword(pw)
		if err != nil {
			return err
		}
		in.PasswordHash = h
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	r, err := s.commands.AddUser(c.UserContext(), cmd, in)
	if err != nil {
		if domain.ErrorCode(err) == domain.EConflict && domain.ErrorField(err) == "name" {
			errs.add("user-name", l.T("users.error.name_taken"))
		} else if !errs.domainError(l, err, usersFields) {
			return err
		}
		return s.usersList(c, fiber.StatusUnprocessableEntity, p)
	}
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, "/users/"+url.PathEscape(p.Name), "users.notice.added")
}

// usersFields maps the user commands' fields to the forms' fields.
var usersFields = map[string]string{"name": "user-name", "display_name": "user-display-name", "team": "user-team",
	"roles": "user-roles", "password": "user-password", "password_hash": "user-password"}

// usersPage fills the page of user name as it now stands; ENotFound when
// there is no such user.
func (s *Server) usersPage(c *fiber.Ctx, name string) (*usersUserPage, error) {
	u, err := s.commands.UserAsOf(c.UserContext(), name, domain.Position{})
	if err != nil {
		return nil, err
	}
	v := userView(u)
	l := s.pageLang(c)
	id, _ := identityOf(c)
	p := &usersUserPage{consoleBase: consoleBase{Intro: "users.user.intro", Section: "nav.users", Styles: []string{"audit"}},
		Name: v.Name, DisplayName: v.DisplayName, Team: v.Team, SignIn: usersSignIn(l, v.LocalPassword),
		RoleNames: usersRoleNames(l, v.Roles), Added: l.Time(v.CreatedAt), Changed: l.Time(v.ChangedAt), Disabled: v.Disabled,
		Self: id.User == v.Name, Version: u.StreamVersion(), Roles: usersRoleBoxes(l, v.Roles), TeamForm: v.Team}
	p.Title = l.T("users.user.title", "name", v.DisplayName)
	return p, nil
}

// usersRender renders a user's page, with a failed form's messages.
func (s *Server) usersRender(c *fiber.Ctx, status int, p *usersUserPage) error {
	p.Problems = p.Errors.summary()
	return s.render(c, status, "users_user", p)
}

// handleUsersUser handles GET /users/:name.
func (s *Server) handleUsersUser(c *fiber.Ctx) error {
	p, err := s.usersPage(c, pathParam(c, "name"))
	if err != nil {
		return err
	}
	return s.usersRender(c, fiber.StatusOK, p)
}

// usersChange runs a command of a user's form: check reads the form onto
// the page (its messages on its fields), then run is the command, with the
// form's expected version; a command's error goes on the form too. On
// success, to the user's page with notice.
func (s *Server) usersChange(c *fiber.Ctx, notice string, check func(l *Lang, p *usersUserPage),
	run func(cmd domain.Command, name string) (domain.Result, error)) error {
	name := pathParam(c, "name")
	p, err := s.usersPage(c, name)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	expected, _ := expectedField(c)
	check(l, p)
	if !p.Errors.ok() {
		return s.usersRender(c, fiber.StatusUnprocessableEntity, p)
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	r, err := run(cmd, name)
	if err != nil {
		if !p.Errors.domainError(l, err, usersFields) {
			return err
		}
		return s.usersRender(c, fiber.StatusUnprocessableEntity, p)
	}
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, "/users/"+url.PathEscape(name), notice)
}

// handleUsersRoles handles POST /users/:name/roles: grants the roles
// checked and revokes the others (an admin cannot take their own admin
// role: nobody would be left to give it back).
func (s *Server) handleUsersRoles(c *fiber.Ctx) error {
	var roles []domain.Role
	return s.usersChange(c, "users.notice.roles", func(l *Lang, p *usersUserPage) {
		roles = usersRolesOf(c, l, &p.Errors, "user-roles")
		p.Roles = usersRoleBoxes(l, roles)
		if p.Self && len(roles) > 0 && !slices.Contains(roles, domain.RoleAdmin) {
			p.Errors.add("user-roles", l.T("users.error.self_admin"))
		}
		if p.Team == "" && slices.Contains(roles, domain.RoleCaseManager) {
			p.Errors.add("user-roles", l.T("users.error.team_first"))
		}
	}, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.SetUserRoles(c.UserContext(), cmd, name, roles)
	})
}

// handleUsersTeam handles POST /users/:name/team.
func (s *Server) handleUsersTeam(c *fiber.Ctx) error {
	team := formValue(c, "team")
	return s.usersChange(c, "users.notice.team", func(l *Lang, p *usersUserPage) {
		p.TeamForm = team
		var roles []domain.Role
		for _, r := range p.Roles {
			if r.Checked {
				roles = append(roles, domain.Role(r.Value))
			}
		}
		usersCheckTeam(l, &p.Errors, "user-team", team, roles)
	}, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.SetUserTeam(c.UserContext(), cmd, name, team)
	})
}

// handleUsersPassword handles POST /users/:name/password.
func (s *Server) handleUsersPassword(c *fiber.Ctx) error {
	pw := c.FormValue("password")
	return s.usersChange(c, "users.notice.password", func(l *Lang, p *usersUserPage) {
		usersCheckPassword(l, &p.Errors, "user-password", pw)
	}, func(cmd domain.Command, name string) (domain.Result, error) {
		h, err := hashPassword(pw)
		if err != nil {
			return domain.Result{}, err
		}
		return s.commands.SetUserPassword(c.UserContext(), cmd, name, h)
	})
}

// handleUsersDisable handles POST /users/:name/disable (an admin cannot
// disable themselves).
func (s *Server) handleUsersDisable(c *fiber.Ctx) error {
	return s.usersChange(c, "users.notice.disabled", func(l *Lang, p *usersUserPage) {
		if p.Self {
			p.Errors.add("user-disable", l.T("users.error.self_disable"))
		}
	}, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.DisableUser(c.UserContext(), cmd, name)
	})
}

// handleUsersEnable handles POST /users/:name/enable.
func (s *Server) handleUsersEnable(c *fiber.Ctx) error {
	return s.usersChange(c, "users.notice.enabled", func(*Lang, *usersUserPage) {},
		func(cmd domain.Command, name string) (domain.Result, error) {
			return s.commands.EnableUser(c.UserContext(), cmd, name)
		})
}
