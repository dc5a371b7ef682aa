package esdb

import (
	"reflect"
	"time"
	"unsafe"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// release answers, in place of a client that closed itself for good, the
// calls that were waiting for it (see Store.failed).
//
// The client (v4.1.0) hands out its connection from one goroutine, over an
// unbuffered channel. When it cannot connect (the server down at its first
// call, or still down when it reconnects after an outage), that goroutine
// ends; a call that sent its request a moment before (all those made
// during the second the client spent trying to connect) waits for an answer
// forever, whatever its deadline, and with it whatever it holds. Closing the
// client does free them, by a panic in each, racing with their sends. So
// release receives from the channel in the ended goroutine's place:
// a request for the connection is answered with errClientGone, a request to
// reconnect is dropped. It stops when nothing has come for a while (a call
// that finds the client closed returns without sending) or when done ends.
//
// The channel and the answer are unexported fields of the client; release
// reaches them by reflection, and does nothing if they are not what it
// expects (TestOutageUnderConcurrentCalls fails then).
func release(c *kdb.Client, done <-chan struct{}, idle time.Duration) {
	ch, ok := requests(c)
	if !ok {
		return
	}
	timer := time.NewTimer(idle)
	defer timer.Stop()
	recv := []reflect.SelectCase{
		{Dir: reflect.SelectRecv, Chan: ch},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(done)},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(timer.C)},
	}
	for {
		chosen, m, ok := reflect.Select(recv)
		if chosen != 0 || !ok {
			return
		}
		answer(m)
		timer.Reset(idle)
	}
}

// requests returns the channel c's connection goroutine receives from.
func requests(c *kdb.Client) (reflect.Value, bool) {
	v := reflect.ValueOf(c).Elem().FieldByName("grpcClient")
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return reflect.Value{}, false
	}
	ch := v.Elem().FieldByName("channel")
	if !ch.IsValid() || ch.Kind() != reflect.Chan {
		return reflect.Value{}, false
	}
	return exported(ch), true
}

// answer answers a request for the connection (a struct whose field
// "channel" takes a handle with an "err") with errClientGone.
func answer(m reflect.Value) {
	if m.Kind() == reflect.Interface {
		m = m.Elem()
	}
	if m.Kind() != reflect.Struct {
		return
	}
	msg := reflect.New(m.Type()).Elem()
	msg.Set(m)
	reply := msg.FieldByName("channel")
	if !reply.IsValid() || reply.Kind() != reflect.Chan || reply.Type().Elem().Kind() != reflect.Struct {
		return // a request to reconnect: nothing to answer
	}
	reply = exported(reply)
	handle := reflect.New(reply.Type().Elem()).Elem()
	errField := handle.FieldByName("err")
	if !errField.IsValid() || !reflect.TypeOf(errClientGone).AssignableTo(errField.Type()) {
		reply.Close() // the caller reads a zero handle; better than waiting forever
		return
	}
	exported(errField).Set(reflect.ValueOf(errClientGone))
	reply.Send(handle)
	reply.Close()
}

// exported returns an addressable field as a value that may be used.
func exported(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
