package admin

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The operations page: where each projection stands against the log
// (checkpoint, head, lag, state), what a stopped one cannot apply and how
// to let it pass, readiness, and the links to the metrics and health. No
// client data: the failure's text is the projections' safe text, which
// leaves payload values out.

// operationsViews are the templates of this area of the console.
var operationsViews = []string{"operations"}

// operationsPages are this area's pages of the console.
func (s *Server) operationsPages() []route {
	return []route{
		pageGet("/operations", s.handleOperations, operate, "Projections (checkpoint, head, lag, state), readiness, metrics and health"),
		pagePost("/operations/projections/:name/skip", s.handleOperationsSkip, operate,
			"Let a stopped projection pass the event it cannot apply (recorded with the reason)", opsSkipForm{}),
		pagePost("/operations/projections/:name/rebuild", s.handleOperationsRebuild, operate,
			"Rebuild a projection beside its live read model, which answers until the rebuilt one replaces it", opsRebuildForm{}),
	}
}

// opsRebuildForm is the rebuild form's fields (beside the CSRF token):
// confirm is "yes" on the confirmation's form; the row's button, without
// it, asks first.
type opsRebuildForm struct {
	Confirm string `json:"confirm"`
}

// opsSkipForm is the skip form's fields.
type opsSkipForm struct {
	Position string `json:"position"`
	Reason   string `json:"reason"`
}

// opsMaxReason bounds a skip's reason, in characters (as the projections
// do).
const opsMaxReason = 500

// opsPage is the operations page.
type opsPage struct {
	consoleBase
	Errors      formErrors
	Projections []opsProjection
	Ready       bool
	NotReady    string
	// Reason is a failed skip's reason, kept (for the projection Failed).
	Reason, Failed string
	// Polling: a rebuild runs, and the rebuilds' section updates itself.
	Polling bool
	// Confirm asks whether to rebuild a projection (its Rebuild button
	// pressed).
	Confirm *opsConfirm
}

// opsConfirm is the question before a rebuild: what it does, and how long
// the projection's last rebuild here took.
type opsConfirm struct {
	Name, Title, Text, Last, Submit string
}

// opsProjection is a projection as the page shows it.
type opsProjection struct {
	Name, State, StateKey, Checkpoint, Head string
	Version                                 int
	Lag                                     uint64
	CaughtUp                                bool
	Failure                                 *opsFailure
	// Rebuildable: the Rebuild button shows (not while one runs).
	Rebuildable, Rebuilding bool
	Rebuild                 *opsRebuild
}

// opsRebuild is a projection's running or last rebuild as the page shows it.
type opsRebuild struct {
	State, StateKey, Events, Rate, Left, Started, Finished, Error string
}

// opsFailure is what a stopped projection cannot apply, and how to skip it.
type opsFailure struct {
	Position, EventID, EventType, Error, At string
	API, CLI                                string
}

// handleOperations handles GET /operations.
func (s *Server) handleOperations(c *fiber.Ctx) error {
	return s.opsRender(c, fiber.StatusOK, &opsPage{})
}

