package esdbtest

import (
	"encoding/binary"
	"errors"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Append takes the options, then the proposed events until the client closes
// its side, and answers once.
func (s *Server) Append(srv api.Streams_AppendServer) error {
	req, err := srv.Recv()
	if err != nil {
		return err
	}
	opts := req.GetOptions()
	if opts == nil {
		return status.Error(codes.InvalidArgument, "append: the first message must carry the options")
	}
	var evs []proposed
	for {
		req, err := srv.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		m := req.GetProposedMessage()
		if m == nil {
			return status.Error(codes.InvalidArgument, "append: expected a proposed message")
		}
		id, err := uuidFromProto(m.GetId())
		if err != nil {
			return status.Error(codes.InvalidArgument, "append: "+err.Error())
		}
		evs = append(evs, proposed{id: id, typ: m.GetMetadata()["type"], contentType: m.GetMetadata()["content-type"], data: m.GetData(), meta: m.GetCustomMetadata()})
	}
	if len(evs) == 0 {
		return status.Error(codes.InvalidArgument, "append: no events")
	}
	return srv.SendAndClose(s.appendEvents(string(opts.GetStreamIdentifier().GetStreamName()), opts, evs))
}

func (s *Server) appendEvents(stream string, opts *api.AppendReq_Options, evs []proposed) *api.AppendResp {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := s.streams[stream]
	// Idempotency: the same ids again, in the same stream one after the
	// other, answer with the first append's result; ids taken otherwise are
	// a conflict.
	if i, ok := s.ids[evs[0].id]; ok {
		first := s.log[i]
		for k, p := range evs {
			j, ok := s.ids[p.id]
			if !ok || s.log[j].Stream != stream || s.log[j].Revision != first.Revision+uint64(k) {
				return wrongVersion(opts, held)
			}
		}
		return success(s.log[s.ids[evs[len(evs)-1].id]])
	}
	for _, p := range evs[1:] {
		if _, ok := s.ids[p.id]; ok {
			return wrongVersion(opts, held)
		}
	}
	cur := int64(len(held)) - 1
	ok := false
	switch opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Any:
		ok = true
	case *api.AppendReq_Options_NoStream:
		ok = cur == -1
	case *api.AppendReq_Options_StreamExists:
		ok = cur >= 0
	case *api.AppendReq_Options_Revision:
		ok = cur >= 0 && uint64(cur) == opts.GetRevision()
	}
	if !ok {
		return wrongVersion(opts, held)
	}
	last := s.write(stream, evs)
	s.writeNoise()
	return success(last)
}

func success(last *Event) *api.AppendResp {
	return &api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: last.Revision},
		PositionOption: &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
			CommitPosition: last.Position.Commit, PreparePosition: last.Position.Prepare,
		}},
	}}}
}

func wrongVersion(opts *api.AppendReq_Options, held []int) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{}
	if len(held) == 0 {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
	} else {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: uint64(len(held) - 1)}
	}
	switch opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Any:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
	case *api.AppendReq_Options_NoStream:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
	case *api.AppendReq_Options_StreamExists:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
	default:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: opts.GetRevision()}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}

// Read serves reads of a stream or of $all, and subscriptions to $all.
func (s *Server) Read(req *api.ReadReq, srv api.Streams_ReadServer) error {
	o := req.GetOptions()
	if o.GetSubscription() != nil {
		if o.GetAll() == nil {
			return status.Error(codes.Unimplemented, "esdbtest: only $all subscriptions are served")
		}
		return s.subscribeAll(o, srv)
	}
	backwards := o.GetReadDirection() == api.ReadReq_Options_Backwards
	count := o.GetCount()
	var evs []*Event
	if so := o.GetStream(); so != nil {
		name := string(so.GetStreamIdentifier().GetStreamName())
		var found bool
		evs, found = s.readStream(name, so, backwards, count)
		if !found {
			return srv.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{StreamNotFound: &api.ReadResp_StreamNotFound{
				StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(name)},
			}}})
		}
	} else if ao := o.GetAll(); ao != nil {
		evs = s.readAll(ao, backwards, count)
	} else {
		return status.Error(codes.InvalidArgument, "read: neither a stream nor $all")
	}
	for _, e := range evs {
		if err := srv.Send(eventResp(e)); err != nil {
			return err
		}
		s.sent.Add(1)
	}
	return nil
}

func (s *Server) readStream(name string, so *api.ReadReq_Options_StreamOptions, backwards bool, count uint64) ([]*Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := s.streams[name]
	if len(held) == 0 {
		return nil, false
	}
	var out []*Event
	if !backwards {
		from := uint64(0)
		switch {
		case so.GetEnd() != nil:
			from = uint64(len(held))
		case so.GetStart() == nil:
			from = so.GetRevision()
		}
		for r := from; r < uint64(len(held)) && uint64(len(out)) < count; r++ {
			out = append(out, s.log[held[r]])
		}
		return out, true
	}
	from := int64(len(held)) - 1
	switch {
	case so.GetStart() != nil:
		from = -1
	case so.GetEnd() == nil:
		from = min(from, int64(so.GetRevision()))
	}
	for r := from; r >= 0 && uint64(len(out)) < count; r-- {
		out = append(out, s.log[held[r]])
	}
	return out, true
}

