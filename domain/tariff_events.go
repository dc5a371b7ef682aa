package domain

// Event type names of the tariff streams ("tariff-<id>").
const (
	EvTariffCreated          = "carecost.tariff.created"
	EvTariffDraftCreated     = "carecost.tariff.draft_created"
	EvTariffDraftEntrySet    = "carecost.tariff.draft_entry_set"
	EvTariffDraftEntryRemove = "carecost.tariff.draft_entry_removed"
	EvTariffDraftSettingsSet = "carecost.tariff.draft_settings_set"
	EvTariffVersionPublished = "carecost.tariff.version_published"
	EvTariffDraftWithdrawn   = "carecost.tariff.draft_withdrawn"
)

// TariffCreated: a new price list with its default month conversions.
type TariffCreated struct {
	Schema
	TariffID      string `json:"tariff_id"`
	Name          string `json:"name"`
	WeeksPerMonth Ratio  `json:"weeks_per_month"`
	DaysPerMonth  Ratio  `json:"days_per_month"`
}

// TariffDraftCreated: a new draft version, copied from BasedOn (0: empty),
// possibly a correction of version Corrects.
type TariffDraftCreated struct {
	Schema
	Version       int     `json:"version"`
	BasedOn       int     `json:"based_on,omitempty"`
	Corrects      int     `json:"corrects,omitempty"`
	WeeksPerMonth Ratio   `json:"weeks_per_month"`
	DaysPerMonth  Ratio   `json:"days_per_month"`
	Entries       []Entry `json:"entries"`
	Note          string  `json:"note,omitempty"`
}

// TariffDraftEntrySet: an entry of a draft set (added or replaced).
type TariffDraftEntrySet struct {
	Schema
	Version int   `json:"version"`
	Entry   Entry `json:"entry"`
}

// TariffDraftEntryRemoved: an entry removed from a draft.
type TariffDraftEntryRemoved struct {
	Schema
	Version int    `json:"version"`
	Service string `json:"service"`
	Mode    Mode   `json:"mode"`
}

// TariffDraftSettingsSet: a draft's month conversions and note changed.
type TariffDraftSettingsSet struct {
	Schema
	Version       int    `json:"version"`
	WeeksPerMonth Ratio  `json:"weeks_per_month"`
	DaysPerMonth  Ratio  `json:"days_per_month"`
	Note          string `json:"note,omitempty"`
}

// TariffVersionPublished: a draft published from ValidFrom, with its full
// content, so the event alone explains every price of the version.
type TariffVersionPublished struct {
	Schema
	Version       int     `json:"version"`
	ValidFrom     Date    `json:"valid_from"`
	Corrects      int     `json:"corrects,omitempty"`
	WeeksPerMonth Ratio   `json:"weeks_per_month"`
	DaysPerMonth  Ratio   `json:"days_per_month"`
	Entries       []Entry `json:"entries"`
	Note          string  `json:"note,omitempty"`
}

// TariffDraftWithdrawn: a draft dropped; its number is not reused.
type TariffDraftWithdrawn struct {
	Schema
	Version int `json:"version"`
}

// EventType implements Payload.
func (*TariffCreated) EventType() string { return EvTariffCreated }

// EventType implements Payload.
func (*TariffDraftCreated) EventType() string { return EvTariffDraftCreated }

// EventType implements Payload.
func (*TariffDraftEntrySet) EventType() string { return EvTariffDraftEntrySet }

// EventType implements Payload.
func (*TariffDraftEntryRemoved) EventType() string { return EvTariffDraftEntryRemove }

// EventType implements Payload.
func (*TariffDraftSettingsSet) EventType() string { return EvTariffDraftSettingsSet }

// EventType implements Payload.
func (*TariffVersionPublished) EventType() string { return EvTariffVersionPublished }

// EventType implements Payload.
func (*TariffDraftWithdrawn) EventType() string { return EvTariffDraftWithdrawn }

func init() {
	register(1, func() Payload { return &TariffCreated{} })
	register(1, func() Payload { return &TariffDraftCreated{} })
	register(1, func() Payload { return &TariffDraftEntrySet{} })
	register(1, func() Payload { return &TariffDraftEntryRemoved{} })
	register(1, func() Payload { return &TariffDraftSettingsSet{} })
	register(1, func() Payload { return &TariffVersionPublished{} })
	register(1, func() Payload { return &TariffDraftWithdrawn{} })
}
