package admin

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// What the tariff and income-limit catalogue pages share: a version's
// place in valid time and in the order of publication, the timeline of
// versions and the choice a new draft starts from.

// inEffectOn returns the number of the published version in effect on d
// among vs (0: none): the latest valid-from on or before d, and among
// equal valid-froms the one published last (a correction).
func inEffectOn(vs []domain.VersionInfo, d domain.Date) int {
	var best *domain.VersionInfo
	for i := range vs {
		v := &vs[i]
		if v.Status != domain.StatusPublished || v.ValidFrom.After(d) {
			continue
		}
		if best == nil || best.ValidFrom.Before(v.ValidFrom) || (best.ValidFrom == v.ValidFrom && best.Position.Less(v.Position)) {
			best = v
		}
	}
	if best == nil {
		return 0
	}
	return best.Number
}

// replacedBy returns the version v replaced when it was published: the one
// in effect on its valid-from among those published before it (0: none).
func replacedBy(vs []domain.VersionInfo, v domain.VersionInfo) int {
	var before []domain.VersionInfo
	for _, o := range vs {
		if o.Status == domain.StatusPublished && o.Position.Less(v.Position) {
			before = append(before, o)
		}
	}
	return inEffectOn(before, v.ValidFrom)
}

// currentFor reports whether published version v is the one in force for
// its valid-from: no later publication shares it (only such a version may
// be corrected).
func currentFor(vs []domain.VersionInfo, v domain.VersionInfo) bool {
	for _, o := range vs {
		if o.Status == domain.StatusPublished && o.ValidFrom == v.ValidFrom && v.Position.Less(o.Position) {
			return false
		}
	}
	return v.Status == domain.StatusPublished
}

// nextValidFrom returns the first valid-from of a published version after
// d (zero: none): a version valid from d holds until the day before.
func nextValidFrom(vs []domain.VersionInfo, d domain.Date) domain.Date {
	var next domain.Date
	for _, v := range vs {
		if v.Status == domain.StatusPublished && v.ValidFrom.After(d) && (next.IsZero() || v.ValidFrom.Before(next)) {
			next = v.ValidFrom
		}
	}
	return next
}

// versionOf returns version n of vs.
func versionOf(vs []domain.VersionInfo, n int) (domain.VersionInfo, bool) {
	i := slices.IndexFunc(vs, func(v domain.VersionInfo) bool { return v.Number == n })
	if i < 0 {
		return domain.VersionInfo{}, false
	}
	return vs[i], true
}

// timelineItem is a version on a timeline.
type timelineItem struct {
	Number                      int
	Status                      domain.VersionStatus
	Draft, Published, Withdrawn bool
	ValidFrom                   domain.Date
	PublishedAt                 time.Time
	PublishedBy, Note           string
	// Corrects is the version this one corrects; CorrectedBy the versions
	// that corrected this one.
	Corrects    int
	CorrectedBy []int
	// ImpactHref is the page of what the version changes in the
	// decisions in force ("" when the user may not see it).
	ImpactHref string
	// Replaces is the version this one took the place of on its
	// valid-from when it was published.
	Replaces int
	// InEffect: the version in effect today; Retroactive: published after
	// its valid-from had begun.
	InEffect, Retroactive bool
	Href, DiffHref        string
}

// timeline returns vs as a timeline, the newest version first; base is the
// path of the tariff or catalogue.
func timeline(vs []domain.VersionInfo, base string, today domain.Date) []timelineItem {
	now := inEffectOn(vs, today)
	out := make([]timelineItem, 0, len(vs))
	for _, v := range vs {
		it := timelineItem{Number: v.Number, Status: v.Status, Draft: v.Status == domain.StatusDraft,
			Published: v.Status == domain.StatusPublished, Withdrawn: v.Status == domain.StatusWithdrawn,
			ValidFrom: v.ValidFrom, PublishedAt: v.PublishedAt, PublishedBy: v.PublishedBy, Note: v.Note,
			Corrects: v.Corrects, InEffect: v.Number == now,
			Href: base + "/versions/" + strconv.Itoa(v.Number)}
		for _, o := range vs {
			if o.Corrects == v.Number && o.Status == domain.StatusPublished {
				it.CorrectedBy = append(it.CorrectedBy, o.Number)
			}
		}
		if it.Published {
			it.Replaces = replacedBy(vs, v)
			it.Retroactive = !v.PublishedAt.IsZero() && v.ValidFrom.Before(domain.DateOf(v.PublishedAt))
		}
		from := it.Replaces
		switch {
		case it.Draft && v.Corrects != 0:
			from = v.Corrects
		case it.Draft:
			from = now
		}
		if !it.Withdrawn {
			it.DiffHref = base + "/diff?from=" + strconv.Itoa(from) + "&to=" + strconv.Itoa(v.Number)
		}
		out = append(out, it)
	}
	slices.Reverse(out)
	return out
}

