package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

func testReopen(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	a, b := f.stream("a"), f.stream("b")
	evs := f.events(4)
	evs[1].Metadata = nil
	evs[2].Data = fmt.Appendf(nil, `{"text":%q}`, strings.Repeat("x", 60000))
	f.mustAppend(a, domain.NoStream, evs[:2]...)
	f.mustAppend(b, domain.NoStream, evs[2])
	last := f.mustAppend(a, domain.ExactVersion(1), evs[3])
	before := f.mustReadAll(domain.ReadAllOptions{After: head})

	f.restart()
	checkSameEvents(t, f.mustReadAll(domain.ReadAllOptions{After: head}), before)
	if got := f.mustHead(); got != last.Position {
		t.Errorf("head after reopen: got %v, want %v", got, last.Position)
	}
	checkStream(t, f.mustReadStream(a, domain.ReadStreamOptions{}), a, 0, []domain.EventData{evs[0], evs[1], evs[3]})
	if _, err := f.s.Append(f.ctx, a, domain.ExactVersion(1), f.events(1)...); !errors.Is(err, domain.ErrConcurrency) {
		t.Errorf("stale version after reopen: got error %v, want ErrConcurrency", err)
	}
	if res := f.mustAppend(a, domain.ExactVersion(2), f.events(1)...); res.Version != 3 || !last.Position.Less(res.Position) {
		t.Errorf("append after reopen: got version %d at %v, want 3 after %v", res.Version, res.Position, last.Position)
	}
	if res := f.mustAppend(b, domain.NoStream, evs[2]); res.Position != before[2].Position {
		t.Errorf("repeated append after reopen: got %v, want the first position %v", res.Position, before[2].Position)
	}
}

func testClosed(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	stream := f.stream("closed")
	f.mustAppend(stream, domain.NoStream, f.events(2)...)
	sub := f.mustSubscribe(head)
	f.close()

	ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
	defer cancel()
	_, errAppend := f.s.Append(ctx, stream, domain.AnyVersion, f.events(1)...)
	_, errStream := f.s.ReadStream(ctx, stream, domain.ReadStreamOptions{})
	_, errAll := f.s.ReadAll(ctx, domain.ReadAllOptions{})
	_, errSub := f.s.Subscribe(ctx, domain.Position{})
	_, errHead := f.s.Head(ctx)
	_, errNext := sub.Next(ctx)
	for _, c := range []struct {
		call string
		err  error
	}{
		{"Append", errAppend}, {"ReadStream", errStream}, {"ReadAll", errAll},
		{"Subscribe", errSub}, {"Head", errHead}, {"Next of an open subscription", errNext},
	} {
		if !errors.Is(c.err, domain.ErrClosed) {
			t.Errorf("%s after Close: got error %v, want ErrClosed", c.call, c.err)
		}
	}
}
