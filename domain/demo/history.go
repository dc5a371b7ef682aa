package demo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"carecost/domain"
	"carecost/domain/memstore"
)

// The demo's history: eighteen months of a county's work with the demo
// catalogue, ending now. The tariff and income-limit versions of the
// catalogue file are published over time (each some weeks before it takes
// effect; a correction some weeks after the version it corrects took
// effect), two more corrections are published on the way (one of a price
// decisions used, one of a price none used), and case managers of two
// teams open estimates throughout, present, decide, revise and cancel
// them. Every command runs through domain.Commands on a simulated clock,
// against an in-memory store that records each event at that clock's
// time; the log it leaves is imported into the real store with those
// times (domain.Importer). The history is seeded: the same present and the
// same log before it give the same events (but for the ids of the events
// carecost writes of its own accord: the superseded event of a decided
// revision's original).

// Months is how far back the demo's history begins.
const Months = 18

// EstimateCount is how many estimates the history opens (revisions aside).
const EstimateCount = 60

// TariffID is the demo catalogue's tariff.
const TariffID = "phhva"

// The actors of the history: an admin keeps the catalogue, four case
// managers of two teams keep the estimates.
var (
	Admin        = domain.Actor{ID: "demo-admin", Name: "Demo admin", Role: "admin", Roles: []string{"admin"}}
	CaseManagers = []domain.Actor{
		caseManager("demo-cm-aino", "Aino Demo", "demo-team"),
		caseManager("demo-cm-eero", "Eero Demo", "demo-team"),
		caseManager("demo-cm-liisa", "Liisa Demo", "demo-team-north"),
		caseManager("demo-cm-matti", "Matti Demo", "demo-team-north"),
	}
)

func caseManager(id, name, team string) domain.Actor {
	return domain.Actor{ID: id, Name: name, Role: "case_manager", Roles: []string{"case_manager"}, Team: team}
}

// History is the demo's log, to import after the events it was built on.
type History struct {
	// Events are the demo's events in log order, each with its stream's
	// expected version and the simulated time it was recorded at.
	Events []domain.ImportEvent
	// Head is the log's position once Events follow the events it was
	// built on (positions 1, 2, 3, ...).
	Head domain.Position
	// Log is the whole log the history was built in: the events it was
	// built on, then Events, at positions 1, 2, 3, ... (which the
	// pricings' catalogue positions name). A copy into a store that
	// numbers its positions otherwise carries those over (see carecost
	// migrate).
	Log domain.EventStore
	// Start and End bound the recorded times of Events.
	Start, End time.Time
	// Estimates and Decisions count the estimates opened (revisions
	// included) and the decisions recorded.
	Estimates, Decisions int
	// Corrections are the tariff corrections published in the history.
	Corrections []Correction
	// Draft is the tariff's draft left unpublished at the end: a
	// correction of the meals' fee, to try on the decisions and the
	// sample cases (docs/impact.md).
	Draft int
}

// Correction is a tariff correction of the history.
type Correction struct {
	Version, Corrects int
	// Service is the service whose price it changes.
	Service     string
	PublishedAt time.Time
}

// Build builds the demo's history ending at now, after the events of
// before (a log the target store holds already, such as users added before
// the demo: the history's positions follow them, and its times never go
// before theirs; a history that would, is squeezed into the time between
// the last of them and now).
func Build(ctx context.Context, now time.Time, before []domain.RecordedEvent) (*History, error) {
	b := &builder{r: rand.New(rand.NewPCG(2026, 9)), numbers: map[int]int{}}
	b.idealStart = at(domain.DateOf(now.In(domain.Helsinki).AddDate(0, -Months, 0)), 8, 0)
	b.end = now
	start := b.idealStart
	if n := len(before); n > 0 && before[n-1].RecordedAt.After(start) {
		start = before[n-1].RecordedAt
	}
	if !start.Before(now) {
		return nil, fmt.Errorf("demo: the log's last event is recorded at %s, not before now", start.Format(time.RFC3339))
	}
	b.realStart = start
	var err error
	if b.mem, err = memstore.FromLog(before, memstore.WithClock(b.now)); err != nil {
		return nil, err
	}
	b.cmds = domain.NewCommands(b.mem)
	b.cmds.Clock = b.now
	if err := b.schedule(); err != nil {
		return nil, err
	}
	if err := b.run(ctx); err != nil {
		return nil, err
	}
	return b.history(ctx, len(before))
}

