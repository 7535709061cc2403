package client

import (
	"encoding/json"
	"fmt"
	"strings"
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
	if err := json.Unmarshal(body, e); err != nil || !e.hasAPIFields() {
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
