package transport

import "net/http"

// The test seams of the transport.

// MaxBodyExcerpt bounds how much of an unexpected body an error repeats.
const MaxBodyExcerpt = maxBodyExcerpt

// DecodeAnswer turns a whole answer into a value or an error, as every
// attempt does.
func DecodeAnswer[T any](method, path string, status int, h http.Header, body []byte, decode func([]byte) (*T, error)) (*T, error) {
	return decodeAnswer(method, path, status, h, body, decode)
}

// HasAPIFields says whether the answer had the API's error shape.
func (e *APIError) HasAPIFields() bool { return e.hasAPIFields() }
