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
