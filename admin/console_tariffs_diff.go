package admin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The diff of two versions of a tariff: the entries changed (each changed
// value old -> new), added and removed, and changed month conversions.

// diffPage compares two versions of a tariff.
type diffPage struct {
	consoleBase
	T        projections.TariffView
	From, To int
	// FromV and ToV are the versions compared (FromV nil: nothing, every
	// entry of To is added).
	FromV, ToV              *domain.TariffVersion
	Options                 []option
	Rows                    []diffRow
	Settings                []fieldChange
	Changed, Added, Removed int
	Unchanged               int
}

// diffRow is an entry that differs.
type diffRow struct {
	// Kind is changed, added or removed.
	Kind, Key, Name, ModeLabel string
	Changes                    []fieldChange
	// Params describes an added or removed entry.
	UnitCost string
	Rule     string
	Params   []string
}

// fieldChange is one value that changed.
type fieldChange struct {
	Label, Old, New string
}

// pageTariffDiff handles GET /tariffs/:id/diff?from=N&to=M.
func (s *Server) pageTariffDiff(c *fiber.Ctx) error {
	t, err := s.reads.Tariff(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	vs := versionInfos(t)
	to, err := queryVersion(c, "to", t, -1)
	if err != nil {
		return err
	}
	if to == -1 {
		to = newestVersion(vs)
	}
	from, err := queryVersion(c, "from", t, -1)
	if err != nil {
		return err
	}
	if from == -1 {
		from = defaultBase(vs, to, s.today())
	}
	p := &diffPage{consoleBase: catalogueBase(l.T("catalogue.diff.title", "name", t.Name), "catalogue.diff.intro", "nav.tariffs"),
		T: t, From: from, To: to}
	p.Wide = true
	p.Options = append(p.Options, option{"0", l.T("catalogue.diff.none")})
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		label := l.T("catalogue.diff.option", "n", v.Number, "status", l.T(statusKey(v.Status)))
		if v.Status == domain.StatusPublished {
			label = l.T("catalogue.diff.option_published", "n", v.Number, "from", l.Date(v.ValidFrom))
		}
		p.Options = append(p.Options, option{strconv.Itoa(v.Number), label})
	}
	if v, ok := tariffVersion(t, from); ok {
		p.FromV = &v
	}
	if v, ok := tariffVersion(t, to); ok {
		p.ToV = &v
	}
	if p.ToV != nil {
		svcs, err := s.reads.Services(c.UserContext())
		if err != nil {
			return err
		}
		p.diff(l, serviceNames(l, svcs))
	}
	return s.render(c, fiber.StatusOK, "tariffs_diff", p)
}

// queryVersion reads a version number of t from the query (def when
// absent; 0 names no version).
func queryVersion(c *fiber.Ctx, name string, t projections.TariffView, def int) (int, error) {
	q := c.Query(name)
	if q == "" {
		return def, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 0 {
		return 0, domain.Invalidf(name, "%q is not a version number", q)
	}
	if _, ok := tariffVersion(t, n); !ok && n != 0 {
		return 0, &domain.Error{Code: domain.ENotFound, Field: name, Message: "tariff " + t.ID + " has no version " + q}
	}
	return n, nil
}

// newestVersion returns the newest version not withdrawn (0: none).
func newestVersion(vs []domain.VersionInfo) int {
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Status != domain.StatusWithdrawn {
			return vs[i].Number
		}
	}
	return 0
}

// defaultBase returns the version a version is compared with unless the
// person picks one: for a published one the version it replaced, for a
// correction the corrected one, for a draft the one in effect today.
func defaultBase(vs []domain.VersionInfo, n int, today domain.Date) int {
	v, ok := versionOf(vs, n)
	switch {
	case !ok:
		return 0
	case v.Status == domain.StatusPublished:
		return replacedBy(vs, v)
	case v.Corrects != 0:
		return v.Corrects
	}
	return inEffectOn(vs, today)
}

// diff fills the rows: every entry of either version that differs, by
// service name and mode.
func (p *diffPage) diff(l *Lang, names map[string]string) {
	var before []domain.Entry
	if p.FromV != nil {
		before = p.FromV.Entries
		p.Settings = appendChange(p.Settings, l.T("catalogue.settings.weeks"), ratioText(l, p.FromV.WeeksPerMonth), ratioText(l, p.ToV.WeeksPerMonth))
		p.Settings = appendChange(p.Settings, l.T("catalogue.settings.days"), ratioText(l, p.FromV.DaysPerMonth), ratioText(l, p.ToV.DaysPerMonth))
	}
	after := p.ToV.Entries
	keys := map[domain.EntryKey]bool{}
	for _, e := range slices.Concat(before, after) {
		keys[e.Key()] = true
	}
	find := func(es []domain.Entry, k domain.EntryKey) (domain.Entry, bool) {
		i := slices.IndexFunc(es, func(e domain.Entry) bool { return e.Key() == k })
		if i < 0 {
			return domain.Entry{}, false
		}
		return es[i], true
	}
	for k := range keys {
		name := names[k.Service]
		if name == "" {
			name = k.Service
		}
		row := diffRow{Key: entryKey(k.Service, k.Mode), Name: name, ModeLabel: l.T("catalogue.mode." + string(k.Mode))}
		old, inBefore := find(before, k)
		cur, inAfter := find(after, k)
		switch {
		case !inBefore:
			row.Kind, row.UnitCost, row.Rule, row.Params = "added", l.Money(cur.UnitCost), l.T("catalogue.rule."+string(cur.Rule)), entryParams(l, cur)
			p.Added++
		case !inAfter:
			row.Kind, row.UnitCost, row.Rule, row.Params = "removed", l.Money(old.UnitCost), l.T("catalogue.rule."+string(old.Rule)), entryParams(l, old)
			p.Removed++
		default:
			row.Kind, row.Changes = "changed", entryChanges(l, old, cur)
			if len(row.Changes) == 0 {
				p.Unchanged++
				continue
			}
			p.Changed++
		}
		p.Rows = append(p.Rows, row)
	}
	order := map[string]int{"changed": 0, "added": 1, "removed": 2}
	slices.SortFunc(p.Rows, func(a, b diffRow) int {
		if a.Kind != b.Kind {
			return order[a.Kind] - order[b.Kind]
		}
		if c := compareText(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// entryChanges lists the values of an entry that changed, old -> new.
func entryChanges(l *Lang, a, b domain.Entry) []fieldChange {
	var out []fieldChange
	money := func(m *domain.Money) string {
		if m == nil {
			return l.T("common.none")
		}
		return l.Money(*m)
	}
	yesNo := func(v bool) string {
		if v {
			return l.T("common.yes")
		}
		return l.T("common.no")
	}
	tiers := func(ts []domain.Tier) string {
		if len(ts) == 0 {
			return l.T("common.none")
		}
		return strings.Join(tierWords(l, ts), "; ")
	}
	out = appendChange(out, l.T("catalogue.entry.unit_cost"), l.Money(a.UnitCost), l.Money(b.UnitCost))
	out = appendChange(out, l.T("catalogue.entry.rule"), l.T("catalogue.rule."+string(a.Rule)), l.T("catalogue.rule."+string(b.Rule)))
	out = appendChange(out, l.T("catalogue.entry.fee"), money(a.Fee), money(b.Fee))
	out = appendChange(out, l.T("catalogue.entry.provider_price"), money(a.ProviderPrice), money(b.ProviderPrice))
	out = appendChange(out, l.T("catalogue.entry.tiers"), tiers(a.Tiers), tiers(b.Tiers))
	out = appendChange(out, l.T("catalogue.entry.ceiling"), yesNo(a.CountsTowardCeiling), yesNo(b.CountsTowardCeiling))
	return out
}

// appendChange appends a change when old and new differ.
func appendChange(out []fieldChange, label, old, new string) []fieldChange {
	if old == new {
		return out
	}
	return append(out, fieldChange{Label: label, Old: old, New: new})
}