// builder runs the history's steps on the simulated clock.
type builder struct {
	r          *rand.Rand
	mem        *memstore.Store
	cmds       *domain.Commands
	idealStart time.Time // now, Months ago: where the schedule begins
	realStart  time.Time // where the recorded times begin
	end        time.Time // now
	clock      time.Time // the simulated time of the step running
	steps      []step
	seq        int
	numbers    map[int]int // year -> decision numbers given
	decided    []decided   // estimates decided so far, in order
	estimates  int
	decisions  int
	fixes      []Correction
	fixDate    domain.Date // the pricing date the first correction was chosen by
	draft      int         // the draft left unpublished
	fileNums   map[int]int // catalogue-file tariff version -> its number in the log
}

// step is one command (or a few) at a time of the schedule. A catalogue
// step late for the end is moved back to it; an estimate step after the
// end is left out, and so are the later steps of its estimate.
type step struct {
	at    time.Time
	seq   int
	must  bool
	label string
	do    func(context.Context) error
}

// decided is an estimate decided in the history.
type decided struct {
	id      string
	pricing domain.Date
	lines   []domain.Line
}

func (b *builder) now() time.Time { return b.clock }

func (b *builder) add(at time.Time, must bool, label string, do func(context.Context) error) {
	b.seq++
	b.steps = append(b.steps, step{at: at, seq: b.seq, must: must, label: label, do: do})
}

// command returns a command of actor with an id of its own: the same
// history gives the same event ids.
func (b *builder) command(actor domain.Actor) domain.Command {
	b.seq++
	return domain.Command{ID: domain.DeriveID(fmt.Sprintf("demo/command/%d", b.seq)), Actor: actor}
}

// run runs the steps in time order, each with the clock at its time mapped
// onto the recorded span.
func (b *builder) run(ctx context.Context) error {
	for i := range b.steps {
		if s := &b.steps[i]; s.must && s.at.After(b.end) {
			s.at = b.end
		}
	}
	slices.SortStableFunc(b.steps, func(x, y step) int {
		return cmp.Or(x.at.Compare(y.at), cmp.Compare(x.seq, y.seq))
	})
	for _, s := range b.steps {
		if s.at.After(b.end) {
			continue
		}
		b.clock = b.mapped(s.at)
		if err := s.do(ctx); err != nil {
			return fmt.Errorf("demo: %s at %s: %w", s.label, b.clock.In(domain.Helsinki).Format("2006-01-02 15:04"), err)
		}
	}
	return nil
}

// mapped maps a time of the schedule onto the span the recorded times may
// use: the same time when the log before leaves the whole span free, else
// the same fraction of the shorter span.
func (b *builder) mapped(t time.Time) time.Time {
	if b.realStart.Equal(b.idealStart) {
		return t
	}
	ideal, real := b.end.Sub(b.idealStart), b.end.Sub(b.realStart)
	frac := float64(t.Sub(b.idealStart)) / float64(ideal)
	return b.realStart.Add(time.Duration(frac * float64(real)))
}

// today is the Helsinki date of the simulated clock.
func (b *builder) today() domain.Date { return domain.DateOf(b.clock) }

// history reads the log the steps left, after the events before.
func (b *builder) history(ctx context.Context, before int) (*History, error) {
	all, err := b.mem.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil {
		return nil, err
	}
	h := &History{Estimates: b.estimates, Decisions: b.decisions, Corrections: b.fixes, Draft: b.draft, Log: b.mem}
	if len(all) > 0 {
		h.Head = all[len(all)-1].Position
	}
	for _, e := range all[before:] {
		exp := domain.NoStream
		if e.Version > 0 {
			exp = domain.ExactVersion(e.Version - 1)
		}
		h.Events = append(h.Events, domain.ImportEvent{Stream: e.Stream, Expected: exp, RecordedAt: e.RecordedAt,
			EventData: domain.EventData{ID: e.ID, Type: e.Type, Data: e.Data, Metadata: e.Metadata}})
	}
	if len(h.Events) > 0 {
		h.Start, h.End = h.Events[0].RecordedAt, h.Events[len(h.Events)-1].RecordedAt
	}
	return h, nil
}

// at returns the time of day h:m on date d in Helsinki.
func at(d domain.Date, h, m int) time.Time {
	y, mo, dd := d.Time().In(domain.Helsinki).Date()
	return time.Date(y, mo, dd, h, m, 0, 0, domain.Helsinki)
}

