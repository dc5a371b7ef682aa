package domain

import (
	"math/big"
	"slices"
)

// ServiceLookup finds a catalogue service by id (nil when unknown).
type ServiceLookup func(id string) *Service

// Create records a new tariff. Zero ratios take the defaults.
func (t *Tariff) Create(name string, weeks, days Ratio) error {
	if err := ValidSlug("id", t.id); err != nil {
		return err
	}
	if t.Exists() {
		return &Error{Code: EConflict, Field: "id", Message: "tariff " + t.id + " already exists"}
	}
	if err := CheckText("name", name, maxName, true, false); err != nil {
		return err
	}
	if err := validMonth(weeks, days); err != nil {
		return err
	}
	record(t, &TariffCreated{TariffID: t.id, Name: name, WeeksPerMonth: orRatio(weeks, DefaultWeeksPerMonth),
		DaysPerMonth: orRatio(days, DefaultDaysPerMonth)})
	return nil
}

// validMonth checks month conversions (zero: not given): a month has 4 to 5
// weeks and 28 to 31 days, whatever a county counts.
func validMonth(weeks, days Ratio) error {
	if !weeks.IsZero() && (weeks.Rat().Cmp(big.NewRat(4, 1)) < 0 || weeks.Rat().Cmp(big.NewRat(5, 1)) > 0) {
		return Invalidf("weeks_per_month", "%s weeks a month: a month has 4 to 5 weeks (52/12 is the default)", weeks)
	}
	if !days.IsZero() && (days.Rat().Cmp(big.NewRat(28, 1)) < 0 || days.Rat().Cmp(big.NewRat(31, 1)) > 0) {
		return Invalidf("days_per_month", "%s days a month: a month has 28 to 31 days (365/12 is the default)", days)
	}
	return nil
}

func orRatio(r, def Ratio) Ratio {
	if r.IsZero() {
		return def
	}
	return r
}

func (t *Tariff) mustExist() error {
	if !t.Exists() {
		return &Error{Code: ENotFound, Message: "there is no tariff " + t.id}
	}
	return nil
}

// CreateDraft records a new draft version and returns its number. The draft
// copies the entries and settings of basedOn (0: an empty draft with the
// tariff's defaults). A correction (corrects > 0) copies the corrected version
// unless basedOn says otherwise, and publishes with its valid-from.
func (t *Tariff) CreateDraft(basedOn, corrects int, note string) (int, error) {
	if err := CheckText("note", note, maxNote, false, true); err != nil {
		return 0, err
	}
	if err := t.mustExist(); err != nil {
		return 0, err
	}
	if corrects != 0 {
		c := t.versions.get(corrects)
		if c == nil || c.Status != StatusPublished {
			return 0, Invalidf("corrects", "only a published version can be corrected; version %d is not one", corrects)
		}
		if basedOn == 0 {
			basedOn = corrects
		}
	}
	ev := &TariffDraftCreated{Version: t.versions.next(), BasedOn: basedOn, Corrects: corrects,
		WeeksPerMonth: t.weeks, DaysPerMonth: t.days, Note: note, Entries: []Entry{}}
	if basedOn != 0 {
		src, ok := t.Version(basedOn)
		if !ok || src.Status == StatusWithdrawn {
			return 0, Invalidf("based_on", "there is no version %d to copy", basedOn)
		}
		ev.WeeksPerMonth, ev.DaysPerMonth, ev.Entries = src.WeeksPerMonth, src.DaysPerMonth, src.Entries
	}
	record(t, ev)
	return ev.Version, nil
}

// SetEntry adds or replaces an entry of draft version n. svc is the catalogue
// service the entry prices (nil when unknown).
func (t *Tariff) SetEntry(n int, e Entry, svc *Service) error {
	if _, err := t.versions.draft("version", n); err != nil {
		return err
	}
	if err := e.Validate(svc); err != nil {
		return prefixField("entry", err)
	}
	record(t, &TariffDraftEntrySet{Version: n, Entry: e})
	return nil
}

// RemoveEntry removes the entry for (service, mode) from draft version n.
func (t *Tariff) RemoveEntry(n int, service string, mode Mode) error {
	if _, err := t.versions.draft("version", n); err != nil {
		return err
	}
	if _, ok := slicesFind(t.content[n].entries, EntryKey{service, mode}); !ok {
		return &Error{Code: ENotFound, Field: "service", Message: "version " + itoa(n) + " has no entry for " + service + " as " + string(mode)}
	}
	record(t, &TariffDraftEntryRemoved{Version: n, Service: service, Mode: mode})
	return nil
}

func slicesFind(entries []Entry, k EntryKey) (Entry, bool) {
	for _, e := range entries {
		if e.Key() == k {
			return e, true
		}
	}
	return Entry{}, false
}

