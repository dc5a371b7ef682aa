package domain

import (
	"reflect"
	"testing"
)

// fill sets every field of the struct v points to a value of its own that
// is not zero: a pointer to such a value, true, a distinct number or text.
func fill(v reflect.Value, seed *int) {
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		*seed++
		switch f.Kind() {
		case reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			setScalar(p.Elem(), *seed)
			f.Set(p)
		default:
			setScalar(f, *seed)
		}
	}
}

func setScalar(f reflect.Value, n int) {
	switch f.Kind() {
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Int, reflect.Int64:
		f.SetInt(int64(n))
	case reflect.String:
		f.SetString("s" + itoa(n))
	}
}

// Every field of the home-care and housing details, present and future,
// survives the split of a quote into the pricing event's two parts and the
// join back: a field the split does not know fails here, whichever part it
// belongs to.
func TestSplitQuoteKeepsEveryDetailField(t *testing.T) {
	seed := 0
	var hc HomeCareDetail
	var hs HousingDetail
	fill(reflect.ValueOf(&hc).Elem(), &seed)
	fill(reflect.ValueOf(&hs).Elem(), &seed)
	q := Quote{HomeCare: &hc, Housing: &hs}
	r, p := splitQuote(q)
	back := r.join(p)
	if !reflect.DeepEqual(back.HomeCare, q.HomeCare) {
		t.Errorf("home care detail:\n got %+v\nwant %+v", *back.HomeCare, hc)
	}
	if !reflect.DeepEqual(back.Housing, q.Housing) {
		t.Errorf("housing detail:\n got %+v\nwant %+v", *back.Housing, hs)
	}
}

// The tier an income_tiered line picked stays with the line, its index and
// the number of tiers; the limits around it, which tell the household's
// size, go to the personal part; joined, the line is whole again. Without
// the personal part (erased) the line still names its tier.
func TestSplitQuoteKeepsTierLimitsPersonal(t *testing.T) {
	above, upTo := Money(148900), Money(219800)
	lines := []LineResult{{LineID: "l1", Rule: RuleFlat}, {LineID: "l2", Rule: RuleIncomeTiered, Tier: &TierPick{Index: 2, Of: 3, Above: &above, UpTo: &upTo}}}
	q := Quote{Lines: lines}
	r, p := splitQuote(q)
	if t2 := r.Lines[1].Tier; t2 == nil || t2.Index != 2 || t2.Of != 3 || t2.Above != nil || t2.UpTo != nil {
		t.Errorf("the record's tier: %+v", t2)
	}
	if len(p.Tiers) != 1 || p.Tiers[0].Index != 1 || *p.Tiers[0].Above != above || *p.Tiers[0].UpTo != upTo {
		t.Errorf("the personal part's tiers: %+v", p.Tiers)
	}
	if q.Lines[1].Tier.Above == nil {
		t.Error("the split changed the quote it split")
	}
	if back := r.join(p); !reflect.DeepEqual(back.Lines, lines) {
		t.Errorf("joined: %+v", back.Lines)
	}
	if erased := r.join(pricingPersonal{}); erased.Lines[1].Tier == nil || erased.Lines[1].Tier.Index != 2 || erased.Lines[1].Tier.UpTo != nil {
		t.Errorf("without the personal part: %+v", erased.Lines[1].Tier)
	}
}
