package projections_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

// liveFix is a fixture whose runner rebuilds beside its live read model, fed
// live like the router feeds it.
type liveFix struct {
	*fixture
	path string
	kase domain.CaseInput
	mu   sync.Mutex
	fed  domain.Position
}

func newLive(t *testing.T, estimates int) *liveFix {
	t.Helper()
	l := &liveFix{fixture: newFixture(t), kase: homeCareCase(t, "")}
	l.path = filepath.Join(t.TempDir(), "readmodel.db")
	l.open(t, l.path)
	l.runner.PageSize = 50
	l.runner.RebuildLogEvery = 0
	l.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return projections.NewProjection(name, db, l.store)
	}
	for i := range estimates {
		if _, err := l.workflow(fmt.Sprintf("C-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	l.catchUp(t)
	head, err := l.store.Head(ctx)
	must(t, err)
	l.fed = head
	return l
}

// workflow records an estimate's story (open, three lines, decision); safe
// from any goroutine.
func (l *liveFix) workflow(ref string) (string, error) {
	id, c := domain.NewID(), l.kase
	c.ClientRef = ref
	if _, _, err := l.cmds.OpenEstimate(ctx, domain.Command{}, id, c); err != nil {
		return "", err
	}
	for _, s := range []string{"meal-service", "bathing", "errands"} {
		if _, _, _, err := l.cmds.AddLine(ctx, domain.Command{}, id, domain.Line{Service: s, Mode: "own", Quantity: 1000, Frequency: "week"}); err != nil {
			return "", err
		}
	}
	_, _, err := l.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "D-" + ref, Date: today(), EffectiveFrom: domain.DateOf(time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)),
		Presented: new(false), NotPresentedReason: "test"})
	return id, err
}

// feed hands the events after the last fed to every projection, as live
// batches.
func (l *liveFix) feed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	evs, err := l.store.ReadAll(ctx, domain.ReadAllOptions{After: l.fed, Limit: 100000})
	if err != nil || len(evs) == 0 {
		return err
	}
	for _, n := range l.runner.Projections() {
		if err := l.runner.Handle(ctx, n, evs); err != nil {
			return err
		}
	}
	l.fed = evs[len(evs)-1].Position
	return nil
}

