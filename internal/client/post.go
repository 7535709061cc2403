package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Requests with a body (the Workspace batch POSTs) go through the same loop as
// GETs: signed anew for every attempt (the JSON body's hash included), the same
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
// and sending it again could act twice. The error says so (postNote).

// retryableAnswer says whether an answer with status is worth another attempt
// of this call.
func (k *call) retryableAnswer(status int) bool {
	if k.body != nil {
		return status == http.StatusTooManyRequests
	}
	return retryableStatus(status)
}

// retryableFailure says whether an attempt that got no answer is worth another
// attempt of this call.
func (k *call) retryableFailure(err error) bool {
	if k.body != nil {
		return notSent(err)
	}
	return retryableTransport(err)
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

// PostJSON sends a signed POST of in as JSON to endpoint+path, with
// X-Project-Id projectID when set, and decodes a 2xx JSON answer into a new T.
// It is retried only when the API surely did not process it (see above);
// errors are those of GETs: *APIError, *DecodeError, *TransportError,
// *RequestError, *WaitError.
func PostJSON[T any](ctx context.Context, c *Client, endpoint, path, projectID string, in any) (*T, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encoding the body of POST %s: %w", path, err)
	}
	return send(ctx, c, http.MethodPost, endpoint, path, nil, projectID, nil, body, decodeJSON[T], nil)
}

// MaybeProcessed says whether err is a failed POST that the API may
// nevertheless have carried out: a 5xx, or an attempt cut off after it was
// sent. Callers say so, so that the user checks before trying again.
func MaybeProcessed(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	var te *TransportError
	if errors.As(err, &te) {
		return !notSent(te.Err)
	}
	var be *BodyError
	var de *DecodeError
	return errors.As(err, &be) || errors.As(err, &de)
}
