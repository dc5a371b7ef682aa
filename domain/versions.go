package domain

import (
	"slices"
	"time"
)

// VersionStatus is where a catalogue version is in its life.
type VersionStatus string

// Version statuses.
const (
	StatusDraft     VersionStatus = "draft"
	StatusPublished VersionStatus = "published"
	StatusWithdrawn VersionStatus = "withdrawn"
)

// VersionInfo describes one version of a tariff or an income-limit catalogue:
// its number, status, valid-from (valid time), the version it corrects, and
// when and by whom it was published (recorded time).
type VersionInfo struct {
	Number      int           `json:"version"`
	Status      VersionStatus `json:"status"`
	ValidFrom   Date          `json:"valid_from,omitzero"`
	Corrects    int           `json:"corrects,omitempty"`
	Note        string        `json:"note,omitempty"`
	PublishedAt time.Time     `json:"published_at,omitzero"`
	PublishedBy string        `json:"published_by,omitempty"`
	Position    Position      `json:"published_position,omitzero"`
	seq         int           // order of publication
}

// versions is the version bookkeeping shared by tariffs and income-limit
// catalogues: numbering, drafts, publication and the valid-time lookup.
type versions struct {
	list      []*VersionInfo // by number - 1
	published int            // count of publications, for ordering
}

func (vs *versions) next() int { return len(vs.list) + 1 }

func (vs *versions) get(n int) *VersionInfo {
	if n < 1 || n > len(vs.list) {
		return nil
	}
	return vs.list[n-1]
}

// add records a new draft version.
func (vs *versions) add(v VersionInfo) { vs.list = append(vs.list, &v) }

// draft returns version n if it is a draft, else an error naming field.
func (vs *versions) draft(field string, n int) (*VersionInfo, error) {
	v := vs.get(n)
	if v == nil {
		return nil, &Error{Code: ENotFound, Field: field, Message: "there is no version " + itoa(n)}
	}
	if v.Status != StatusDraft {
		return nil, &Error{Code: EConflict, Field: field, Message: "version " + itoa(n) + " is " + string(v.Status) + ", not a draft; create a new draft to change it"}
	}
	return v, nil
}

// markPublished records the publication of version n.
func (vs *versions) markPublished(n int, validFrom Date, e Event) {
	v := vs.get(n)
	vs.published++
	v.Status, v.ValidFrom, v.seq = StatusPublished, validFrom, vs.published
	v.PublishedAt, v.PublishedBy, v.Position = e.RecordedAt, e.Meta.ActorID, e.Position
}

// checkPublish returns the valid-from a draft publishes with, or an error:
// a correction takes the valid-from of the version it corrects, and must
// correct the version now in effect from that date; any other version must
// not share its valid-from with a published one.
func (vs *versions) checkPublish(d *VersionInfo, validFrom Date) (Date, error) {
	if d.Corrects == 0 {
		if validFrom.IsZero() {
			return Date{}, Invalidf("valid_from", "a valid-from date is required to publish")
		}
		if same := vs.effectiveFrom(validFrom); same != nil {
			return Date{}, &Error{Code: EConflict, Field: "valid_from", Message: "version " + itoa(same.Number) +
				" is already published from " + validFrom.String() + "; publish a correction of it instead"}
		}
		return validFrom, nil
	}
	c := vs.get(d.Corrects)
	if !validFrom.IsZero() && validFrom != c.ValidFrom {
		return Date{}, Invalidf("valid_from", "a correction keeps the valid-from of version %d (%s)", c.Number, c.ValidFrom)
	}
	if cur := vs.effectiveFrom(c.ValidFrom); cur != c {
		return Date{}, &Error{Code: EConflict, Field: "corrects", Message: "version " + itoa(c.Number) +
			" was already corrected by version " + itoa(cur.Number) + "; correct that one"}
	}
	return c.ValidFrom, nil
}

// effectiveFrom returns the published version with exactly this valid-from
// that is in force (the latest published), or nil.
func (vs *versions) effectiveFrom(d Date) *VersionInfo {
	var best *VersionInfo
	for _, v := range vs.list {
		if v.Status == StatusPublished && v.ValidFrom == d && (best == nil || v.seq > best.seq) {
			best = v
		}
	}
	return best
}

// at returns the version in effect on date d: the published version with the
// latest valid-from on or before d, and among equal valid-froms the one
// published last (a correction). Nil when none.
func (vs *versions) at(d Date) *VersionInfo {
	var best *VersionInfo
	for _, v := range vs.list {
		if v.Status != StatusPublished || v.ValidFrom.After(d) {
			continue
		}
		if best == nil || best.ValidFrom.Before(v.ValidFrom) || (best.ValidFrom == v.ValidFrom && v.seq > best.seq) {
			best = v
		}
	}
	return best
}

// publishedList returns published versions ordered by valid-from, then by
// publication.
func (vs *versions) publishedList() []VersionInfo {
	var out []VersionInfo
	for _, v := range vs.list {
		if v.Status == StatusPublished {
			out = append(out, *v)
		}
	}
	slices.SortFunc(out, func(a, b VersionInfo) int {
		if a.ValidFrom != b.ValidFrom {
			return a.ValidFrom.Compare(b.ValidFrom)
		}
		return a.seq - b.seq
	})
	return out
}

// before returns the version in effect on date d among those published
// before version n was: the one n took the place of on d. Nil when none.
func (vs *versions) before(n int, d Date) *VersionInfo {
	v := vs.get(n)
	if v == nil || v.Status != StatusPublished {
		return nil
	}
	var best *VersionInfo
	for _, w := range vs.list {
		if w.Status != StatusPublished || w.seq >= v.seq || w.ValidFrom.After(d) {
			continue
		}
		if best == nil || best.ValidFrom.Before(w.ValidFrom) || (best.ValidFrom == w.ValidFrom && w.seq > best.seq) {
			best = w
		}
	}
	return best
}
