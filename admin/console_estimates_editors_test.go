package admin_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Each of the builder's editors of the client's details takes its part of
// the form as sent: a form without its fields (only its version, or part
// of them) is not "saved" with what the estimate held, but refused with
// the required fields' messages, in Finnish and in English, and nothing is
// written.
func TestClientEditorsNeedTheirFields(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	est := "/estimates/" + id
	for _, c := range []struct {
		path   string
		form   url.Values
		fields []string
		fi, en []string
	}{
		{est + "/household", url.Values{}, []string{"client-ref", "household-size"},
			[]string{"Kirjoita asiakkaan tunniste", "Kirjoita talouden koko, 1–20 henkeä."},
			[]string{"Enter the client reference", "Enter the household size, 1 to 20 people."}},
		{est + "/household", url.Values{"client_ref": {"K-100"}}, []string{"household-size"},
			[]string{"Kirjoita talouden koko, 1–20 henkeä."}, []string{"Enter the household size, 1 to 20 people."}},
		{est + "/assessment", url.Values{}, []string{"maple", "segment"},
			[]string{"Valitse MAPLe-taso 1–5.", "Valitse asiakkaan palvelutarve."},
			[]string{"Choose a MAPLe level from 1 to 5.", "Choose the client&#39;s service need."}},
		{est + "/assessment", url.Values{"maple": {"2"}}, []string{"segment"},
			[]string{"Valitse asiakkaan palvelutarve."}, []string{"Choose the client&#39;s service need."}},
		{est + "/basis", url.Values{}, []string{"tariff", "pricing-date"},
			[]string{"Valitse hinnasto, jolla on julkaistu versio.", "Täytä tämä kenttä."},
			[]string{"Choose a tariff with a published version.", "Fill in this field."}},
		{est + "/basis", url.Values{"tariff": {"phhva"}}, []string{"pricing-date"},
			[]string{"Täytä tämä kenttä."}, []string{"Fill in this field."}},
	} {
		before := e.store.count()
		for lang, want := range map[string][]string{"fi": c.fi, "en": c.en} {
			f := url.Values{"expected_version": {anna.version(id)}}
			for k, v := range c.form {
				f[k] = v
			}
			r := anna.post(c.path+"?lang="+lang, f)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("POST %s %v in %s: %d, want 422", c.path, c.form, lang, r.status)
				continue
			}
			contains(t, c.path+" in "+lang, r.body, want...)
			for _, field := range c.fields {
				contains(t, c.path+" in "+lang, r.body, `id="`+field+`-error"`)
			}
			lacks(t, c.path+" in "+lang, r.body, "Asiakkaan tiedot tallennettu", "details saved and the estimate priced again")
		}
		if after := e.store.count(); after != before {
			t.Errorf("POST %s %v wrote %d events", c.path, c.form, after-before)
		}
	}
}

// The spouse's details typed without ticking "lived with a spouse" are
// never dropped unseen: the form is refused with a message beside each
// of them, in Finnish and in English, the input kept, nothing written.
func TestSpouseDetailsNeedTheBox(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	before := e.store.count()
	want := map[string]string{
		"fi": "Puolison tiedot otetaan huomioon vain, kun ”Asiakas asui puolison kanssa” on valittuna. Valitse se tai tyhjennä tämä kenttä.",
		"en": "The spouse&#39;s details count only when “The client lived with a spouse” is ticked. Tick it, or clear this field.",
	}
	for _, c := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"spouse_net_income": {"900"}}, "spouse-net-income"},
		{url.Values{"spouse_long_term_care": {"1"}}, "spouse-long-term-care"},
		{url.Values{"spouse_deduction_kind_0": {"housing"}, "spouse_deduction_amount_0": {"100"}}, "spouse-deduction-amount-0"},
	} {
		for _, lang := range []string{"en", "fi"} {
			// The new estimate's form and the builder's household editor.
			open := newEstimateForm()
			open.Set("gross_income", "1800")
			open.Set("form_key", "0b1e2d3c-4f5a-4b6c-8d7e-9f0a1b2c3d4e")
			edit := url.Values{"client_ref": {"K-100"}, "size": {"2"}, "net_income": {"1500"}, "expected_version": {anna.version(id)}}
			for path, f := range map[string]url.Values{"/estimates": open, "/estimates/" + id + "/household": edit} {
				for k, v := range c.form {
					f[k] = v
				}
				r := anna.post(path+"?lang="+lang, f)
				if r.status != http.StatusUnprocessableEntity {
					t.Errorf("POST %s %v in %s: %d, want 422", path, c.form, lang, r.status)
					continue
				}
				contains(t, path+" in "+lang, r.body, `id="`+c.field+`-error">`+want[lang]+`<`)
				if v, ok := c.form["spouse_net_income"]; ok {
					contains(t, path+" in "+lang, r.body, `value="`+v[0]+`"`)
				}
			}
		}
	}
	if after := e.store.count(); after != before {
		t.Errorf("the spouse's details without the box wrote %d events", after-before)
	}
}
