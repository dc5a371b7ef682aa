package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// serve starts carecost serve in dir with the walk-through's flags on a
// free port of 127.0.0.1, and waits until it serves and is ready; it
// returns what carecost printed until then. carecost is killed when the
// test ends.
func (w *walk) serve(dir string, args []string) (string, error) {
	log, err := os.Create(filepath.Join(w.files, "carecost.log"))
	if err != nil {
		return "", err
	}
	w.t.Cleanup(func() { log.Close() })
	cmd := exec.Command(w.bin, append(append([]string{"serve"}, args...), "--addr", "127.0.0.1:0")...)
	cmd.Dir, cmd.Env, cmd.Stderr = dir, w.env, log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	w.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	type started struct{ addr, printed string }
	up := make(chan started, 1)
	go func() {
		var printed strings.Builder
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			printed.WriteString(lines.Text() + "\n")
			if a, ok := strings.CutPrefix(lines.Text(), "carecost serving on http://"); ok {
				up <- started{a, printed.String()}
			}
		}
		close(up)
	}()
	select {
	case s, ok := <-up:
		if !ok {
			cmd.Wait()
			data, _ := os.ReadFile(log.Name())
			return "", fmt.Errorf("carecost stopped before it served (%v); its log:\n%s", cmd.ProcessState, data)
		}
		w.addr = s.addr
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return s.printed, waitReady(ctx, "http://"+s.addr)
	case <-time.After(60 * time.Second):
		data, _ := os.ReadFile(log.Name())
		return "", fmt.Errorf("carecost did not start; its log:\n%s", data)
	}
}

// walkEnv is the environment of the walk-through's commands: the test's,
// with the built carecost first on PATH, a home of their own (no shell or
// curl settings of the machine's user), no CARECOST_ settings and no proxy
// for 127.0.0.1.
func walkEnv(bin, home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "CARECOST_"), strings.EqualFold(name, "no_proxy"):
		case name == "HOME", name == "PATH", name == "BASH_ENV", name == "ENV", name == "CDPATH", name == "CURL_HOME", name == "XDG_CONFIG_HOME":
		default:
			env = append(env, kv)
		}
	}
	path := filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")
	return append(env, "HOME="+home, "PATH="+path, "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
}
