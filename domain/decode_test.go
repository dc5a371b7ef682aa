package domain_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"carecost/domain"
)

func TestDecodeJSONNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		name, body, field string
	}{
		{"money as a number", `{"household":{"size":1,"gross_income":1800}}`, "household.gross_income"},
		{"money with a comma", `{"household":{"size":1,"gross_income":"1800,50"}}`, "household.gross_income"},
		{"unknown field", `{"household":{"size":1},"colour":"red"}`, "colour"},
		{"wrong type", `{"household":{"size":"one"}}`, "household.size"},
		{"fractional size", `{"household":{"size":1.5}}`, "household.size"},
		{"bad quantity in a line", `{"lines":[{"service":"meals","mode":"own","quantity":1,"frequency":"week"},{"service":"x","quantity":"2,5"}]}`, "lines[1].quantity"},
		{"bad date", `{"pricing_date":"1.1.2026"}`, "pricing_date"},
		{"lines not a list", `{"lines":{}}`, "lines"},
		{"a name in other case", `{"Client_Ref":"x"}`, "Client_Ref"},
		{"a key twice", `{"maple":3,"household":{"size":1},"maple":5}`, "maple"},
		{"a key twice deeper", `{"lines":[{"service":"a","quantity":1},{"service":"b","quantity":1,"service":"c"}]}`, "lines[1].service"},
		{"quantity left out", `{"lines":[{"service":"meals","mode":"own","frequency":"week"}]}`, "lines[0].quantity"},
		{"deduction amount left out", `{"household":{"size":1,"deductions":[{"kind":"housing"}]}}`, "household.deductions[0].amount"},
		{"a number out of range", `{"maple":99999999999999999999}`, "maple"},
		{"a size out of range", `{"household":{"size":99999999999999999999}}`, "household.size"},
		{"null quantity", `{"lines":[{"service":"meals","quantity":null}]}`, "lines[0].quantity"},
		{"null deduction", `{"household":{"size":1,"deductions":[{"kind":"housing","amount":null}]}}`, "household.deductions[0].amount"},
		{"not JSON", `{"household":`, ""},
		{"two values", `{} {}`, ""},
		{"a list for the whole case", `[]`, ""},
		{"null lines", `{"lines":null}`, "lines"},
		{"null household", `{"household":null}`, "household"},
		{"null client reference", `{"client_ref":null}`, "client_ref"},
		{"null for the whole case", `null`, ""},
		{"null for the whole case, spaced", " null\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in domain.CaseInput
			err := domain.DecodeJSON([]byte(tc.body), &in)
			if domain.ErrorCode(err) != domain.EInvalid || domain.ErrorField(err) != tc.field {
				t.Errorf("got %q %q (%v), want invalid at %q", domain.ErrorCode(err), domain.ErrorField(err), err, tc.field)
			}
		})
	}
	var in domain.CaseInput
	err := domain.DecodeJSON([]byte(`{"tariff":"phhva","pricing_date":"2026-01-01","household":{"size":2,"gross_income":"3000"},"lines":[{"service":"meals","mode":"own","quantity":5,"frequency":"week"}]}`), &in)
	if err != nil || in.TariffID != "phhva" || in.Lines[0].Quantity != 5000 || in.Household.Gross() != 300000 {
		t.Errorf("good input: %+v, %v", in, err)
	}
	// An income given as null is an income left out: unknown.
	if err := domain.DecodeJSON([]byte(`{"household":{"size":1,"gross_income":null}}`), &in); err != nil || in.Household.GrossIncome != nil {
		t.Errorf("null income: %+v, %v", in.Household, err)
	}
	if strings.Contains(domain.ErrorMessage(err), "json:") {
		t.Error("decoder jargon in the message")
	}
}

func TestRequiredFieldsOfAnEmbedding(t *testing.T) {
	type Case struct {
		Ref   string `json:"ref"`
		Size  int    `json:"size" carecost:"required"`
		Lines []int  `json:"lines"`
	}
	type Open struct {
		ID   string `json:"id,omitempty"`
		Case `carecost:"required=ref,size"`
	}
	if got := domain.RequiredFields(reflect.TypeFor[Open]()); !slices.Equal(got, []string{"size", "ref"}) {
		t.Errorf("required fields = %v, want [size ref]", got)
	}
	var o Open
	if err := domain.DecodeJSON([]byte(`{"size":1}`), &o); domain.ErrorField(err) != "ref" {
		t.Errorf("ref left out: %v", err)
	}
	var c Case
	if err := domain.DecodeJSON([]byte(`{"size":1}`), &c); err != nil {
		t.Errorf("the embedded type alone needs no ref: %v", err)
	}
}