// dump returns every row of the tables, ordered, as text.
func dump(t *testing.T, path string, tables ...string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	must(t, err)
	defer db.Close()
	var b strings.Builder
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM ` + tb + ` ORDER BY 1`)
		must(t, err)
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			fmt.Fprintln(&b, tb, vals)
			n++
		}
		rows.Close()
		fmt.Fprintln(&b, tb, "rows", n)
	}
	return b.String()
}

// scratch rebuilds every projection from the start of the log in a new
// file and returns its path.
func scratch(t *testing.T, l *liveFix) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scratch.db")
	f := &fixture{store: l.store, cmds: l.cmds}
	f.open(t, path)
	f.catchUp(t)
	return path
}

func rebuildFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".rebuild-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// gatedEstimates is the estimates projection whose Apply waits for its
// gate to open.
type gatedEstimates struct {
	*projections.EstimateTotals
	gate <-chan struct{}
}

func (g gatedEstimates) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.EstimateTotals.Apply(ctx, tx, events)
}

// A rebuild of the estimates projection under a steady read load, with
// estimates recorded and applied live while it builds: every read answers
// (no error, never an empty list, every estimate found), the rebuild
// switches, the estimates recorded during it are all there, and the read
// model equals one rebuilt from scratch.
func TestRebuildBesideUnderLoad(t *testing.T) {
	l := newLive(t, 120)
	list, err := l.set.Estimates(ctx, projections.EstimateFilter{Limit: 500})
	must(t, err)
	if len(list) != 120 {
		t.Fatalf("estimates before: %d, want 120", len(list))
	}
	known := make([]string, len(list))
	for i, e := range list {
		known[i] = e.ID
	}
	before := dump(t, l.path, "estimates", "estimate_personal")

	gate := make(chan struct{})
	l.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return gatedEstimates{EstimateTotals: projections.NewEstimateTotals(db, l.store), gate: gate}
	}

	stop := make(chan struct{})
	var reads, failures atomic.Int64
	var firstFailure atomic.Value
	fail := func(format string, args ...any) {
		if failures.Add(1) == 1 {
			firstFailure.Store(fmt.Sprintf(format, args...))
		}
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if g%2 == 0 {
					got, err := l.set.Estimates(ctx, projections.EstimateFilter{Limit: 50})
					if err != nil || len(got) == 0 {
						fail("list: %d estimates, %v", len(got), err)
					}
				} else {
					id := known[(g*31+i)%len(known)]
					d, err := l.set.Estimate(ctx, id)
					if err != nil || d.ID != id || d.Status != string(domain.EstDecided) {
						fail("estimate %s: %q %q %v", id, d.ID, d.Status, err)
					}
				}
				reads.Add(1)
			}
		})
	}
	var during []string
	writer := make(chan error, 1)
	written := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				writer <- nil
				return
			default:
			}
			id, err := l.workflow(fmt.Sprintf("L-%d", i))
			if err == nil {
				err = l.feed()
			}
			if err != nil {
				writer <- err
				return
			}
			during = append(during, id)
			if i == 5 {
				close(written)
			}
		}
	}()

	started, err := l.runner.StartRebuild("estimates")
	must(t, err)
	assertEq(t, "state at start", started.State, projections.RebuildBuilding)
	if _, err := l.runner.StartRebuild("estimates"); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("a second rebuild: %v, want a conflict", err)
	}
	st, err := l.runner.Status(ctx)
	must(t, err)
	for _, s := range st {
		if s.Name == "estimates" && (!s.Rebuilding || s.Rebuild == nil || s.Rebuild.State != projections.RebuildBuilding) {
			t.Errorf("status while it builds: %+v", s)
		}
	}
	assertEq(t, "rebuild running metric", metric(t, l.runner, "carecost_projection_rebuild_running", "estimates"), 1.0)
	// The rebuild makes its file on its own goroutine, once started (its
	// tables then wait at the gate).
	files := rebuildFiles(t, filepath.Dir(l.path))
	for deadline := time.Now().Add(10 * time.Second); len(files) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		files = rebuildFiles(t, filepath.Dir(l.path))
	}
	if len(files) == 0 || files[0] != "readmodel.rebuild-estimates.db" {
		t.Errorf("the rebuild's files: %v", files)
	}
	// It holds personal data: its owner's only.
	if fi, err := os.Stat(filepath.Join(filepath.Dir(l.path), "readmodel.rebuild-estimates.db")); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("the rebuild's file has mode %v", fi.Mode())
	}
	<-written // live estimates recorded while the new tables wait
	close(gate)
	wait, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	done, err := l.runner.WaitRebuild(wait, "estimates")
	must(t, err)
	time.Sleep(50 * time.Millisecond) // reads go on after the switch
	close(stop)
	wg.Wait()
	must(t, <-writer)
	must(t, l.feed())

	assertEq(t, "state", done.State, projections.RebuildSwitched)
	if done.SwitchMillis == nil || done.Events == 0 || done.FinishedAt == nil {
		t.Errorf("progress after the switch: %+v", done)
	}
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d of %d reads failed during the rebuild; the first: %v", n, reads.Load(), firstFailure.Load())
	}
	if reads.Load() < 100 {
		t.Errorf("only %d reads during the rebuild", reads.Load())
	}
	if len(during) < 6 {
		t.Fatalf("only %d estimates recorded during the rebuild", len(during))
	}
	for _, id := range during {
		if d, err := l.set.Estimate(ctx, id); err != nil || d.Status != string(domain.EstDecided) {
			t.Errorf("estimate %s recorded during the rebuild: %q %v", id, d.Status, err)
		}
	}
	after := dump(t, l.path, "estimates", "estimate_personal")
	if want := dump(t, scratch(t, l), "estimates", "estimate_personal"); after != want {
		t.Errorf("the rebuilt read model differs from one rebuilt from scratch")
	}
	if after == before {
		t.Errorf("the read model did not change: the live estimates are missing")
	}
	if files := rebuildFiles(t, filepath.Dir(l.path)); len(files) > 0 {
		t.Errorf("files left after the switch: %v", files)
	}
	head, _ := l.store.Head(ctx)
	assertEq(t, "checkpoint", l.runner.Checkpoint("estimates"), head)
	assertEq(t, "rebuild running metric after", metric(t, l.runner, "carecost_projection_rebuild_running", "estimates"), 0.0)
	if n := metric(t, l.runner, "carecost_projection_rebuild_events_total", "estimates"); n != float64(done.Events) {
		t.Errorf("rebuild events metric %v, progress %d", n, done.Events)
	}
	if _, err := l.runner.StartRebuild("estimates"); err != nil {
		t.Errorf("a rebuild after the last one switched: %v", err)
	}
	_, err = l.runner.WaitRebuild(wait, "estimates")
	must(t, err)
}

// metric is the value of one of the runner's metrics for a projection.
func metric(t *testing.T, r *projections.Runner, name, projection string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	must(t, reg.Register(r.Collector()))
	fams, err := reg.Gather()
	must(t, err)
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == "projection" && lp.GetValue() == projection {
					if c := m.GetCounter(); c != nil {
						return c.GetValue()
					}
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no metric %s{projection=%q}", name, projection)
	return 0
}

// A projection whose apply stops on an event while it is rebuilt: the
// rebuild fails naming the event, the live read model is untouched and
// runs on, and the rebuild's file is removed.
func TestRebuildBesideFailureLeavesLive(t *testing.T) {
	l := newLive(t, 20)
	evs, err := l.store.ReadAll(ctx, domain.ReadAllOptions{Limit: 100000})
	must(t, err)
	var bad domain.RecordedEvent
	for _, e := range evs {
		if e.Type == domain.EvEstimateDecided {
			bad = e
		}
	}
	before := dump(t, l.path, "estimates", "estimate_personal")
	l.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return failingEstimates{EstimateTotals: projections.NewEstimateTotals(db, l.store), bad: bad.ID}
	}
	_, err = l.runner.StartRebuild("estimates")
	must(t, err)
	p, err := l.runner.WaitRebuild(ctx, "estimates")
	if !errors.Is(err, projections.ErrStopped) {
		t.Fatalf("the rebuild's error: %v", err)
	}
	assertEq(t, "state", p.State, projections.RebuildFailed)
	if !strings.Contains(p.Error, bad.ID) || !strings.Contains(p.Error, "cannot apply") {
		t.Errorf("the failure does not name the event %s: %s", bad.ID, p.Error)
	}
	if got := dump(t, l.path, "estimates", "estimate_personal"); got != before {
		t.Errorf("the live read model changed")
	}
	if f := l.runner.Failure("estimates"); f != nil {
		t.Errorf("the live projection stopped: %v", f)
	}
	if files := rebuildFiles(t, filepath.Dir(l.path)); len(files) > 0 {
		t.Errorf("files left after the failure: %v", files)
	}
	// The live projection goes on.
	id, err := l.workflow("after")
	must(t, err)
	must(t, l.feed())
	if _, err := l.set.Estimate(ctx, id); err != nil {
		t.Errorf("an estimate after the failed rebuild: %v", err)
	}
	st, err := l.runner.Status(ctx)
	must(t, err)
	for _, s := range st {
		if s.Name == "estimates" && (s.Rebuilding || s.Rebuild == nil || s.Rebuild.State != projections.RebuildFailed) {
			t.Errorf("status after the failure: %+v", s)
		}
	}
}

// failingEstimates cannot apply the event bad.
type failingEstimates struct {
	*projections.EstimateTotals
	bad string
}

func (f failingEstimates) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	for _, e := range events {
		if e.ID == f.bad {
			return errors.New("cannot read this decision")
		}
	}
	return f.EstimateTotals.Apply(ctx, tx, events)
}

// Stopping cancels a running rebuild and removes its file; no rebuild
// starts afterwards. Unknown projections, processes and a runner without
// a factory are refused.
func TestRebuildBesideCancelAndRefusals(t *testing.T) {
	l := newLive(t, 5)
	gate := make(chan struct{})
	l.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return gatedEstimates{EstimateTotals: projections.NewEstimateTotals(db, l.store), gate: gate}
	}
	before := dump(t, l.path, "estimates")
	_, err := l.runner.StartRebuild("estimates")
	must(t, err)
	// One rebuild at a time, whichever projection.
	if _, err := l.runner.StartRebuild("decisions"); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "one rebuild runs at a time") {
		t.Errorf("a second rebuild of another projection: %v", err)
	}
	l.runner.StopRebuilds()
	p, err := l.runner.WaitRebuild(ctx, "estimates")
	assertEq(t, "state", p.State, projections.RebuildCancelled)
	assertEq(t, "code", domain.ErrorCode(err), domain.EUnavailable)
	if files := rebuildFiles(t, filepath.Dir(l.path)); len(files) > 0 {
		t.Errorf("files left after a cancel: %v", files)
	}
	if got := dump(t, l.path, "estimates"); got != before {
		t.Errorf("the live read model changed")
	}
	if _, err := l.runner.StartRebuild("estimates"); domain.ErrorCode(err) != domain.EUnavailable {
		t.Errorf("a rebuild after the stop: %v", err)
	}
	if _, err := l.runner.StartRebuild("nope"); domain.ErrorCode(err) != domain.ENotFound || domain.ErrorField(err) != "projection" {
		t.Errorf("an unknown projection: %v", err)
	}
	b := newBench(t, l.store, "", projections.NewRevisions(func(context.Context, string, string) error { return nil }))
	b.runner.Shadows = l.runner.Shadows
	if _, err := b.runner.StartRebuild("revisions"); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("the revisions process: %v", err)
	}
	b.runner.Shadows = nil
	if _, err := b.runner.StartRebuild("revisions"); domain.ErrorCode(err) != domain.EUnavailable {
		t.Errorf("without a factory: %v", err)
	}
}

// The files a crash left are removed at start, and nothing else.
func TestRemoveRebuildFiles(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "readmodel.db")
	for _, n := range []string{"readmodel.db", "readmodel.db-wal", "readmodel.rebuild-estimates.db", "readmodel.rebuild-estimates.db-wal",
		"readmodel.rebuild-decisions.db-shm", "events.db"} {
		must(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600))
	}
	removed, err := projections.RemoveRebuildFiles(live)
	must(t, err)
	assertEq(t, "removed", fmt.Sprint(removed), "[readmodel.rebuild-decisions.db-shm readmodel.rebuild-estimates.db readmodel.rebuild-estimates.db-wal]")
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	assertEq(t, "left", fmt.Sprint(left), "[events.db readmodel.db readmodel.db-wal]")
}

// Every projection of the set can be made fresh by name.
func TestNewProjectionByName(t *testing.T) {
	f := newFixture(t)
	for _, p := range f.set.All() {
		if q := projections.NewProjection(p.Name(), f.db, f.store); q == nil || q.Name() != p.Name() || q == p {
			t.Errorf("NewProjection(%s): %v", p.Name(), q)
		}
	}
	if projections.NewProjection("nope", f.db, f.store) != nil {
		t.Errorf("an unknown name made a projection")
	}
}

// counting is a flaky projection that keeps the number of its rows in
// memory, reloaded after a rebuild replaced them.
type counting struct {
	*flaky
	rows atomic.Int64
}

func (c *counting) Reload(ctx context.Context, tx *sql.Tx) error {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+c.table()).Scan(&n)
	c.rows.Store(n)
	return err
}

// A live projection stopped before an event the rebuilt tables apply runs
// again after the switch, with that event applied; what it keeps in memory
// is reloaded from the new rows.
func TestRebuildBesideResumesAStoppedProjection(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 5)
	live := &counting{flaky: newFlaky("flaky").failOn(evs[2].ID, failing{err: errors.New("flaky: no")})}
	b := newBench(t, store, "", live)
	b.runner.RebuildLogEvery = 0
	b.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return &counting{flaky: newFlaky(name)}
	}
	must(t, b.runner.CatchUp(ctx))
	if b.runner.Failure("flaky") == nil {
		t.Fatal("the live projection did not stop")
	}
	live.wantPositions(t, b.path, "[1 2]")
	_, err := b.runner.StartRebuild("flaky")
	must(t, err)
	p, err := b.runner.WaitRebuild(ctx, "flaky")
	must(t, err)
	assertEq(t, "state", p.State, projections.RebuildSwitched)
	assertEq(t, "events", p.Events, uint64(5))
	if f := b.runner.Failure("flaky"); f != nil {
		t.Errorf("still stopped: %v", f)
	}
	live.wantPositions(t, b.path, "[1 2 3 4 5]")
	assertEq(t, "rows in memory", live.rows.Load(), int64(5))
	assertEq(t, "checkpoint", b.runner.Checkpoint("flaky"), evs[4].Position)
	must(t, b.runner.Ready(ctx))
}
