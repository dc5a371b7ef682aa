package main

import (
	"fmt"
	"strings"
	"testing"
)

// walkHeading begins the walk-through's section of docs/api.md; the section
// ends at the next heading of the same level.
const walkHeading = "## Walk-through"

// walkAddr is the address the walk-through names, carecost's default; the
// test serves on a free port and puts its address in place of this one.
const walkAddr = "127.0.0.1:8080"

// walkStep is one shell block of the walk-through with the answers shown
// after it.
type walkStep struct {
	line    int      // where the block starts in the document
	script  string   // the block's text
	answers []string // the json and text blocks after it, before the next shell block
	serve   []string // for a block that is `carecost serve ARGS`: the ARGS
}

// readWalkThrough returns the steps of the walk-through in doc: its fenced
// sh blocks in order, each with the answer blocks (json, text) that follow
// it. A block of another language in the section is an error, so the test
// runs exactly what a reader sees.
func readWalkThrough(doc string) ([]walkStep, error) {
	var steps []walkStep
	in, fence, start := false, "", 0
	var body []string
	for i, line := range strings.Split(doc, "\n") {
		switch {
		case !in && strings.HasPrefix(line, walkHeading):
			in = true
		case !in:
		case fence == "" && strings.HasPrefix(line, "## "):
			in = false
		case fence == "" && strings.HasPrefix(line, "```"):
			fence, start, body = strings.TrimPrefix(line, "```"), i+1, nil
		case fence != "" && line == "```":
			text := strings.Join(body, "\n") + "\n"
			switch fence {
			case "sh":
				steps = append(steps, walkStep{line: start, script: text, serve: serveArgs(text)})
			case "json", "text":
				if len(steps) == 0 {
					return nil, fmt.Errorf("line %d: an answer before any shell block", start)
				}
				steps[len(steps)-1].answers = append(steps[len(steps)-1].answers, text)
			default:
				return nil, fmt.Errorf("line %d: a %q block in the walk-through (sh, json or text only)", start, fence)
			}
			fence = ""
		case fence != "":
			body = append(body, line)
		}
	}
	if fence != "" {
		return nil, fmt.Errorf("line %d: a block that does not end", start)
	}
	return steps, nil
}

// serveArgs returns the flags of a block that is one `carecost serve`
// command, else nil.
func serveArgs(script string) []string {
	f := strings.Fields(script)
	if len(f) < 2 || f[0] != "carecost" || f[1] != "serve" || strings.Count(strings.TrimSpace(script), "\n") > 0 {
		return nil
	}
	return append([]string{}, f[2:]...)
}

// lacking returns the first part of a shown answer that output lacks, or ""
// when output holds every part in order. An answer's parts are its lines,
// trimmed, each cut at "..." (which stands for what the answer leaves out);
// commas at a part's ends are left out, as "...," may stand for nothing.
func lacking(output, shown string) string {
	at := 0
	for _, line := range strings.Split(shown, "\n") {
		for _, part := range strings.Split(strings.TrimSpace(line), "...") {
			if part = strings.Trim(part, ","); part == "" {
				continue
			}
			i := strings.Index(output[at:], part)
			if i < 0 {
				return part
			}
			at += i + len(part)
		}
	}
	return ""
}

// An answer is found in order, with anything where it says "..." and
// between its lines; a part missing or out of order is named.
func TestShownAnswers(t *testing.T) {
	out := `{"id":"e1","status":"draft","monthly":{"client_fee":"297.27"},"version":1}` + "\nETag: \"6\"\n"
	for shown, want := range map[string]string{
		`{"id":"...","status":"draft",...,"monthly":{"client_fee":"297.27"},...}`: "",
		"{\"id\":\"...\",\"status\":\"draft\",...\n\"version\":1}\nETag: \"6\"":   "",
		`{"id":"...","status":"decided",...}`:                                     `","status":"decided"`,
		`..."version":1,...,"status":"draft"`:                                     `"status":"draft"`,
		`..."monthly":{"client_fee":"297.72"}...`:                                 `"monthly":{"client_fee":"297.72"}`,
		"...": "",
	} {
		if got := lacking(out, shown); got != want {
			t.Errorf("lacking(%q) = %q, want %q", shown, got, want)
		}
	}
}

// The walk-through's blocks are read in order, with their answers; the
// serve block is told apart, and a block of another language is refused.
func TestReadWalkThrough(t *testing.T) {
	doc := "# API\n```sh\nnot this\n```\n## Walk-through: x\n```sh\necho a\n```\n\n```text\na\n```\n### 2\n```sh\ncarecost serve --demo\n```\n## Next\n```sh\nnot this\n```\n"
	steps, err := readWalkThrough(doc)
	if err != nil || len(steps) != 2 || steps[0].script != "echo a\n" || len(steps[0].answers) != 1 ||
		steps[0].serve != nil || strings.Join(steps[1].serve, " ") != "--demo" || steps[1].line != 14 {
		t.Fatalf("steps %+v, %v", steps, err)
	}
	if _, err := readWalkThrough("## Walk-through\n```go\nx\n```\n"); err == nil {
		t.Error("a go block in the walk-through was taken")
	}
}
