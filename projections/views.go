package projections

import (
	"encoding/json"
	"time"

	"carecost/domain"
)

// EstimateSummary is an estimate as lists show it: who and what, the status,
// the basis it is priced on and the latest totals.
type EstimateSummary struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	ClientRef string `json:"client_ref"`
	Maple     int    `json:"maple"`
	Segment   string `json:"segment"`
	// Team is the team whose case managers see the estimate ("" for one
	// recorded without a team: every case manager sees it).
	Team              string          `json:"team,omitempty"`
	TariffID          string          `json:"tariff"`
	TariffVersion     int             `json:"tariff_version"`
	IncomeCatalogueID string          `json:"income_catalogue,omitempty"`
	IncomeVersion     int             `json:"income_version,omitempty"`
	PricingDate       domain.Date     `json:"pricing_date"`
	LineCount         int             `json:"line_count"`
	Monthly           domain.Totals   `json:"monthly"`
	OneOff            domain.Totals   `json:"one_off"`
	Yearly            domain.Totals   `json:"yearly"`
	DecisionNumber    string          `json:"decision_number,omitempty"`
	DecisionDate      domain.Date     `json:"decision_date,omitzero"`
	EffectiveFrom     domain.Date     `json:"effective_from,omitzero"`
	RevisionOf        string          `json:"revision_of,omitempty"`
	SupersededBy      string          `json:"superseded_by,omitempty"`
	OpenedAt          time.Time       `json:"opened_at,omitzero"`
	UpdatedAt         time.Time       `json:"updated_at,omitzero"`
	DecidedAt         *time.Time      `json:"decided_at,omitempty"`
	Version           int64           `json:"version"`
	Position          domain.Position `json:"position"`
	// OpenedBy is the user who opened the estimate (its case manager) and
	// OpenedByName their display name then; the console's list shows and
	// filters by them.
	OpenedBy     string `json:"-"`
	OpenedByName string `json:"-"`
}

// EstimateDetail is one estimate with its household, its latest quote (every
// line with its figures and the entry used) and its links.
type EstimateDetail struct {
	EstimateSummary
	Household    domain.Household `json:"household"`
	Quote        json.RawMessage  `json:"quote"`
	Revisions    []string         `json:"revisions,omitempty"`
	CancelReason string           `json:"cancel_reason,omitempty"`
}

// EstimateFilter selects estimates for a list. Zero fields select all.
type EstimateFilter struct {
	Status    string
	Segment   string
	Maple     int
	ClientRef string
	TariffID  string
	// OpenedBy keeps the estimates the user of this name opened (a case
	// manager's).
	OpenedBy string
	// Scoped keeps only the estimates a case manager of Team sees: the
	// team's and those recorded without a team (with Team empty, only
	// those). Not scoped, Team is not looked at.
	Scoped bool
	Team   string
	// OpenedFrom and OpenedTo bound the Helsinki date the estimate was opened.
	OpenedFrom, OpenedTo domain.Date
	Limit, Offset        int
}

// DecisionRecord is one decision in the audit trail: what it was computed
// with (pricing date, tariff and income-table versions, the quote with every
// entry and rule parameter used, the catalogue position), who decided and
// when, and which later corrections touched it.
type DecisionRecord struct {
	EstimateID        string          `json:"estimate_id"`
	DecisionNumber    string          `json:"decision_number"`
	DecisionDate      domain.Date     `json:"decision_date"`
	EffectiveFrom     domain.Date     `json:"effective_from"`
	PricingDate       domain.Date     `json:"pricing_date"`
	ClientRef         string          `json:"client_ref"`
	Maple             int             `json:"maple"`
	Segment           string          `json:"segment"`
	TariffID          string          `json:"tariff"`
	TariffVersion     int             `json:"tariff_version"`
	IncomeCatalogueID string          `json:"income_catalogue,omitempty"`
	IncomeVersion     int             `json:"income_version,omitempty"`
	CataloguePosition domain.Position `json:"catalogue_position"`
	Monthly           domain.Totals   `json:"monthly"`
	OneOff            domain.Totals   `json:"one_off"`
	Yearly            domain.Totals   `json:"yearly"`
	ActorID           string          `json:"actor_id,omitempty"`
	ActorRole         string          `json:"actor_role,omitempty"`
	DecidedAt         time.Time       `json:"decided_at"`
	Position          domain.Position `json:"position"`
	// Presented says whether the estimate was presented to the client
	// before the decision (null for decisions recorded before carecost
	// kept it); NotPresentedReason says why not.
	Presented          *bool  `json:"presented"`
	NotPresentedReason string `json:"not_presented_reason,omitempty"`
	// InForce is false once a decided revision replaced the decision
	// (SupersededBy names it); RevisionOf names the decision this one
	// revised.
	InForce      bool            `json:"in_force"`
	RevisionOf   string          `json:"revision_of,omitempty"`
	SupersededBy string          `json:"superseded_by,omitempty"`
	Quote        json.RawMessage `json:"quote,omitempty"`
	// TouchedBy lists later-published versions now in effect on the decision's
	// pricing date in place of the version the decision used.
	TouchedBy []Touch `json:"touched_by"`
	// VersionWarning names the versions in effect on the effective-from
	// date when they are not those the decision was priced with (those of
	// the pricing date); null when they are the same, and for decisions
	// recorded before carecost kept it.
	VersionWarning *domain.VersionWarning `json:"version_warning"`
	// PresentedTotals are the totals of the estimate as it was presented
	// to the client (null for one decided without being presented, and for
	// decisions recorded before carecost kept them); TotalsChanged says
	// the decided totals differ from them: a price changed in between.
	PresentedTotals *domain.QuoteTotals `json:"presented_totals"`
	TotalsChanged   bool                `json:"totals_changed"`
}

