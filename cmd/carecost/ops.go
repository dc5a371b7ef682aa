package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
	"carecost/projections"
)

func init() {
	commands["rebuild"] = command{"rebuild read models from the event log (all, or the ones named)", runRebuild}
	commands["backup"] = command{"write a consistent copy of the event log, also while carecost serves", runBackup}
	commands["restore"] = command{"put a backup of the event log in place (carecost must be stopped)", runRestore}
}

func runRebuild(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("rebuild", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	server := fs.String("server", "", "`URL` of a serving carecost (http://HOST:PORT): rebuild NAME there, beside its live read model, and follow it")
	tokenFile := fs.String("token-file", "", "with --server: a `file` whose first line is an API token of the operations role (default: $"+tokenEnv+")")
	every := fs.Duration("every", 2*time.Second, "with --server: how often to print the progress")
	caFile := fs.String("ca-file", "", "with --server https://...: a PEM `file` of the certificate authority that signed the server's certificate, trusted beside the system's")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: carecost rebuild [flags] [projection ...]\n\nEmpties the named read models (all when none is named: catalogue, history, estimates, decisions, users, usage)\nand applies the whole event log again. Stop carecost serve first. A projection that cannot apply an\nevent stops before it; rebuild then exits 1 naming it, the event and the error.\n\n")
		fs.PrintDefaults()
		io.WriteString(fs.Output(), "\nOr: carecost rebuild NAME --server URL [--token-file FILE] [--ca-file FILE]\n\n"+
			"With --server, the serving carecost at URL rebuilds the projection beside its live read model, which\nanswers until the rebuilt one has caught up with the log and replaces it; rebuild prints the progress\nand exits 0 once it has switched, 1 when it failed (the live read model then stays as it was).\n")
	}
	names, err := namesAndFlags(fs, args)
	if err != nil {
		return err
	}
	if *server != "" {
		return rebuildOnServer(ctx, e, *server, *tokenFile, *caFile, names, *every)
	}
	a, err := openApp(ctx, cfg, newLogger(cfg.logFormat, e.stderr), true)
	if domain.ErrorCode(err) == domain.EConflict {
		// The data folder's lock: a carecost serves it.
		return domain.Errorf(domain.EConflict, "%s; to rebuild a projection while carecost serves, run carecost rebuild NAME --server URL with an API token of the operations role in %s or --token-file",
			domain.ErrorMessage(err), tokenEnv)
	}
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.runner.Rebuild(ctx, names...); err != nil {
		return stoppedErr(err)
	}
	fmt.Fprintf(e.stdout, "rebuilt %s\n", strings.Join(orAll(names, a.runner.Projections()), ", "))
	return nil
}

// namesAndFlags parses args with fs, flags before and after the names
// (carecost rebuild estimates --server URL), and returns the names.
func namesAndFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr(err)
		}
		if fs.NArg() == 0 {
			return names, nil
		}
		names, args = append(names, fs.Arg(0)), fs.Args()[1:]
	}
}

// stoppedErr adds what to do to the error of stopped projections.
func stoppedErr(err error) error {
	if !errors.Is(err, projections.ErrStopped) {
		return err
	}
	return domain.Errorf(domain.EUnavailable, "%s; skip such an event with carecost projections skip NAME --position N --reason TEXT, or run a build that applies it",
		domain.ErrorMessage(err))
}

func orAll(named, all []string) []string {
	if len(named) == 0 {
		return all
	}
	return named
}

func runBackup(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	to := fs.String("to", "", "backup `file` to write (must not exist)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return domain.Invalidf("--to", "name the backup file to write")
	}
	if _, err := os.Stat(*to); err == nil {
		return domain.Invalidf("--to", "%s exists; choose a new file", *to)
	}
	if err := cfg.checkStore(); err != nil {
		return err
	}
	path, err := cfg.storePath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return domain.Invalidf("--data", "there is no event log at %s", path)
	}
	store, err := sqlite.Open(path, cfg.sqliteOptions()...)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, *to); err != nil {
		return err
	}
	head, _ := store.Head(ctx)
	fmt.Fprintf(e.stdout, "backed up the event log up to position %s to %s\n", head, *to)
	// serve shows the time as carecost_backup_last_success_timestamp_seconds.
	if err := noteBackup(cfg.data, time.Now()); err != nil {
		fmt.Fprintf(e.stderr, "carecost: the backup is written, but its time could not be noted in the data folder: %v\n", err)
	}
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	from := fs.String("from", "", "backup `file` written by carecost backup")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return domain.Invalidf("--from", "name the backup file to restore")
	}
	if err := cfg.checkStore(); err != nil {
		return err
	}
	// The backup is read, never written: no file is made where there is
	// none, and the file given stays as it is.
	info, err := os.Stat(*from)
	switch {
	case err != nil:
		return domain.Invalidf("--from", "there is no backup file at %s", *from)
	case !info.Mode().IsRegular():
		return domain.Invalidf("--from", "%s is not a file", *from)
	case info.Size() == 0:
		return domain.Invalidf("--from", "%s is empty: not a backup of an event log", *from)
	}
	head, ok, err := sqlite.LogHead(*from)
	if err != nil || !ok {
		return domain.Invalidf("--from", "%s is not a backup of a carecost event log", *from)
	}
	path, err := cfg.storePath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.data, 0o750); err != nil {
		return err
	}
	lock, err := lockFor(cfg.data, path)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := replaceLog(*from, path, cfg.readModelPath()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored the event log up to position %s; the read models are rebuilt at the next start\n", head)
	return nil
}

// replaceLog copies the backup over the log (keeping the old log beside it)
// and removes the read models, which the next start rebuilds.
func replaceLog(from, path, readModel string) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(path + suffix)
		os.Remove(readModel + suffix)
	}
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, keptName(path)); err != nil {
			return err
		}
	}
	if err := copyFile(from, path); err != nil {
		return err
	}
	if err := os.Remove(readModel); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// keptName is where a restore keeps the log it replaces:
// PATH.before-restore, or PATH.before-restore-2, -3, ... when an earlier
// restore kept one there already (none is ever overwritten).
func keptName(path string) string {
	name := path + ".before-restore"
	for n := 2; ; n++ {
		if _, err := os.Stat(name); os.IsNotExist(err) {
			return name
		}
		name = fmt.Sprintf("%s.before-restore-%d", path, n)
	}
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+".restoring")
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, to)
}