// workday returns d, or the Monday after when d falls on a weekend.
func workday(d domain.Date) domain.Date {
	for {
		switch d.Time().In(domain.Helsinki).Weekday() {
		case time.Saturday, time.Sunday:
			d = d.AddDays(1)
		default:
			return d
		}
	}
}

// officeTime returns a time of office hours on the workday of d.
func (b *builder) officeTime(d domain.Date) time.Time {
	return at(workday(d), 8+b.r.IntN(8), b.r.IntN(60)).Add(time.Duration(b.r.IntN(60)) * time.Second)
}

func (b *builder) schedule() error {
	if err := b.scheduleCatalogue(); err != nil {
		return err
	}
	first := domain.DateOf(b.idealStart)
	span := int(b.end.Sub(b.idealStart).Hours() / 24)
	for k := range EstimateCount {
		day := first.AddDays(10 + k*(span-20)/EstimateCount + b.r.IntN(6))
		b.scheduleEstimate(k, b.officeTime(day))
	}
	// The corrections of the history's own: one of a price decisions
	// used (errands' client fee), one of a price none used (the service
	// need assessment's unit cost).
	fix := workday(first.AddDays(span * 52 / 100))
	b.add(at(fix, 10, 15), true, "a correction of errands", b.correctErrands)
	b.scheduleStraddle(fix)
	b.add(at(workday(first.AddDays(span*75/100)), 11, 5), true, "a correction of the service need assessment", b.correctAssessment)
	// The admin keeps sample cases to try drafts on, and at the end leaves
	// a draft correction of the meals' fee unpublished, to be tried.
	b.add(at(workday(first.AddDays(3)), 9, 30), true, "the sample cases", b.saveSamples)
	b.add(at(workday(first.AddDays(span*97/100)), 14, 20), true, "a draft of the meals' fee", b.draftMeals)
	return nil
}

