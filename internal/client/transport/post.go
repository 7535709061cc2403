package transport

import (
	"errors"
	"net"
	"net/http"
)

// Requests with a body (the Workspace batch POSTs, PostJSON) go through the
// same loop as GETs: signed anew for every attempt (the JSON body's hash included), the same
// backoff, Retry-After, deadline, logging and errors. They are not idempotent:
// a batch-create sent twice takes two snapshots. So, as the official SDK does
// not retry POSTs on 5xx, such a request is retried only when it surely was not
// processed:
//
//   - HTTP 429: the gateway throttled it before it reached the API;
//   - a connection that could not be made (refused, DNS, a dial timeout): the
//     request was never sent.
//
// Everything else is returned at once: a 5xx, a reset or a timeout after the
// request went out, or a 2xx whose body broke off may each have been processed,
// and sending it again could act twice. MaybeProcessed tells such a failure,
// so that the caller can say so.

// postRules says whether this call is retried by the rules above: an API
// request with a body. A credential call's POST is not: it only creates a
// fresh short-lived token or temporary keys, so sending it again is safe, and
// it is retried as a GET is (credential.go).
func (k *call) postRules() bool {
	return k.body != nil && k.cred == nil
}

// retryableAnswer says whether an answer with status is worth another attempt
// of this call. A status a credential call accepts is an answer, never
// retried.
func (k *call) retryableAnswer(status int) bool {
	switch {
	case k.cred != nil && k.cred.accepts(status):
		return false
	case k.postRules():
		return status == http.StatusTooManyRequests
	}
	return retryableStatus(status)
}

// retryableFailure says whether an attempt that got no answer is worth another
// attempt of this call.
func (k *call) retryableFailure(err error) bool {
	switch {
	case k.postRules():
		return notSent(err)
	case k.cred != nil && k.cred.noAnswerIsFinal && noAnswer(err):
		return false
	}
	return retryableTransport(err)
}

// noAnswer says whether err is an attempt that never reached a server that
// answers: the connection could not be made, or nothing came back within the
// attempt's timeout. A connection reset or closed (EOF) after the request was
// sent is not: something is there, and it failed once.
func noAnswer(err error) bool {
	if notSent(err) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// notSent says whether err happened before the request could be written: the
// connection was never made.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// MaybeProcessed says whether err is a failed POST that the API may
// nevertheless have carried out: a 5xx, or an attempt cut off after it was
// sent. Callers say so, so that the user checks before trying again.
func MaybeProcessed(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	var te *NetworkError
	if errors.As(err, &te) {
		return !notSent(te.Err)
	}
	var be *BodyError
	var de *DecodeError
	return errors.As(err, &be) || errors.As(err, &de)
}
