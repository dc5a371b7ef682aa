package admin

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// One value of the domain has one name on every page and in the CSV
// exports: a fee rule, a service category, a production mode or a unit
// is called the same (the capital and the grammatical form aside) by the
// estimates, the decisions and the catalogue; segments and roles have one
// text each. A Finnish page never calls a role by its English name.
func TestOneWordPerValue(t *testing.T) {
	cat := testCatalogue(t)
	areas := map[string][]string{ // group: the areas naming it
		"rule":     {"audit", "catalogue"},
		"category": {"estimates", "catalogue"},
		"mode":     {"estimates", "audit", "catalogue"},
		"unit":     {"audit", "catalogue"},
	}
	for _, code := range cat.Codes() {
		l := cat.Lang(code)
		for _, key := range slices.Sorted(maps.Keys(l.msgs)) {
			area, rest, _ := strings.Cut(key, ".")
			group, value, ok := strings.Cut(rest, ".")
			if !ok || strings.Contains(value, ".") {
				continue
			}
			names, found := areas[group]
			if !found || names[0] != area {
				continue
			}
			for _, other := range names[1:] {
				k := other + "." + group + "." + value
				if !l.Has(k) {
					t.Errorf("%s: %s has no %s", code, key, k)
				} else if a, b := strings.ToLower(l.T(key)), strings.ToLower(l.T(k)); a != b {
					t.Errorf("%s: %s is %q but %s is %q", code, key, a, k, b)
				}
			}
		}
		for _, area := range []string{"estimates", "audit", "catalogue"} {
			for _, group := range []string{"segment", "role"} {
				for _, key := range slices.Sorted(maps.Keys(l.msgs)) {
					if strings.HasPrefix(key, area+"."+group+".") {
						t.Errorf("%s: %s: a %s has one text for every page (%s.*)", code, key, group, group)
					}
				}
			}
		}
	}
	fi := cat.Lang("fi")
	for _, key := range slices.Sorted(maps.Keys(fi.msgs)) {
		if strings.Contains(strings.ToLower(fi.T(key)), "controller") {
			t.Errorf("fi: %s says %q", key, fi.T(key))
		}
	}
}