// Samples are the sample cases the demo's admin keeps with the tariff.
var Samples = []domain.Sample{
	{ID: "single-home-care", Name: "Yksin asuva, 10 h kotihoitoa kuukaudessa, bruttotulot 1 400 €",
		Case: domain.SampleCase{Maple: 3, Household: domain.Household{Size: 1, GrossIncome: new(domain.Money(140000)), NetIncome: new(domain.Money(120000))},
			IncomeCatalogueID: "statutory", Lines: []domain.Line{
				{Service: "regular-home-care", Mode: "own", Quantity: 10000, Frequency: "month"},
				{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"}}}},
	{ID: "couple-support-services", Name: "Pariskunta, tukipalveluja, bruttotulot 2 600 €",
		Case: domain.SampleCase{Maple: 2, Household: domain.Household{Size: 2, GrossIncome: new(domain.Money(260000)), NetIncome: new(domain.Money(215000))},
			IncomeCatalogueID: "statutory", Lines: []domain.Line{
				{Service: "meal-service", Mode: "own", Quantity: 7000, Frequency: "week"},
				{Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"},
				{Service: "safety-phone", Mode: "own", Quantity: 1000, Frequency: "month"}}}},
	{ID: "voucher-cleaning", Name: "Siivous palvelusetelillä kahdesti kuukaudessa",
		Case: domain.SampleCase{Maple: 2, Household: domain.Household{Size: 1, GrossIncome: new(domain.Money(180000))},
			Lines: []domain.Line{{Service: "cleaning", Mode: "voucher", Quantity: 2000, Frequency: "month", ProviderPrice: new(domain.Money(3900))}}}},
}

// saveSamples keeps the demo's sample cases with the tariff.
func (b *builder) saveSamples(ctx context.Context) error {
	for _, sm := range Samples {
		if _, err := b.cmds.SaveSample(ctx, b.command(Admin), TariffID, sm, b.today()); err != nil {
			return fmt.Errorf("sample %s: %w", sm.ID, err)
		}
	}
	return nil
}

// draftMeals leaves a draft correction of the version in effect today that
// raises the meals' client fee by 0.50, not published.
func (b *builder) draftMeals(ctx context.Context) error {
	t, err := b.cmds.Tariff(ctx, TariffID, domain.Position{})
	if err != nil {
		return err
	}
	v, ok := t.VersionAt(b.today())
	if !ok {
		return fmt.Errorf("no tariff version in effect on %s", b.today())
	}
	n, _, err := b.cmds.CreateTariffDraft(ctx, b.command(Admin), TariffID, 0, v.Number, "Luonnos: ateriapalvelun asiakasmaksu 0,50 € korkeammaksi")
	if err != nil {
		return err
	}
	for _, e := range v.Entries {
		if e.Service == "meal-service" && e.Fee != nil {
			fee := *e.Fee + 50
			e.Fee = &fee
			if _, err := b.cmds.SetTariffEntry(ctx, b.command(Admin), TariffID, n, e); err != nil {
				return err
			}
		}
	}
	b.draft = n
	return nil
}

// scheduleCatalogue imports the catalogue as it stood when the history
// begins and schedules the publication of the versions that came later.
func (b *builder) scheduleCatalogue() error {
	f, err := domain.ParseCatalogueFile(catalogue)
	if err != nil {
		return err
	}
	begin := b.idealStart
	first := f
	first.Tariffs, first.IncomeCatalogues = nil, nil
	var later []func()
	b.fileNums = map[int]int{}
	for _, t := range f.Tariffs {
		n := prefix(len(t.Versions), func(i int) time.Time { return publishAt(t.Versions[i].ValidFrom, t.Versions[i].Corrects != 0) }, begin)
		t0 := t
		t0.Versions = t.Versions[:n]
		first.Tariffs = append(first.Tariffs, t0)
		for i := range n {
			b.fileNums[i+1] = i + 1
		}
		for i := n; i < len(t.Versions); i++ {
			later = append(later, func() { b.scheduleTariffVersion(t.ID, i+1, t.Versions[i]) })
		}
	}
	for _, c := range f.IncomeCatalogues {
		n := prefix(len(c.Versions), func(i int) time.Time { return publishAt(c.Versions[i].ValidFrom, c.Versions[i].Corrects != 0) }, begin)
		c0 := c
		c0.Versions = c.Versions[:n]
		first.IncomeCatalogues = append(first.IncomeCatalogues, c0)
		for i := n; i < len(c.Versions); i++ {
			later = append(later, func() { b.scheduleIncomeVersion(c.ID, c.Versions[i]) })
		}
	}
	set, err := domain.BuildCatalogue(first)
	if err != nil {
		return err
	}
	b.add(b.idealStart, true, "the catalogue", func(ctx context.Context) error {
		_, err := b.cmds.ImportCatalogue(ctx, b.command(Admin), set)
		return err
	})
	for _, l := range later {
		l()
	}
	return nil
}

// prefix returns how many of n versions were published by begin.
func prefix(n int, published func(int) time.Time, begin time.Time) int {
	for i := range n {
		if published(i).After(begin) {
			return i
		}
	}
	return n
}

// publishAt is when the history publishes a version valid from from: six
// weeks and a half before, or, for a correction, five weeks and a half
// after (the error found in use).
func publishAt(from domain.Date, correction bool) time.Time {
	if correction {
		return at(workday(from.AddDays(38)), 13, 30)
	}
	return at(workday(from.AddDays(-45)), 10, 0)
}

// scheduleTariffVersion schedules a draft made of catalogue-file version
// number fileNum, and its publication two days later.
func (b *builder) scheduleTariffVersion(id string, fileNum int, v domain.TariffVersionFile) {
	pub := publishAt(v.ValidFrom, v.Corrects != 0)
	var n int
	b.add(at(workday(domain.DateOf(pub).AddDays(-2)), 9, 20), true, "a draft of tariff version "+v.Note, func(ctx context.Context) error {
		corrects := b.fileNums[v.Corrects]
		basedOn := 0
		if corrects == 0 {
			t, err := b.cmds.Tariff(ctx, id, domain.Position{})
			if err != nil {
				return err
			}
			pub := t.Published()
			basedOn = pub[len(pub)-1].Number
		}
		var err error
		if n, _, err = b.cmds.CreateTariffDraft(ctx, b.command(Admin), id, basedOn, corrects, v.Note); err != nil {
			return err
		}
		b.fileNums[fileNum] = n
		return b.syncDraft(ctx, id, n, v)
	})
	b.add(pub, true, "tariff version "+v.Note, func(ctx context.Context) error {
		from := v.ValidFrom
		if v.Corrects != 0 {
			from = domain.Date{}
		}
		_, err := b.cmds.PublishTariff(ctx, b.command(Admin), id, n, from)
		return err
	})
}

// syncDraft makes draft n of tariff id hold the settings and entries of v.
func (b *builder) syncDraft(ctx context.Context, id string, n int, v domain.TariffVersionFile) error {
	t, err := b.cmds.Tariff(ctx, id, domain.Position{})
	if err != nil {
		return err
	}
	d, _ := t.Version(n)
	if (v.WeeksPerMonth != domain.Ratio{} && v.WeeksPerMonth != d.WeeksPerMonth) || (v.DaysPerMonth != domain.Ratio{} && v.DaysPerMonth != d.DaysPerMonth) {
		if _, err := b.cmds.SetTariffSettings(ctx, b.command(Admin), id, n, v.WeeksPerMonth, v.DaysPerMonth, nil); err != nil {
			return err
		}
	}
	for _, e := range v.Entries {
		if had, ok := d.Entry(e.Service, e.Mode); ok && sameEntry(had, e) {
			continue
		}
		if _, err := b.cmds.SetTariffEntry(ctx, b.command(Admin), id, n, e); err != nil {
			return err
		}
	}
	for _, e := range d.Entries {
		if !slices.ContainsFunc(v.Entries, func(f domain.Entry) bool { return f.Key() == e.Key() }) {
			if _, err := b.cmds.RemoveTariffEntry(ctx, b.command(Admin), id, n, e.Service, e.Mode); err != nil {
				return err
			}
		}
	}
	return nil
}

func sameEntry(a, b domain.Entry) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// scheduleIncomeVersion schedules the publication of an income-limit
// version of the catalogue file.
func (b *builder) scheduleIncomeVersion(id string, v domain.IncomeVersionFile) {
	b.add(publishAt(v.ValidFrom, v.Corrects != 0), true, "income-limit version "+v.Note, func(ctx context.Context) error {
		c, err := b.cmds.IncomeCatalogue(ctx, id, domain.Position{})
		if err != nil {
			return err
		}
		pub := c.Published()
		basedOn, corrects := pub[len(pub)-1].Number, 0
		if v.Corrects != 0 {
			basedOn, corrects = 0, v.Corrects
		}
		table := v.Table
		n, _, err := b.cmds.CreateIncomeDraft(ctx, b.command(Admin), id, basedOn, corrects, &table, v.Note)
		if err != nil {
			return err
		}
		from := v.ValidFrom
		if corrects != 0 {
			from = domain.Date{}
		}
		_, err = b.cmds.PublishIncome(ctx, b.command(Admin), id, n, from)
		return err
	})
}

// correctErrands publishes a retroactive correction of the client fee of
// errands in the version the first decision with errands was priced with
// (or the version in effect today, when no decision has errands yet).
func (b *builder) correctErrands(ctx context.Context) error {
	b.fixDate = b.today()
	for _, d := range b.decided {
		if slices.ContainsFunc(d.lines, func(l domain.Line) bool { return l.Service == "errands" }) {
			b.fixDate = d.pricing
			break
		}
	}
	return b.correct(ctx, "errands", "Korjaus: asiointipalvelun asiakasmaksu kirjattu väärin", func(e *domain.Entry) {
		if e.Fee != nil {
			fee := *e.Fee - 50
			e.Fee = &fee
		}
	})
}

// correctAssessment publishes a correction of the unit cost of the service
// need assessment, which no line of the history uses, in the version the
// first correction corrected (as it stands now).
func (b *builder) correctAssessment(ctx context.Context) error {
	if b.fixDate.IsZero() {
		b.fixDate = b.today()
	}
	return b.correct(ctx, "service-need-assessment", "Korjaus: palvelutarpeen arvioinnin yksikkökustannus", func(e *domain.Entry) {
		e.UnitCost += 500
	})
}

// correct publishes a correction of the tariff version in effect on
// b.fixDate, changing every entry of service by change.
func (b *builder) correct(ctx context.Context, service, note string, change func(*domain.Entry)) error {
	t, err := b.cmds.Tariff(ctx, TariffID, domain.Position{})
	if err != nil {
		return err
	}
	v, ok := t.VersionAt(b.fixDate)
	if !ok {
		return fmt.Errorf("no tariff version in effect on %s", b.fixDate)
	}
	n, _, err := b.cmds.CreateTariffDraft(ctx, b.command(Admin), TariffID, 0, v.Number, note)
	if err != nil {
		return err
	}
	for _, e := range v.Entries {
		if e.Service != service {
			continue
		}
		change(&e)
		if _, err := b.cmds.SetTariffEntry(ctx, b.command(Admin), TariffID, n, e); err != nil {
			return err
		}
	}
	if _, err := b.cmds.PublishTariff(ctx, b.command(Admin), TariffID, n, domain.Date{}); err != nil {
		return err
	}
	b.fixes = append(b.fixes, Correction{Version: n, Corrects: v.Number, Service: service, PublishedAt: b.clock})
	return nil
}
