package transport

import (
	"errors"
	"net"
	"testing"
)

// A connection that could not be made was never sent, so a POST may be
// retried; a reset after it went out may have been processed.
func TestNotSent(t *testing.T) {
	_, err := net.Dial("tcp", "127.0.0.1:1")
	if err == nil || !notSent(err) {
		t.Fatalf("dial error %v not seen as not sent", err)
	}
	if notSent(&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}) {
		t.Error("a reset counted as not sent")
	}
	if MaybeProcessed(&NetworkError{Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}) {
		t.Error("a refused connection counted as maybe processed")
	}
}