// SetSettings changes the month conversions and note of draft version n;
// zero ratios and a nil note leave those as they are.
func (t *Tariff) SetSettings(n int, weeks, days Ratio, note *string) error {
	if note != nil {
		if err := CheckText("note", *note, maxNote, false, true); err != nil {
			return err
		}
	}
	d, err := t.versions.draft("version", n)
	if err != nil {
		return err
	}
	if err := validMonth(weeks, days); err != nil {
		return err
	}
	c := t.content[n]
	ev := &TariffDraftSettingsSet{Version: n, WeeksPerMonth: orRatio(weeks, c.weeks), DaysPerMonth: orRatio(days, c.days), Note: d.Note}
	if note != nil {
		ev.Note = *note
	}
	record(t, ev)
	return nil
}

// Publish publishes draft version n from validFrom (a correction keeps the
// valid-from of the version it corrects). The draft must be complete: at least
// one entry, each valid against the catalogue as it is now.
func (t *Tariff) Publish(n int, validFrom Date, services ServiceLookup) error {
	d, err := t.versions.draft("version", n)
	if err != nil {
		return err
	}
	c := t.content[n]
	if len(c.entries) == 0 {
		return Invalidf("entries", "version %d has no entries; a draft must be complete before it is published", n)
	}
	for i, e := range c.entries {
		if err := e.Validate(services(e.Service)); err != nil {
			return prefixField(fieldIndex("entries", i), err)
		}
	}
	from, err := t.versions.checkPublish(d, validFrom)
	if err != nil {
		return err
	}
	record(t, &TariffVersionPublished{Version: n, ValidFrom: from, Corrects: d.Corrects, WeeksPerMonth: c.weeks,
		DaysPerMonth: c.days, Entries: c.entries, Note: d.Note})
	return nil
}

// Withdraw drops draft version n.
func (t *Tariff) Withdraw(n int) error {
	if _, err := t.versions.draft("version", n); err != nil {
		return err
	}
	record(t, &TariffDraftWithdrawn{Version: n})
	return nil
}

func (t *Tariff) apply(e Event) {
	switch p := e.Payload.(type) {
	case *TariffCreated:
		t.name, t.weeks, t.days = p.Name, p.WeeksPerMonth, p.DaysPerMonth
	case *TariffDraftCreated:
		t.versions.add(VersionInfo{Number: p.Version, Status: StatusDraft, Corrects: p.Corrects, Note: p.Note})
		t.content[p.Version] = &tariffContent{weeks: p.WeeksPerMonth, days: p.DaysPerMonth, entries: sortEntries(p.Entries)}
	case *TariffDraftEntrySet:
		t.content[p.Version].set(p.Entry)
	case *TariffDraftEntryRemoved:
		t.content[p.Version].remove(EntryKey{p.Service, p.Mode})
	case *TariffDraftSettingsSet:
		c := t.content[p.Version]
		c.weeks, c.days = p.WeeksPerMonth, p.DaysPerMonth
		t.versions.get(p.Version).Note = p.Note
	case *TariffVersionPublished:
		t.content[p.Version] = &tariffContent{weeks: p.WeeksPerMonth, days: p.DaysPerMonth, entries: sortEntries(p.Entries)}
		t.versions.markPublished(p.Version, p.ValidFrom, e)
	case *TariffDraftWithdrawn:
		t.versions.get(p.Version).Status = StatusWithdrawn
	}
}

// ImportDraft records a new draft version with the settings and entries of a
// catalogue-file version, each entry checked against the catalogue; it
// returns the version number.
func (t *Tariff) ImportDraft(v TariffVersionFile, services ServiceLookup) (int, error) {
	if err := t.mustExist(); err != nil {
		return 0, err
	}
	if err := validMonth(v.WeeksPerMonth, v.DaysPerMonth); err != nil {
		return 0, err
	}
	if err := CheckText("note", v.Note, maxNote, false, true); err != nil {
		return 0, err
	}
	weeks, days := t.weeks, t.days
	if v.Corrects != 0 {
		if c := t.versions.get(v.Corrects); c == nil || c.Status != StatusPublished {
			return 0, Invalidf("corrects", "only a published version can be corrected; version %d is not one", v.Corrects)
		}
		// A correction keeps the month settings of the version it corrects
		// unless it states its own.
		src, _ := t.Version(v.Corrects)
		weeks, days = src.WeeksPerMonth, src.DaysPerMonth
	}
	for i, e := range v.Entries {
		if err := e.Validate(services(e.Service)); err != nil {
			return 0, prefixField(fieldIndex("entries", i), err)
		}
		if slices.IndexFunc(v.Entries[:i], func(o Entry) bool { return o.Key() == e.Key() }) >= 0 {
			return 0, Invalidf(fieldIndex("entries", i), "a second entry for %s as %s", e.Service, e.Mode)
		}
	}
	ev := &TariffDraftCreated{Version: t.versions.next(), Corrects: v.Corrects, WeeksPerMonth: orRatio(v.WeeksPerMonth, weeks),
		DaysPerMonth: orRatio(v.DaysPerMonth, days), Entries: sortEntries(v.Entries), Note: v.Note}
	record(t, ev)
	return ev.Version, nil
}
