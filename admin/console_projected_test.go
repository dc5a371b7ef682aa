package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"carecost/admin"
	"carecost/admin/auth"
	"carecost/domain"
	"carecost/projections"
)

// projectedEnv is a signInEnv whose reads, users and projection status
// come from the real projections over its store, caught up before every
// page and after every command: what the console shows is what carecost
// would show.
type projectedEnv struct {
	*signInEnv
	set    *projections.Set
	runner *projections.Runner
}

// catchUpWaiter catches the projections up when a command waits for them.
type catchUpWaiter struct{ r **projections.Runner }

func (w catchUpWaiter) WaitFor(ctx context.Context, _ domain.Position) error {
	return (*w.r).CatchUp(ctx)
}

func newProjectedEnv(t *testing.T, change ...func(*admin.Config)) *projectedEnv {
	t.Helper()
	pe := &projectedEnv{}
	// Decisions are dated up to 30 days ahead (see day).
	pe.signInEnv = newSignInEnv(t, append([]func(*admin.Config){clockAhead(30), func(cfg *admin.Config) {
		db, err := projections.OpenDB(filepath.Join(t.TempDir(), "read.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		store := cfg.Commands.Store()
		pe.set = projections.NewSet(db, store)
		pe.runner = projections.NewRunner(store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), pe.set.All()...)
		if err := pe.runner.Init(context.Background()); err != nil {
			t.Fatal(err)
		}
		pe.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
			return projections.NewProjection(name, db, store)
		}
		cfg.Reads, cfg.Directory, cfg.Health, cfg.Skipper, cfg.Rebuilder = pe.set, pe.set, pe.runner, pe.runner, pe.runner
		cfg.Waiter = catchUpWaiter{&pe.runner}
	}}, change...)...)
	return pe
}

// catchUp applies the log to the projections.
func (pe *projectedEnv) catchUp() {
	pe.t.Helper()
	if err := pe.runner.CatchUp(context.Background()); err != nil {
		pe.t.Fatal(err)
	}
}

// addUser adds a user with the password of password().
func (pe *projectedEnv) addUser(name, display, team string, roles ...domain.Role) {
	pe.t.Helper()
	hash, err := auth.HashPassword(password(name))
	if err != nil {
		pe.t.Fatal(err)
	}
	in := domain.UserInput{Name: name, DisplayName: display, Team: team, Roles: roles, PasswordHash: domain.Hash(hash)}
	if _, err := pe.cmds.AddUser(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, in); err != nil {
		pe.t.Fatal(err)
	}
}

// signedIn returns a browser signed in as user (added by newSignInEnv or
// addUser).
func (pe *projectedEnv) signedIn(user string) *browser {
	pe.t.Helper()
	b := pe.browser()
	b.signIn(user, password(user)).wantStatus(pe.t, http.StatusSeeOther)
	return b
}

// page GETs a console page with the projections caught up.
func (pe *projectedEnv) page(b *browser, path string) response {
	pe.t.Helper()
	pe.catchUp()
	return b.do("GET", path, "", nil)
}

// post sends a console form with the session's CSRF token.
func (pe *projectedEnv) post(b *browser, path string, form url.Values) response {
	pe.t.Helper()
	form.Set("_csrf", b.csrf())
	return b.do("POST", path, "", form)
}

// decided opens the demo case as anna and records decision number on it,
// returning the estimate's id.
func (pe *projectedEnv) decided(number string) string {
	pe.t.Helper()
	anna := as("anna", "north", "case_manager")
	var est estimate
	pe.do("POST", "/api/v1/estimates", demoCase, anna...).wantStatus(pe.t, http.StatusCreated).decode(pe.t, &est)
	pe.do("POST", "/api/v1/estimates/"+est.ID+"/decide",
		`{"decision_number": "`+number+`", "decision_date": "`+day(0)+`", "effective_from": "2025-04-01", "presented": false, "not_presented_reason": "decided at the meeting"}`,
		anna...).wantStatus(pe.t, http.StatusOK)
	return est.ID
}

// draftMealCorrection makes a draft correcting version 1 of the demo
// tariff with the meal service's fee 5.00 -> 6.00, and returns its version.
func (pe *projectedEnv) draftMealCorrection() int {
	pe.t.Helper()
	ctx, admin := context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	n, _, err := pe.cmds.CreateTariffDraft(ctx, admin, "phhva", 0, 1, "meal fee corrected")
	if err != nil {
		pe.t.Fatal(err)
	}
	fee := domain.Money(600)
	if _, err := pe.cmds.SetTariffEntry(ctx, admin, "phhva", n, domain.Entry{Service: "meal-service", Mode: "own", UnitCost: 980, Rule: domain.RuleFlat, Fee: &fee}); err != nil {
		pe.t.Fatal(err)
	}
	return n
}

// correctTariff publishes the meal correction of draftMealCorrection and
// returns its version.
func (pe *projectedEnv) correctTariff() int {
	pe.t.Helper()
	n := pe.draftMealCorrection()
	admin := domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	if _, err := pe.cmds.PublishTariff(context.Background(), admin, "phhva", n, domain.Date{}); err != nil {
		pe.t.Fatal(err)
	}
	return n
}

var auditTagsRE = regexp.MustCompile(`(?s)<[^>]*>`)

// auditText returns the text of an HTML fragment, its spaces collapsed.
func auditText(html string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("&nbsp;", " ", "\u00a0", " ").Replace(auditTagsRE.ReplaceAllString(html, " "))), " ")
}

// auditElement returns the element of the page with id (its outer HTML, up to
// the matching close of its tag name; nested tags of the same name are
// counted), or "" when the page has none.
func auditElement(page, id string) string {
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		return ""
	}
	start = strings.LastIndex(page[:start], "<")
	name := page[start+1:]
	name = name[:strings.IndexAny(name, " >")]
	depth := 0
	for i := start; i < len(page); {
		open := strings.Index(page[i:], "<"+name)
		close := strings.Index(page[i:], "</"+name+">")
		if close < 0 {
			return page[start:]
		}
		if open >= 0 && open < close {
			depth++
			i += open + len(name) + 1
			continue
		}
		depth--
		i += close + len(name) + 3
		if depth == 0 {
			return page[start:i]
		}
	}
	return page[start:]
}
