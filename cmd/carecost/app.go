package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/sqlite"
	"carecost/projections"
)

// app is carecost wired over its event store and read-model database: the
// commands, the projections and their runner. serve, rebuild, catalogue and
// restore each open one.
type app struct {
	cfg    config
	log    *slog.Logger
	lock   io.Closer
	store  domain.EventStore
	db     *projections.DB
	set    *projections.Set
	runner *projections.Runner
	cmds   *domain.Commands
	// storeMetrics measure the store as the commands use it.
	storeMetrics *storeMetrics
}

// openApp opens the store and the read models under the configuration. With
// exclusive, it takes the data folder's lock first, so two carecost
// processes never write the same store (serve, rebuild and restore take it;
// backup and export read only).
func openApp(ctx context.Context, cfg config, log *slog.Logger, exclusive bool) (*app, error) {
	if err := cfg.checkStore(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.data, 0o750); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	a := &app{cfg: cfg, log: log, storeMetrics: newStoreMetrics()}
	var err error
	if url, ok := cfg.esdbURL(); ok {
		// A shared cluster has no file to lock: carecost instances share
		// it, each with a data folder (its read models) of its own, locked.
		if exclusive {
			if a.lock, err = lockData(cfg.data); err != nil {
				return nil, err
			}
		}
		s, err := esdb.Open(url)
		if err != nil {
			a.Close()
			return nil, domain.Invalidf("--store", "%s", domain.ErrorMessage(err))
		}
		a.store = s
		if err := waitForStore(ctx, a.store, log.With("store", redactURL(cfg.store))); err != nil { // as given
			a.Close()
			return nil, err
		}
	} else {
		path, err := cfg.storePath()
		if err != nil {
			return nil, err
		}
		if exclusive {
			if a.lock, err = lockFor(cfg.data, path); err != nil {
				return nil, err
			}
		}
		// Assigned only when open: a nil *sqlite.Store in the interface
		// would not be nil to Close.
		s, err := sqlite.Open(path, append(cfg.sqliteOptions(), sqlite.WithCommitObserver(a.storeMetrics.commit))...)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.store = s
	}
	if cfg.wrapStore != nil {
		a.store = cfg.wrapStore(a.store)
	}
	if exclusive {
		// A rebuild beside the live read models that a crash cut short
		// left its file: nobody else holds the data folder now.
		if removed, err := projections.RemoveRebuildFiles(cfg.readModelPath()); err != nil {
			log.Warn("the files of an unfinished rebuild were not removed", "error", err.Error())
		} else if len(removed) > 0 {
			log.Info("removed the files of an unfinished rebuild", "files", removed)
		}
	}
	if a.db, err = projections.OpenDB(cfg.readModelPath()); err != nil {
		a.Close()
		return nil, err
	}
	a.set = projections.NewSet(a.db, a.store)
	_, esdbStore := cfg.esdbURL()
	a.cmds = domain.NewCommands(measuredStore{EventStore: a.store, m: a.storeMetrics, commits: esdbStore})
	a.cmds.NumberHolders = a.set.NumberHolders
	a.runner = projections.NewRunner(a.store, a.db, log, append(a.set.All(), projections.NewRevisions(a.completeRevision))...)
	a.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return projections.NewProjection(name, db, a.store)
	}
	if err := a.runner.Init(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// completeRevision is the revisions process's way to mark a decision
// replaced by its decided revision; the events name carecost as the actor.
func (a *app) completeRevision(ctx context.Context, revisionID, original string) error {
	return a.cmds.CompleteRevision(ctx, domain.Command{Actor: systemActor}, revisionID, original)
}

// systemActor is the actor of what carecost records by itself.
var systemActor = domain.Actor{ID: "carecost", Role: "system"}

// Close cancels the rebuilds beside the read models, closes the read
// models, then the store, then releases the lock.
func (a *app) Close() error {
	var errs []error
	if a.runner != nil {
		a.runner.StopRebuilds()
	}
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	if a.lock != nil {
		errs = append(errs, a.lock.Close())
	}
	return errors.Join(errs...)
}

// lockFor takes the exclusive locks of a carecost that writes: the data
// folder's (the read models), and, when the event log lies outside that
// folder, the log's own, so two carecosts with different data folders never
// share one log either.
func lockFor(dir, storePath string) (io.Closer, error) {
	data, err := lockData(dir)
	if err != nil {
		return nil, err
	}
	if inside(dir, storePath) {
		return data, nil
	}
	log, err := lockFile(storePath+".lock", storePath)
	if err != nil {
		data.Close()
		return nil, err
	}
	return closers{log, data}, nil
}

// inside reports whether file lies in folder dir.
func inside(dir, file string) bool {
	d, err1 := filepath.Abs(dir)
	f, err2 := filepath.Abs(file)
	return err1 == nil && err2 == nil && filepath.Dir(f) == d
}

// closers closes each in turn.
type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// lockData takes the exclusive lock of the data folder.
func lockData(dir string) (*os.File, error) {
	return lockFile(filepath.Join(dir, "carecost.lock"), dir)
}

// lockFile takes the exclusive lock of file, creating it; what names what
// it guards in the refusal.
func lockFile(path, what string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, domain.Errorf(domain.EConflict, "another carecost is using %s; stop it first", what)
	}
	return f, nil
}

// waitForStore waits until a store on the network answers, retrying with a
// pause that doubles up to five seconds and saying so in the log, or until
// ctx ends: a carecost started before its EventStoreDB/KurrentDB cluster
// comes up by itself once the cluster is there.
func waitForStore(ctx context.Context, s domain.EventStore, log *slog.Logger) error {
	pause := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		_, err := s.Head(ctx)
		if err == nil {
			if attempt > 1 {
				log.Info("event store reachable", "attempts", attempt)
			}
			return nil
		}
		if !errors.Is(err, domain.ErrUnavailable) {
			return err
		}
		log.Warn("event store unreachable; waiting for it", "attempt", attempt, "retry_in", pause.String(), "error", redactURL(err.Error()))
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the event store: %w", ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}
