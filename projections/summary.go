package projections

import (
	"encoding/json"
	"strconv"

	"carecost/domain"
	"carecost/domain/jsonscan"
)

// pricingHead is what the read models take from a priced or decided event:
// the decision (if any), the catalogue position, the versions used and the
// totals, without the lines.
type pricingHead struct {
	Decision          domain.Decision
	CataloguePosition domain.Position
	PricingDate       domain.Date
	TariffID          string
	TariffVersion     int
	IncomeID          string
	IncomeVersion     int
	Monthly           domain.Totals
	OneOff            domain.Totals
	Yearly            domain.Totals
	// VersionWarning and PresentedTotals are a decided event's (nil when
	// it has none).
	VersionWarning  *domain.VersionWarning
	PresentedTotals *domain.QuoteTotals
}

// readPricing reads a carecost.estimate.priced or .decided payload and stops
// at the quote's lines (the bulk of the payload), so a replay does not pay
// for decoding every line of every pricing. The payload is upcast first
// (at the current schema, that only reads its first field).
func readPricing(eventType string, payload []byte) (pricingHead, error) {
	var h pricingHead
	payload, err := domain.UpcastPayload(eventType, payload)
	if err != nil {
		return h, err
	}
	scanErr := jsonscan.EachField(payload, func(k string, v []byte) bool {
		switch k {
		case "decision_number":
			err = json.Unmarshal(v, &h.Decision.Number)
		case "decision_date":
			err = h.Decision.Date.UnmarshalJSON(v)
		case "effective_from":
			err = h.Decision.EffectiveFrom.UnmarshalJSON(v)
		case "presented":
			err = json.Unmarshal(v, &h.Decision.Presented)
		case "not_presented_reason":
			err = json.Unmarshal(v, &h.Decision.NotPresentedReason)
		case "catalogue_position":
			err = json.Unmarshal(v, &h.CataloguePosition)
		case "version_warning":
			err = json.Unmarshal(v, &h.VersionWarning)
		case "presented_totals":
			err = json.Unmarshal(v, &h.PresentedTotals)
		case "quote":
			err = readQuoteHead(v, &h)
		}
		return err == nil
	})
	if scanErr != nil {
		return h, scanErr
	}
	return h, err
}

func readQuoteHead(b []byte, h *pricingHead) error {
	var err error
	scanErr := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "pricing_date":
			err = h.PricingDate.UnmarshalJSON(v)
		case "tariff":
			h.TariffID, h.TariffVersion, err = refOf(v)
		case "income_catalogue":
			h.IncomeID, h.IncomeVersion, err = refOf(v)
		case "monthly":
			err = readTotals(v, &h.Monthly)
		case "one_off":
			err = readTotals(v, &h.OneOff)
		case "yearly":
			err = readTotals(v, &h.Yearly)
		case "lines":
			return false
		}
		return err == nil
	})
	if scanErr != nil {
		return scanErr
	}
	return err
}

// refOf returns the id and version of a version reference (zero for null).
func refOf(b []byte) (string, int, error) {
	if string(b) == "null" {
		return "", 0, nil
	}
	var id string
	n, err := 0, error(nil)
	scanErr := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "id":
			err = json.Unmarshal(v, &id)
		case "version":
			n, err = strconv.Atoi(string(v))
		}
		return err == nil
	})
	if scanErr != nil {
		return "", 0, scanErr
	}
	return id, n, err
}

func readTotals(b []byte, t *domain.Totals) error {
	var err error
	scanErr := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "county_gross":
			err = t.CountyGross.UnmarshalJSON(v)
		case "client_fee":
			err = t.ClientFee.UnmarshalJSON(v)
		case "voucher_copay":
			err = t.VoucherCopay.UnmarshalJSON(v)
		case "county_net":
			err = t.CountyNet.UnmarshalJSON(v)
		}
		return err == nil
	})
	if scanErr != nil {
		return scanErr
	}
	return err
}
