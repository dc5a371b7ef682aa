package admin

import (
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// A rebuild that builds says how far along the log its new tables are; a
// finished one, or one over an empty log, says the events alone.
func TestRebuildProgressSaysHowFarAlong(t *testing.T) {
	cat, err := loadCatalogue(messageFiles)
	if err != nil {
		t.Fatal(err)
	}
	rb := &projections.RebuildProgress{State: projections.RebuildBuilding, Events: 695000, Checkpoint: domain.SeqPosition(695000)}
	for lang, want := range map[string]string{"en": "695,000 (46\u00a0% of the log)", "fi": "695\u00a0000 (46\u00a0% lokista)"} {
		if got := opsRebuildView(cat.Lang(lang), rb, domain.SeqPosition(1500000)).Events; got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	done := *rb
	done.State = projections.RebuildSwitched
	if got := opsRebuildView(cat.Lang("en"), &done, domain.SeqPosition(1500000)).Events; got != "695,000" {
		t.Errorf("switched: %q", got)
	}
	if got := opsRebuildView(cat.Lang("en"), rb, domain.Position{}).Events; got != "695,000" {
		t.Errorf("no head: %q", got)
	}
}