// opsRender fills the page from the projections' status and renders it.
func (s *Server) opsRender(c *fiber.Ctx, status int, p *opsPage) error {
	l := s.pageLang(c)
	p.consoleBase = consoleBase{Title: "ops.title", Intro: "ops.intro", Section: "nav.operations", Wide: true, Styles: []string{"audit"},
		Problems: p.Errors.summary(), Live: true}
	ctx := c.UserContext()
	st, _, err := s.statusKnown(ctx) // the store away: the last head read, and Ready says why
	if err != nil {
		return err
	}
	for _, x := range st {
		pr := opsProjection{Name: x.Name, Version: x.Version, Checkpoint: x.Checkpoint.String(), Head: x.Head.String(),
			CaughtUp: x.CaughtUp, StateKey: x.State, State: auditKey(l, "ops.state.", x.State)}
		if x.Head.Commit > x.Checkpoint.Commit {
			pr.Lag = x.Head.Commit - x.Checkpoint.Commit
		}
		pr.Rebuildable, pr.Rebuilding = x.Rebuildable, x.Rebuilding
		if rb := x.Rebuild; rb != nil {
			pr.Rebuild = opsRebuildView(l, rb, x.Head)
			p.Polling = p.Polling || rb.Running()
		}
		if f := x.Failure; f != nil {
			pos := f.Position.String()
			pr.Failure = &opsFailure{Position: pos, EventID: f.EventID, EventType: f.EventType, Error: f.Error, At: l.Time(f.At),
				API: `POST /api/v1/projections/` + x.Name + `/skip {"position": "` + pos + `", "reason": "…"}`,
				CLI: `carecost projections skip ` + x.Name + ` --position ` + pos + ` --reason "…"`}
		}
		p.Projections = append(p.Projections, pr)
	}
	rctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := s.health.Ready(rctx); err != nil {
		p.NotReady = domain.ErrorMessage(err)
	} else {
		p.Ready = true
	}
	return s.render(c, status, "operations", p)
}