// versionWords describe a kind of versioned catalogue: the path of its
// pages, its navigation key and the catalogue's keys of the texts that
// differ between a tariff's versions (prices) and an income-limit
// catalogue's (income limits and percentages): the rest of the version
// pages is shared.
type versionWords struct {
	base, nav                                                            string
	notDraft, draftCreated, draftSourceHint, validFromHint, confirmIntro string
	// The words and element ids of the shared templates: the list's
	// table, its caption and name column, the prefix of a row's link's
	// id, the empty list's texts, the new one's form (NewHint: none when
	// empty), the timeline's hint, the new draft's and the publish form's
	// hints.
	ListTable, ListCaption, ListName, ListLink, ListEmpty, ListEmptyKeeper string
	NewTitleID, NewTitle, NewHint, CreateForm, CreateButton, Create        string
	TimelineHint, DraftHint, PublishHint                                   string
}

// tariffWords and incomeWords are the words of the two kinds of versions.
var (
	tariffWords = versionWords{base: "/tariffs", nav: "nav.tariffs",
		notDraft: "catalogue.version.error.not_draft", draftCreated: "catalogue.notice.draft_created",
		draftSourceHint: "catalogue.draft.source_hint", validFromHint: "catalogue.publish.valid_from_hint", confirmIntro: "catalogue.confirm.intro",
		ListTable: "tariffs-table", ListCaption: "catalogue.tariffs.caption", ListName: "catalogue.tariff.name", ListLink: "tariff-",
		ListEmpty: "catalogue.tariffs.empty", ListEmptyKeeper: "catalogue.tariffs.empty_keeper",
		NewTitleID: "tariff-new-title", NewTitle: "catalogue.tariffs.new", NewHint: "catalogue.tariffs.new_hint",
		CreateForm: "tariff-create-form", CreateButton: "tariff-create", Create: "catalogue.tariffs.create",
		TimelineHint: "catalogue.timeline.hint", DraftHint: "catalogue.draft.hint", PublishHint: "catalogue.publish.hint"}
	incomeWords = versionWords{base: "/income-catalogues", nav: "nav.income",
		notDraft: "catalogue.income.error.not_draft", draftCreated: "catalogue.income.notice.draft_created",
		draftSourceHint: "catalogue.income.draft_source_hint", validFromHint: "catalogue.income.valid_from_hint", confirmIntro: "catalogue.income.confirm_intro",
		ListTable: "income-catalogues-table", ListCaption: "catalogue.income.caption", ListName: "catalogue.income.name", ListLink: "income-",
		ListEmpty: "catalogue.income.empty", ListEmptyKeeper: "catalogue.income.empty_keeper",
		NewTitleID: "income-new-title", NewTitle: "catalogue.income.new",
		CreateForm: "income-create-form", CreateButton: "income-create", Create: "catalogue.income.create",
		TimelineHint: "catalogue.income.timeline_hint", DraftHint: "catalogue.draft.hint_income", PublishHint: "catalogue.publish.hint_income"}
)

// Base is the path of the kind's list.
func (w versionWords) Base() string { return w.base }

// versionFact is a line of a version's facts beside those every kind
// has.
type versionFact struct{ Label, Value string }

// versioned is a tariff or an income-limit catalogue as the forms of its
// versions see it: its id and name, the version of its stream, its
// versions and the words of its kind.
type versioned struct {
	id, name string
	version  int64
	versions []domain.VersionInfo
	words    versionWords
}

// path is the path of the tariff's or catalogue's page.
func (k versioned) path() string { return k.words.base + "/" + k.id }

// versionPath is the path of the page of its version n.
func (k versioned) versionPath(n int) string { return k.path() + "/versions/" + strconv.Itoa(n) }

// draftForm is the form of a new draft: what it starts from ("copy-N",
// "correct-N" or "empty") and its note.
type draftForm struct {
	Source          string `json:"source"`
	Note            string `json:"note"`
	ExpectedVersion string `json:"expected_version"`
}

