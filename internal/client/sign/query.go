package sign

import "strings"

// Query is an ordered list of query parameters. A key may repeat, as the API's
// array filters want (desktop_ids=a&desktop_ids=b).
type Query []QueryParam

// QueryParam is one key=value pair of a Query.
type QueryParam struct{ Key, Value string }

// Add appends key=value once per value.
func (q *Query) Add(key string, values ...string) {
	for _, v := range values {
		*q = append(*q, QueryParam{key, v})
	}
}

// Encode writes the query for the wire, every key and value escaped as the signer
// escapes them.
func (q Query) Encode() string {
	var b strings.Builder
	for i, p := range q {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(Escape(p.Key))
		b.WriteByte('=')
		b.WriteString(Escape(p.Value))
	}
	return b.String()
}
