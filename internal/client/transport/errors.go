package transport

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// maxBodyExcerpt bounds how much of an unexpected body an error repeats.
const maxBodyExcerpt = 512

// APIError is a non-2xx answer of a Huawei Cloud API or of the gateway before it.
// It carries everything support needs: the HTTP status, the API's error_code,
// error_msg, error_detail and encoded_authorization_message, and the request id.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	RequestID  string

	ErrorCode                   string `json:"error_code"`
	ErrorMsg                    string `json:"error_msg"`
	ErrorDetail                 string `json:"error_detail"`
	EncodedAuthorizationMessage string `json:"encoded_authorization_message"`

	// BodyExcerpt is set when the body was not the API's JSON error shape (an HTML
	// page from a proxy, say): its first bytes, so it is reported, not mis-parsed.
	BodyExcerpt string
	ContentType string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, ", error_code %q", e.ErrorCode)
	}
	if e.ErrorMsg != "" {
		fmt.Fprintf(&b, ", error_msg %q", e.ErrorMsg)
	}
	if e.ErrorDetail != "" {
		fmt.Fprintf(&b, ", error_detail %q", e.ErrorDetail)
	}
	if e.EncodedAuthorizationMessage != "" {
		fmt.Fprintf(&b, ", encoded_authorization_message %q (decode it with the STS decode-authorization-message API)", e.EncodedAuthorizationMessage)
	}
	if e.BodyExcerpt != "" {
		fmt.Fprintf(&b, ", non-JSON body (Content-Type %q): %q", e.ContentType, e.BodyExcerpt)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", request id %s", e.RequestID)
	} else {
		b.WriteString(", no X-Request-Id header")
	}
	return b.String()
}

// newAPIError decodes the API's error shape from body, or keeps an excerpt of a
// body that is not that shape.
func newAPIError(method, path string, status int, requestID, contentType string, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, RequestID: requestID}
	err := json.Unmarshal(body, e)
	if err == nil {
		// A gateway may put anything in these; a diagnostic repeats at most an
		// excerpt of each, and a field of nothing but spaces is no field.
		for _, f := range []*string{&e.ErrorCode, &e.ErrorMsg, &e.ErrorDetail, &e.EncodedAuthorizationMessage} {
			*f = excerpt([]byte(*f))
		}
	}
	if err != nil || !e.hasAPIFields() {
		e.ErrorCode, e.ErrorMsg, e.ErrorDetail, e.EncodedAuthorizationMessage = "", "", "", ""
		e.ContentType = contentType
		e.BodyExcerpt = excerpt(body)
		if e.BodyExcerpt == "" {
			e.BodyExcerpt = "(empty)"
		}
	}
	return e
}

func (e *APIError) hasAPIFields() bool {
	return e.ErrorCode != "" || e.ErrorMsg != "" || e.ErrorDetail != "" || e.EncodedAuthorizationMessage != ""
}

// DecodeError is a 2xx answer whose body is not the JSON the API documents.
type DecodeError struct {
	Method      string
	Path        string
	StatusCode  int
	RequestID   string
	ContentType string
	BodyExcerpt string
	Err         error
}

func (e *DecodeError) Error() string {
	rid := e.RequestID
	if rid == "" {
		rid = "none"
	}
	return fmt.Sprintf("%s %s: HTTP %d with a body that is not the expected JSON (%v; Content-Type %q; request id %s): %q",
		e.Method, e.Path, e.StatusCode, e.Err, e.ContentType, rid, e.BodyExcerpt)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// excerpt returns at most maxBodyExcerpt bytes of body, cut on a rune boundary,
// with its surrounding white space removed.
func excerpt(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) <= maxBodyExcerpt {
		return s
	}
	cut := maxBodyExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// NetworkError is an attempt that got no answer: refused, reset, timed out.
type NetworkError struct {
	Method string
	Path   string
	Note   string
	Err    error
}

func (e *NetworkError) Error() string {
	if e.Note != "" {
		return fmt.Sprintf("%s %s: %s: %v", e.Method, e.Path, e.Note, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// BodyError is an answer whose body broke off: the connection closed or timed out
// before the last byte.
type BodyError struct {
	Method     string
	Path       string
	StatusCode int
	RequestID  string
	// Read is how many bytes came before the error.
	Read int
	Err  error
}

func (e *BodyError) Error() string {
	rid := e.RequestID
	if rid == "" {
		rid = "none"
	}
	return fmt.Sprintf("%s %s: HTTP %d, but the body broke off after %d bytes: %v (request id %s)", e.Method, e.Path, e.StatusCode, e.Read, e.Err, rid)
}

func (e *BodyError) Unwrap() error { return e.Err }

// RequestError is a request that failed after more than one attempt, or whose
// retries were cut short: Last is the last attempt's error.
type RequestError struct {
	Attempts int
	// Reason says why no further attempt was made, when it is not that the
	// last error is never retried.
	Reason string
	Last   error
}

func (e *RequestError) Error() string {
	plural := "s"
	if e.Attempts == 1 {
		plural = ""
	}
	if e.Reason == "" {
		return fmt.Sprintf("%v (after %d attempt%s)", e.Last, e.Attempts, plural)
	}
	return fmt.Sprintf("%v (gave up after %d attempt%s: %s)", e.Last, e.Attempts, plural, e.Reason)
}

func (e *RequestError) Unwrap() error { return e.Last }

// WaitError is a request whose context ended while it waited: for an answer, or
// between attempts.
type WaitError struct {
	Method, Path, Query string
	Attempt             int
	// Retrying is set when the context ended in the wait before a retry,
	// rather than while an attempt was out.
	Retrying bool
	Waited   time.Duration
	// Verb is "reached its deadline" or "was cancelled".
	Verb     string
	Previous error
	Err      error
}

func (e *WaitError) Error() string {
	var b strings.Builder
	target := e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	if e.Retrying {
		fmt.Fprintf(&b, "the read %s while waiting to retry %s %s after attempt %d failed: %v", e.Verb, e.Method, target, e.Attempt, e.Previous)
		return b.String()
	}
	fmt.Fprintf(&b, "the read %s while waiting for the answer to attempt %d of %s %s (%s after it was sent)", e.Verb, e.Attempt, e.Method, target, e.Waited.Round(time.Millisecond))
	if e.Previous != nil {
		fmt.Fprintf(&b, "; the attempt before it failed: %v", e.Previous)
	}
	return b.String()
}

func (e *WaitError) Unwrap() error { return e.Err }
