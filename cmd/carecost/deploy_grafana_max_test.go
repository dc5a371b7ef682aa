package main

import (
	"slices"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// logDerivedLabels are the labels of the metrics counted from the log, which
// every instance reports whole: the dashboard takes their max across
// instances, and a max must keep every label of the metric, else it takes
// the largest series instead of adding them up (max by (maple) over
// decisions by maple and segment shows the largest segment of a level).
var logDerivedLabels = map[string][]string{
	"carecost_decisions_total":                    {"maple", "segment"},
	"carecost_estimate_lines_added_total":         {"service", "mode"},
	"carecost_catalogue_versions_published_total": {"table", "correction"},
	"carecost_quotes_total":                       {"kind"},
	"carecost_active_users":                       {"role", "window"},
}

func TestDashboardMaxKeepsTheMetricsLabels(t *testing.T) {
	for where, expr := range dashboardExpressions(t) {
		for _, bad := range maxDroppingLabels(t, expr) {
			t.Errorf("dashboard %s: %s", where, bad)
		}
	}
	// The check finds the fault it is for.
	if bad := maxDroppingLabels(t, `max by (maple) (increase(carecost_decisions_total[1d]))`); len(bad) != 1 {
		t.Errorf("a max by one of two labels passed: %v", bad)
	}
	if bad := maxDroppingLabels(t, `sum by (maple) (max by (maple, segment) (increase(carecost_decisions_total[1d])))`); len(bad) != 0 {
		t.Errorf("a right expression refused: %v", bad)
	}
}

// maxDroppingLabels returns, for each max in expr over a log-derived
// metric, the labels of the metric its grouping leaves out (a max without
// a by clause, or with without, is refused too).
func maxDroppingLabels(t *testing.T, expr string) []string {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVariables.Replace(expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	var bad []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		agg, ok := n.(*parser.AggregateExpr)
		if !ok || agg.Op != parser.MAX {
			return nil
		}
		parser.Inspect(agg.Expr, func(m parser.Node, path []parser.Node) error {
			vs, ok := m.(*parser.VectorSelector)
			if !ok {
				return nil
			}
			// Only a selector the max reads directly (through functions),
			// not one another aggregation already grouped.
			for _, p := range path {
				if inner, ok := p.(*parser.AggregateExpr); ok && inner != agg {
					return nil
				}
			}
			name, fixed := vs.Name, map[string]bool{}
			for _, lm := range vs.LabelMatchers {
				switch {
				case lm.Name == labels.MetricName:
					name = lm.Value
				case lm.Type == labels.MatchEqual:
					fixed[lm.Name] = true // one value: nothing to add up
				}
			}
			for _, l := range logDerivedLabels[name] {
				if !fixed[l] && (agg.Without || !slices.Contains(agg.Grouping, l)) {
					bad = append(bad, "max over "+name+" drops its label "+l+": "+expr)
				}
			}
			return nil
		})
		return nil
	})
	return bad
}
