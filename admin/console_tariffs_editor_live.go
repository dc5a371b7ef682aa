package admin

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// A draft's entry rows save themselves: a row's form posts (htmx) when one
// of its fields changes, and the answer is the entries table as the draft
// now is (every row form with the draft's new version), the other forms'
// versions brought up to date and, in the status region, what was saved
// or why not. A refused row keeps its input and its messages beside its
// fields. Without the script the row's button posts and redirects.

// entrySaved answers a row saved by htmx: the entries table as the draft
// is now.
func (s *Server) entrySaved(c *fiber.Ctx, in entryRow) error {
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	p, err := s.newTariffVersionPage(c, t, v)
	if err != nil {
		return err
	}
	return s.entriesAnswer(c, p, in.Key, s.pageLang(c).T("editor.saved", "entry", in.Name+", "+in.ModeLabel))
}

// rowRefused says a row was not saved and why.
func rowRefused(l *Lang, in entryRow, probs []fieldError) string {
	msgs := make([]string, len(probs))
	for i, p := range probs {
		msgs[i] = p.Message
	}
	return l.T("editor.refused", "entry", in.Name+", "+in.ModeLabel, "problems", strings.Join(msgs, " "))
}

// entriesAnswer answers a row that saved itself, or tried to: the row
// alone (so what is being typed in another row is left as it is), and out
// of band the draft's version in every other form and announce read out;
// 200 even when refused, as htmx swaps no error answer.
func (s *Server) entriesAnswer(c *fiber.Ctx, p *tariffVersionPage, key, announce string) error {
	i := slices.IndexFunc(p.Rows, func(r entryRow) bool { return r.Key == key })
	if i < 0 {
		return &domain.Error{Code: domain.ENotFound, Message: "there is no entry " + key + " in the draft"}
	}
	p.Announce = announce
	row := p.RowView(p.Rows[i])
	p.LiveRow = &row
	return s.renderPartial(c, "tariffs_entry_live", p)
}