// readAll reads $all: forwards from a position includes the event there,
// backwards from a position starts with the event before it.
func (s *Server) readAll(ao *api.ReadReq_Options_AllOptions, backwards bool, count uint64) []*Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Event
	if !backwards {
		from := 0
		switch {
		case ao.GetEnd() != nil:
			from = len(s.log)
		case ao.GetPosition() != nil:
			from = s.firstAtOrAfter(posOf(ao.GetPosition()))
		}
		for i := from; i < len(s.log) && uint64(len(out)) < count; i++ {
			out = append(out, s.log[i])
		}
		return out
	}
	from := len(s.log) - 1
	switch {
	case ao.GetStart() != nil:
		from = -1
	case ao.GetPosition() != nil:
		from = s.firstAtOrAfter(posOf(ao.GetPosition())) - 1
	}
	for i := from; i >= 0 && uint64(len(out)) < count; i-- {
		out = append(out, s.log[i])
	}
	return out
}

// firstAtOrAfter returns the index of the first event at or after p; the
// caller holds s.mu.
func (s *Server) firstAtOrAfter(p Position) int {
	return sort.Search(len(s.log), func(i int) bool { return !s.log[i].Position.Less(p) })
}

func posOf(p *api.ReadReq_Options_Position) Position {
	return Position{Commit: p.GetCommitPosition(), Prepare: p.GetPreparePosition()}
}

// subscribeAll confirms the subscription, sends the matching events after
// the start position, then live ones, until the client goes away or the
// server stops. When the filter skips a whole window of events it sends a
// checkpoint at the last one it skipped.
func (s *Server) subscribeAll(o *api.ReadReq_Options, srv api.Streams_ReadServer) error {
	match, window, err := filterOf(o)
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	ao := o.GetAll()
	s.mu.Lock()
	s.filters = append(s.filters, describe(o.GetFilter()))
	next, start := 0, Position{}
	switch {
	case ao.GetEnd() != nil:
		next = len(s.log)
	case ao.GetPosition() != nil:
		p := posOf(ao.GetPosition())
		start = p
		next = s.firstAtOrAfter(p)
		if next < len(s.log) && s.log[next].Position == p {
			next++ // a subscription starts after its position
		}
	}
	s.starts = append(s.starts, start)
	s.mu.Unlock()
	if err := srv.Send(&api.ReadResp{Content: &api.ReadResp_Confirmation{Confirmation: &api.ReadResp_SubscriptionConfirmation{
		SubscriptionId: uuid.NewString(),
	}}}); err != nil {
		return err
	}
	skipped, caughtUp := 0, false
	for {
		s.mu.Lock()
		batch := s.log[next:len(s.log):len(s.log)]
		wake := s.changed
		s.mu.Unlock()
		for i, e := range batch {
			next++
			if match(e) {
				skipped = 0
				if err := srv.Send(eventResp(e)); err != nil {
					return err
				}
				continue
			}
			if skipped++; skipped >= window {
				skipped = 0
				at := e.Position
				if s.ahead && i+1 < len(batch) {
					at = batch[i+1].Position
				}
				if err := srv.Send(&api.ReadResp{Content: &api.ReadResp_Checkpoint_{Checkpoint: &api.ReadResp_Checkpoint{
					CommitPosition: at.Commit, PreparePosition: at.Prepare,
				}}}); err != nil {
					return err
				}
			}
		}
		if len(batch) > 0 {
			continue
		}
		if !caughtUp {
			caughtUp = true
			if err := srv.Send(&api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}}); err != nil {
				return err
			}
		}
		select {
		case <-wake:
		case <-srv.Context().Done():
			return srv.Context().Err()
		}
	}
}

// filterOf returns the subscription's filter and its checkpoint window (the
// number of skipped events after which a checkpoint is sent).
func filterOf(o *api.ReadReq_Options) (func(*Event) bool, int, error) {
	f := o.GetFilter()
	if f == nil {
		return func(*Event) bool { return true }, 1 << 30, nil
	}
	expr, field := f.GetEventType(), func(e *Event) string { return e.Type }
	if expr == nil {
		expr, field = f.GetStreamIdentifier(), func(e *Event) string { return e.Stream }
	}
	window := int(f.GetMax())
	if window <= 0 {
		window = 32
	}
	window *= max(1, int(f.GetCheckpointIntervalMultiplier()))
	if re := expr.GetRegex(); re != "" {
		rx, err := regexp.Compile(re)
		if err != nil {
			return nil, 0, err
		}
		return func(e *Event) bool { return rx.MatchString(field(e)) }, window, nil
	}
	prefixes := expr.GetPrefix()
	return func(e *Event) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(field(e), p) {
				return true
			}
		}
		return false
	}, window, nil
}

func describe(f *api.ReadReq_Options_FilterOptions) string {
	expr := f.GetEventType()
	if expr == nil {
		expr = f.GetStreamIdentifier()
	}
	switch {
	case expr == nil:
		return "none"
	case expr.GetRegex() != "":
		return "regex:" + expr.GetRegex()
	}
	return "prefix:" + strings.Join(expr.GetPrefix(), ",")
}

func eventResp(e *Event) *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event: &api.ReadResp_ReadEvent_RecordedEvent{
			Id:               uuidToProto(e.ID),
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(e.Stream)},
			StreamRevision:   e.Revision,
			PreparePosition:  e.Position.Prepare,
			CommitPosition:   e.Position.Commit,
			Metadata:         map[string]string{"type": e.Type, "content-type": e.ContentType, "created": ticks(e.Created)},
			CustomMetadata:   e.Metadata,
			Data:             e.Data,
		},
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: e.Position.Commit},
	}}}
}

func uuidFromProto(id *shared.UUID) (uuid.UUID, error) {
	if st := id.GetStructured(); st != nil {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], uint64(st.GetMostSignificantBits()))
		binary.BigEndian.PutUint64(b[8:], uint64(st.GetLeastSignificantBits()))
		return uuid.UUID(b), nil
	}
	return uuid.Parse(id.GetString_())
}

func uuidToProto(id uuid.UUID) *shared.UUID {
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(id[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(id[8:])),
	}}}
}