// handleOperationsSkip handles POST /operations/projections/:name/skip: the
// stopped projection passes the event at the form's position, recorded in
// the log with the reason and who skipped it, as the API's skip does.
func (s *Server) handleOperationsSkip(c *fiber.Ctx) error {
	l := s.pageLang(c)
	name := pathParam(c, "name")
	p := &opsPage{Reason: formValue(c, "reason"), Failed: name}
	field := "skip-reason-" + name
	pos, err := domain.ParsePosition(formValue(c, "position"))
	if err != nil || pos.IsZero() {
		p.Errors.add(field, l.T("ops.error.position"))
	}
	switch msg := formatCharMessage(l, l.T("ops.skip.reason"), p.Reason); {
	case msg != "":
		p.Errors.add(field, msg)
	case p.Reason == "":
		p.Errors.add(field, l.T("ops.error.reason"))
	case utf8.RuneCountInString(p.Reason) > opsMaxReason || strings.ContainsAny(p.Reason, "\r\n") ||
		domain.CheckText("reason", p.Reason, opsMaxReason, true, false) != nil:
		p.Errors.add(field, l.T("ops.error.reason_text", "max", opsMaxReason))
	}
	if !p.Errors.ok() {
		return s.opsRender(c, fiber.StatusUnprocessableEntity, p)
	}
	if s.skipper == nil {
		return domain.Errorf(domain.EUnavailable, "this carecost runs no projections")
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	if _, err := s.skipper.Skip(c.UserContext(), cmd, projections.SkipRequest{Projection: name, Position: pos, Reason: p.Reason}); err != nil {
		switch domain.ErrorCode(err) {
		case domain.EInvalid:
			if domain.ErrorField(err) == "position" {
				p.Errors.add(field, l.T("ops.error.moved"))
			} else {
				p.Errors.add(field, l.T("ops.error.reason_text", "max", opsMaxReason))
			}
		case domain.EConflict:
			p.Errors.add(field, l.T("ops.error.not_stopped"))
		default:
			return err
		}
		return s.opsRender(c, fiber.StatusUnprocessableEntity, p)
	}
	return s.redirectWith(c, "/operations", "ops.notice.skipped")
}

// opsRebuildView says a rebuild's progress in the page's language.
// While it builds, the events done are given with how far along the log
// the new tables are (their position against the head's).
func opsRebuildView(l *Lang, rb *projections.RebuildProgress, head domain.Position) *opsRebuild {
	v := &opsRebuild{StateKey: rb.State, State: auditKey(l, "ops.rebuild.state.", rb.State), Events: l.Number(int64(rb.Events)),
		Rate: l.T("ops.rebuild.rate", "n", l.Number(rb.EventsPerSecond)), Started: l.Time(rb.StartedAt), Error: rb.Error}
	if rb.State == projections.RebuildBuilding && head.Commit > 0 && rb.Checkpoint.Commit <= head.Commit {
		v.Events = l.T("ops.rebuild.events.along", "n", v.Events, "pct", l.Number(int64(rb.Checkpoint.Commit*100/head.Commit)))
	}
	switch {
	case !rb.Running():
	case rb.RemainingSeconds == nil:
		v.Left = l.T("ops.rebuild.left.unknown")
	case *rb.RemainingSeconds < 60:
		v.Left = l.T("ops.rebuild.left.seconds", "n", l.Number(*rb.RemainingSeconds))
	default:
		v.Left = l.T("ops.rebuild.left.minutes", "n", l.Number((*rb.RemainingSeconds+59)/60))
	}
	if rb.FinishedAt != nil {
		v.Finished = l.Time(*rb.FinishedAt)
	}
	return v
}

// handleOperationsRebuild handles POST /operations/projections/:name/rebuild:
// the projection is rebuilt beside its live read model, as the API's
// rebuild does; the page then follows its progress.
func (s *Server) handleOperationsRebuild(c *fiber.Ctx) error {
	l := s.pageLang(c)
	name := pathParam(c, "name")
	if s.rebuilder == nil {
		return domain.Errorf(domain.EUnavailable, "this carecost runs no projections")
	}
	if formValue(c, "confirm") != "yes" {
		if p, ok, err := s.opsConfirmRebuild(c, l, name); err != nil || ok {
			if err != nil {
				return err
			}
			return s.opsRender(c, fiber.StatusOK, p)
		}
		// Not one to rebuild now: the rebuild's own refusal says why.
	}
	_, err := s.rebuilder.StartRebuild(name)
	if err == nil {
		s.log.Info("projection rebuild requested", "projection", name, "user", actorOf(c).ID)
		return s.redirectWith(c, "/operations", "ops.notice.rebuild_started")
	}
	p := &opsPage{}
	field := "rebuild-" + name
	status := fiber.StatusUnprocessableEntity
	switch domain.ErrorCode(err) {
	case domain.EConflict:
		p.Errors.add(field, l.T("ops.error.rebuilding"))
		status = fiber.StatusConflict
	case domain.EUnavailable:
		p.Errors.add(field, l.T("ops.error.rebuild_later"))
		status = fiber.StatusServiceUnavailable
	default:
		return err
	}
	return s.opsRender(c, status, p)
}

// opsConfirmRebuild is the page that asks whether to rebuild the named
// projection, when it can be rebuilt now (ok false: it cannot).
func (s *Server) opsConfirmRebuild(c *fiber.Ctx, l *Lang, name string) (*opsPage, bool, error) {
	st, _, err := s.statusKnown(c.UserContext())
	if err != nil {
		return nil, false, err
	}
	for _, x := range st {
		if x.Name != name || !x.Rebuildable || x.Rebuilding {
			continue
		}
		cf := &opsConfirm{Name: name, Title: l.T("ops.confirm.title", "name", name), Text: l.T("ops.confirm.text", "name", name),
			Submit: l.T("ops.confirm.submit", "name", name)}
		if rb := x.Rebuild; rb != nil && rb.State == projections.RebuildSwitched && rb.FinishedAt != nil {
			took := rb.FinishedAt.Sub(rb.StartedAt)
			n := int64((took + 59*time.Second) / time.Minute)
			cf.Last = l.T("ops.confirm.last.minutes", "n", l.Number(n), "events", l.Number(int64(rb.Events)))
			if took < time.Minute {
				cf.Last = l.T("ops.confirm.last.seconds", "n", l.Number(int64(max(took.Round(time.Second)/time.Second, 1))), "events", l.Number(int64(rb.Events)))
			}
		}
		return &opsPage{Confirm: cf}, true, nil
	}
	return nil, false, nil
}