// Touch is a version published after a decision that now applies on the
// decision's pricing date instead of the one the decision used.
type Touch struct {
	Kind        string          `json:"kind"` // "tariff" or "income_catalogue"
	ID          string          `json:"id"`
	Version     int             `json:"version"`
	Corrects    int             `json:"corrects,omitempty"`
	ValidFrom   domain.Date     `json:"valid_from"`
	PublishedAt time.Time       `json:"published_at"`
	Position    domain.Position `json:"position"`
}

// DecisionFilter selects decisions. Zero fields select all.
type DecisionFilter struct {
	TariffID string
	// TariffVersion, when not 0, selects the decisions priced with that
	// version of the tariff (with TariffID).
	TariffVersion int
	// Service selects the decisions with a line of that service.
	Service string
	// DecidedBy selects the decisions recorded by that user (the case
	// manager who decided).
	DecidedBy string
	// Segment selects the decisions of clients in that service-need
	// segment (as assessed when decided).
	Segment string
	// DecidedFrom and DecidedTo bound the decision date.
	DecidedFrom, DecidedTo domain.Date
	// Touched, when set, selects only the decisions a later version touched
	// (true) or only those none touched (false).
	Touched *bool
	// InForce, when set, selects the decisions in force (true) or those a
	// decided revision replaced (false).
	InForce *bool
	// IncomeCatalogueID selects the decisions priced with one income-limit
	// catalogue.
	IncomeCatalogueID string
	// PricedFrom and PricedTo bound the pricing date (inclusive): the
	// decisions a version valid from a date would reach.
	PricedFrom, PricedTo domain.Date
	// VersionWarning, when set, selects the decisions with a version
	// warning (true) or those without (false).
	VersionWarning *bool
	// TotalsChanged, when set, selects the decisions whose totals differ
	// from those presented to the client (true) or the others (false).
	TotalsChanged *bool
	Limit, Offset int
}

// ServiceView is a catalogue service and whether it is retired.
type ServiceView struct {
	domain.Service
	Retired bool `json:"retired"`
}

// TariffView is a tariff with every version (drafts and withdrawn ones
// included), each with its entries.
type TariffView struct {
	ID            string                 `json:"id"`
	Name          string                 `json:"name"`
	WeeksPerMonth domain.Ratio           `json:"weeks_per_month"`
	DaysPerMonth  domain.Ratio           `json:"days_per_month"`
	Versions      []domain.TariffVersion `json:"versions"`
	Version       int64                  `json:"stream_version"`
	Position      domain.Position        `json:"position"`
}

// IncomeCatalogueView is an income-limit catalogue with every version.
type IncomeCatalogueView struct {
	ID       string                 `json:"id"`
	Name     string                 `json:"name"`
	Versions []domain.IncomeVersion `json:"versions"`
	Version  int64                  `json:"stream_version"`
	Position domain.Position        `json:"position"`
}

// PricePoint is the price of a service in a production mode as one published
// tariff version set it: valid from ValidFrom, recorded at Position.
type PricePoint struct {
	TariffID   string          `json:"tariff"`
	Version    int             `json:"version"`
	ValidFrom  domain.Date     `json:"valid_from"`
	Corrects   int             `json:"corrects,omitempty"`
	RecordedAt time.Time       `json:"recorded_at"`
	Position   domain.Position `json:"position"`
	Entry      domain.Entry    `json:"entry"`
}

// TariffChange is one publication in a tariff's history: the version, what
// it replaced and how each entry changed.
type TariffChange struct {
	Version     int             `json:"version"`
	ValidFrom   domain.Date     `json:"valid_from"`
	Corrects    int             `json:"corrects,omitempty"`
	Replaces    int             `json:"replaces,omitempty"`
	Note        string          `json:"note,omitempty"`
	PublishedAt time.Time       `json:"published_at"`
	PublishedBy string          `json:"published_by,omitempty"`
	Position    domain.Position `json:"position"`
	Changes     []EntryChange   `json:"changes"`
}

// EntryChange is how one (service, mode) entry changed: Before is nil for a
// new entry, After nil for a removed one.
type EntryChange struct {
	Service string        `json:"service"`
	Mode    domain.Mode   `json:"mode"`
	Before  *domain.Entry `json:"before"`
	After   *domain.Entry `json:"after"`
}

// Status is where a projection stands.
type Status struct {
	Name       string          `json:"name"`
	Version    int             `json:"version"`
	Checkpoint domain.Position `json:"checkpoint"`
	Head       domain.Position `json:"head"`
	CaughtUp   bool            `json:"caught_up"`
	// State is catching_up (carecost is starting), running or stopped.
	State string `json:"state"`
	// Failure says, for a stopped projection, the event it cannot apply.
	Failure *Failure `json:"failure,omitempty"`
	// Rebuildable says it can be rebuilt beside its live read model
	// (not a process, which keeps none).
	Rebuildable bool `json:"rebuildable"`
	// Rebuilding says a rebuild beside the live read model runs.
	Rebuilding bool `json:"rebuilding"`
	// Rebuild is the running rebuild, or the last one since start.
	Rebuild *RebuildProgress `json:"rebuild,omitempty"`
}

// PriceQuery asks for the price of a service in a production mode on a valid
// date, as known at a log position or a time (both zero: as known now).
type PriceQuery struct {
	TariffID    string
	Service     string
	Mode        domain.Mode
	ValidAt     domain.Date
	KnownAt     domain.Position
	KnownAtTime time.Time
}
