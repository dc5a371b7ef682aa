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