// draftSources are the choices a new draft starts from: a copy of any
// version not withdrawn, a correction of a published version still in
// force for its valid-from, or nothing.
func draftSources(l *Lang, vs []domain.VersionInfo) []option {
	var out []option
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		if v.Status == domain.StatusWithdrawn {
			continue
		}
		label := l.T("catalogue.draft.copy_draft", "n", v.Number)
		if v.Status == domain.StatusPublished {
			label = l.T("catalogue.draft.copy", "n", v.Number, "from", l.Date(v.ValidFrom))
		}
		out = append(out, option{"copy-" + strconv.Itoa(v.Number), label})
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if v := vs[i]; currentFor(vs, v) {
			out = append(out, option{"correct-" + strconv.Itoa(v.Number), l.T("catalogue.draft.correct", "n", v.Number, "from", l.Date(v.ValidFrom))})
		}
	}
	return append(out, option{"empty", l.T("catalogue.draft.empty")})
}

// defaultSource is the choice a new draft starts from unless the person
// picks another: a copy of the version in effect today, else of the
// newest one not withdrawn.
func defaultSource(vs []domain.VersionInfo, today domain.Date) string {
	if n := inEffectOn(vs, today); n != 0 {
		return "copy-" + strconv.Itoa(n)
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Status != domain.StatusWithdrawn {
			return "copy-" + strconv.Itoa(vs[i].Number)
		}
	}
	return "empty"
}

// readDraftSource reads the choice of a new draft: based on, corrects.
func readDraftSource(l *Lang, f *formErrors, vs []domain.VersionInfo, source string) (basedOn, corrects int) {
	for _, o := range draftSources(l, vs) {
		if o.Value != source {
			continue
		}
		kind, n, _ := cutNumber(source)
		switch kind {
		case "copy":
			return n, 0
		case "correct":
			return 0, n
		}
		return 0, 0
	}
	f.add("draft-source", l.T("error.choice"))
	return 0, 0
}

// cutNumber splits "copy-3" into "copy" and 3.
func cutNumber(s string) (string, int, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			n, err := strconv.Atoi(s[i+1:])
			return s[:i], n, err == nil
		}
	}
	return s, 0, false
}

// catalogueRow is a tariff or an income-limit catalogue as its list shows
// it.
type catalogueRow struct {
	ID, Name string
	// InEffect is the version in effect today, valid from InEffectFrom.
	InEffect     int
	InEffectFrom domain.Date
	// Next is the first version that takes effect later (0: none).
	Next     int
	NextFrom domain.Date
	Versions int
	Drafts   int
}

// catalogueRowOf returns the list's row of a tariff or catalogue with
// versions vs.
func catalogueRowOf(id, name string, vs []domain.VersionInfo, today domain.Date) catalogueRow {
	r := catalogueRow{ID: id, Name: name, Versions: len(vs), InEffect: inEffectOn(vs, today)}
	if v, ok := versionOf(vs, r.InEffect); ok {
		r.InEffectFrom = v.ValidFrom
	}
	if next := nextValidFrom(vs, today); !next.IsZero() {
		r.NextFrom, r.Next = next, inEffectOn(vs, next)
	}
	for _, v := range vs {
		if v.Status == domain.StatusDraft {
			r.Drafts++
		}
	}
	return r
}

// infosOf returns the version infos of the versions vs.
func infosOf[V any](vs []V, info func(V) domain.VersionInfo) []domain.VersionInfo {
	out := make([]domain.VersionInfo, len(vs))
	for i, v := range vs {
		out[i] = info(v)
	}
	return out
}

// catalogueList is what the list of tariffs and that of income-limit
// catalogues share: the rows and, for those who may keep the catalogue,
// the messages of the new one's form (the form itself is the kind's).
type catalogueList struct {
	consoleBase
	Rows    []catalogueRow
	CanKeep bool
	E       *formErrors
	words   versionWords
}

// newCatalogueList returns the list of the kind of words, titled by the
// keys title and intro, with the messages of a refused new one in f.
func (s *Server) newCatalogueList(c *fiber.Ctx, words versionWords, title, intro string, rows []catalogueRow, f *formErrors) catalogueList {
	p := catalogueList{consoleBase: catalogueBase(title, intro, words.nav), Rows: rows, CanKeep: s.mayKeep(c), E: f, words: words}
	p.Wide, p.Problems = true, problems(s.pageLang(c), f, nil)
	return p
}

