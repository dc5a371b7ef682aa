package domain

import (
	"context"
	"slices"
	"strings"
)

// Event types of a tariff's sample cases.
const (
	EvSampleSaved   = "carecost.sample.saved"
	EvSampleRemoved = "carecost.sample.removed"
)

// MaxSamples bounds the sample cases of one tariff.
const MaxSamples = 50

// SampleCase is what a sample keeps of a case: the assessment, the
// household and the lines. It names no client; its household figures are
// still kept as personal data, as they may be a real client's.
type SampleCase struct {
	Maple     int       `json:"maple,omitempty"`
	Household Household `json:"household"`
	// IncomeCatalogueID is the income-limit catalogue the sample is priced
	// with ("": the only one published, or none).
	IncomeCatalogueID string `json:"income_catalogue,omitempty"`
	Lines             []Line `json:"lines"`
}

// Sample is a case kept with a tariff to try its versions on: a draft is
// priced on every sample beside the version in effect before it is
// published.
type Sample struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Case SampleCase `json:"case"`
}

// SampleSaved records a sample case of a tariff (new or replaced). The case
// is in the payload's personal part.
type SampleSaved struct {
	Schema
	SampleID string         `json:"sample_id"`
	Name     string         `json:"name"`
	Personal samplePersonal `json:"personal"`
}

type samplePersonal struct {
	Case SampleCase `json:"case"`
}

// SampleRemoved records that a sample case was removed.
type SampleRemoved struct {
	Schema
	SampleID string `json:"sample_id"`
}

// EventType implements Payload.
func (*SampleSaved) EventType() string { return EvSampleSaved }

// EventType implements Payload.
func (*SampleRemoved) EventType() string { return EvSampleRemoved }

func init() {
	register(1, func() Payload { return &SampleSaved{} })
	register(1, func() Payload { return &SampleRemoved{} })
}

// SampleStream returns the stream of tariff id's sample cases.
func SampleStream(tariffID string) string { return "samples-" + tariffID }

// SampleSet is the aggregate of one tariff's sample cases (stream
// "samples-<tariff id>").
type SampleSet struct {
	root
	tariffID string
	samples  []Sample // in the order first saved
}

// NewSampleSet returns the empty sample set of tariff id, to load.
func NewSampleSet(tariffID string) *SampleSet {
	return &SampleSet{root: newRoot(), tariffID: strings.Clone(tariffID)}
}

// Stream implements aggregate.
func (s *SampleSet) Stream() string { return SampleStream(s.tariffID) }

// Samples returns the samples in the order they were first saved.
func (s *SampleSet) Samples() []Sample { return slices.Clone(s.samples) }

func (s *SampleSet) apply(e Event) {
	switch p := e.Payload.(type) {
	case *SampleSaved:
		sm := Sample{ID: p.SampleID, Name: p.Name, Case: p.Personal.Case}
		if i := slices.IndexFunc(s.samples, func(x Sample) bool { return x.ID == p.SampleID }); i >= 0 {
			s.samples[i] = sm
		} else {
			s.samples = append(s.samples, sm)
		}
	case *SampleRemoved:
		s.samples = slices.DeleteFunc(s.samples, func(x Sample) bool { return x.ID == p.SampleID })
	}
}

// save records sample sm.
func (s *SampleSet) save(sm Sample) error {
	if err := ValidSlug("sample", sm.ID); err != nil {
		return err
	}
	if err := CheckText("name", sm.Name, 100, true, false); err != nil {
		return err
	}
	if i := slices.IndexFunc(s.samples, func(x Sample) bool { return x.ID == sm.ID }); i >= 0 && sameJSON(s.samples[i], sm) {
		return nil // kept as it is: nothing to record
	}
	if !slices.ContainsFunc(s.samples, func(x Sample) bool { return x.ID == sm.ID }) && len(s.samples) >= MaxSamples {
		return Invalidf("sample", "tariff %s keeps at most %d sample cases; remove one first", s.tariffID, MaxSamples)
	}
	record(s, &SampleSaved{SampleID: sm.ID, Name: sm.Name, Personal: samplePersonal{Case: sm.Case}})
	return nil
}

// remove records that sample id is removed.
func (s *SampleSet) remove(id string) error {
	if !slices.ContainsFunc(s.samples, func(x Sample) bool { return x.ID == id }) {
		return &Error{Code: ENotFound, Message: "tariff " + s.tariffID + " has no sample case " + id}
	}
	record(s, &SampleRemoved{SampleID: id})
	return nil
}

// SaveSample keeps a case as sample sm of tariff id, or replaces the one of
// that id. The case must price against the tariff's version in effect
// today (or, before the tariff's first version takes effect, that one), so
// a sample that cannot be priced is refused with the field at fault.
func (c *Commands) SaveSample(ctx context.Context, cmd Command, tariffID string, sm Sample, today Date) (Result, error) {
	t, err := c.Tariff(ctx, tariffID, Position{})
	if err != nil {
		return Result{}, err
	}
	date, ok := sampleDate(t, today)
	if !ok {
		return Result{}, Invalidf("sample", "tariff %s has no published version yet to price a sample case with", tariffID)
	}
	if len(sm.Case.Lines) == 0 {
		return Result{}, Invalidf("case.lines", "a sample case needs at least one line")
	}
	if sm.Case.Maple < 0 || sm.Case.Maple > 5 {
		return Result{}, Invalidf("case.maple", "MAPLe is 1 to 5 (or left out), got %d", sm.Case.Maple)
	}
	sm.Case.Lines = numberLines(sm.Case.Lines)
	if _, err := c.Quote(ctx, sm.Case.caseInput(tariffID, date)); err != nil {
		return Result{}, prefixField("case", err)
	}
	_, r, err := update(ctx, c.store, cmd, func() *SampleSet { return NewSampleSet(tariffID) }, func(s *SampleSet) error { return s.save(sm) })
	return r, err
}

// RemoveSample removes sample id of a tariff.
func (c *Commands) RemoveSample(ctx context.Context, cmd Command, tariffID, id string) (Result, error) {
	_, r, err := update(ctx, c.store, cmd, func() *SampleSet { return NewSampleSet(tariffID) }, func(s *SampleSet) error { return s.remove(id) })
	return r, err
}

// Samples returns the sample cases of a tariff.
func (c *Commands) Samples(ctx context.Context, tariffID string) (*SampleSet, error) {
	s := NewSampleSet(tariffID)
	return s, Load(ctx, c.store, s, Position{})
}

// caseInput is the sample as a case priced with tariff id on date.
func (sc SampleCase) caseInput(tariffID string, date Date) CaseInput {
	return CaseInput{Maple: sc.Maple, Household: sc.Household, Lines: sc.Lines,
		Basis: Basis{TariffID: tariffID, IncomeCatalogueID: sc.IncomeCatalogueID, PricingDate: date}}
}

// sampleDate is the date a sample is checked on: today, or the valid-from
// of the first published version when none is in effect yet.
func sampleDate(t *Tariff, today Date) (Date, bool) {
	if _, ok := t.VersionAt(today); ok {
		return today, true
	}
	for _, v := range t.Published() {
		if v.ValidFrom.After(today) {
			return v.ValidFrom, true
		}
	}
	return today, false
}