// Kind describes the list's kind to the shared templates.
func (p *catalogueList) Kind() versionWords { return p.words }

// versionsPage is what a tariff's page and an income-limit catalogue's
// share: the versions as a timeline and the form of a new draft.
type versionsPage struct {
	consoleBase
	Items    []timelineItem
	CanKeep  bool
	Draft    draftForm
	Sources  []option
	Expected int64
	E        *formErrors
	kind     versioned
}

// newVersionsPage returns the page of k, introduced by the key intro,
// with the new draft's input in and its messages in f.
func (s *Server) newVersionsPage(c *fiber.Ctx, k versioned, intro string, in draftForm, f *formErrors) versionsPage {
	l := s.pageLang(c)
	p := versionsPage{consoleBase: catalogueBase(k.name, intro, k.words.nav), Items: timeline(k.versions, k.path(), s.today()),
		CanKeep: s.mayKeep(c), Draft: in, Sources: draftSources(l, k.versions), Expected: k.version, E: f, kind: k}
	p.Wide, p.Problems = true, problems(l, f, nil)
	if id, _ := identityOf(c); s.may(id, fiber.MethodGet, k.words.base+"/:id/versions/:version/impact") {
		for i, it := range p.Items {
			if it.Published {
				p.Items[i].ImpactHref = it.Href + "/impact"
			}
		}
	}
	return p
}

// Kind describes the page's kind to the shared templates.
func (p *versionsPage) Kind() versionWords { return p.kind.words }

// Path is the path of the tariff's or catalogue's page.
func (p *versionsPage) Path() string { return p.kind.path() }

// DraftFields are the fields of the new draft's form.
func (p *versionsPage) DraftFields() []formField {
	return draftFields(p.L, p.E, p.Draft, p.Sources, p.kind.words)
}

// versionPage is what the page of a tariff version and that of an
// income-limit catalogue version share: the version's facts and, for a
// draft those who keep the catalogue may change, the publish and
// withdraw forms.
type versionPage struct {
	consoleBase
	Editable bool
	Expected int64
	Publish  publishForm
	// CorrectsFrom is the valid-from a correction keeps.
	CorrectsFrom domain.Date
	// E holds the messages of the version's forms.
	E    *formErrors
	kind versioned
	info domain.VersionInfo
	// ImpactHref is the page of what the version changes (a draft's
	// preview), "" when the user may not see it.
	ImpactHref string
}

// newVersionPage returns the page of version v of k, introduced by the
// key intro, with the messages f.
func (s *Server) newVersionPage(c *fiber.Ctx, k versioned, v domain.VersionInfo, intro string, f *formErrors) versionPage {
	l := s.pageLang(c)
	p := versionPage{consoleBase: catalogueBase(l.T("catalogue.version.title", "name", k.name, "n", v.Number), intro, k.words.nav),
		Editable: v.Status == domain.StatusDraft && s.mayKeep(c), Expected: k.version, Publish: publishForm{Reason: v.Note},
		E: f, kind: k, info: v}
	p.Wide = true
	if id, _ := identityOf(c); v.Status != domain.StatusWithdrawn && s.may(id, fiber.MethodGet, k.words.base+"/:id/versions/:version/impact") {
		p.ImpactHref = k.versionPath(v.Number) + "/impact"
	}
	if v.Corrects != 0 {
		if cv, ok := versionOf(k.versions, v.Corrects); ok {
			p.CorrectsFrom = cv.ValidFrom
			p.Publish.ValidFrom = cv.ValidFrom.String()
		}
	}
	return p
}

// Kind describes the version's kind to the shared templates.
func (p *versionPage) Kind() versionWords { return p.kind.words }

// Path is the path of the tariff's or catalogue's page.
func (p *versionPage) Path() string { return p.kind.path() }

// Name is the tariff's or catalogue's name.
func (p *versionPage) Name() string { return p.kind.name }

// Action is the path of the version's forms.
func (p *versionPage) Action() string { return p.kind.versionPath(p.info.Number) }

// Facts are the version's facts beside those every kind has: none unless
// the kind has its own.
func (p *versionPage) Facts() []versionFact { return nil }

// PublishFields are the fields of the publish form.
func (p *versionPage) PublishFields() []formField {
	return publishFields(p.L, p.E, p.Publish, !p.CorrectsFrom.IsZero(), p.kind.words)
}
