package listing

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// A page decoder without reflection, derived from an Object's field
// declarations. On two cores a 50,000-item listing was bound by
// encoding/json's reflection (about 10 ms a 1000-item page); this decoder walks
// the bytes once, matches keys through the declarations, and takes string
// values without escapes as substrings of one copy of the body, with their
// pointers from a few slabs a page rather than one allocation each.
//
// It accepts and rejects exactly what encoding/json.Unmarshal does into the
// equivalent tagged struct, and gives equal values (FuzzDecodePageMatchesJSON):
// the RFC 8259 grammar with encoding/json's nesting limit; keys unescaped, then
// matched exactly or, failing that, case-insensitively as encoding/json folds
// them, the last of duplicate keys winning; unknown keys skipped; null leaving a
// pointer nil and a slice nil; a type mismatch (a number into a string, 1.5 or
// 1e3 into an integer, ...) an error; invalid UTF-8 and lone surrogates in
// strings replaced with U+FFFD; an array decoded into the items reusing them as
// encoding/json reuses a slice's elements.

// maxNestingDepth is encoding/json's limit on nested arrays and objects.
const maxNestingDepth = 10000

// Page is one decoded page of a listing: the API's total_count (nil when absent) and
// the items.
type Page[T any] struct {
	TotalCount *int64
	Items      []T
}

// jsonError is a page that does not decode: bad JSON, or a value of the wrong
// type for its field.
type jsonError struct {
	Offset int
	Msg    string
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset) }

type decoder[T any] struct {
	obj      *Object[T]
	itemsKey string

	data  []byte
	s     string // data as a string: unescaped string values are substrings of it
	i     int
	depth int

	// slabs the fields' pointers point into; a slab is replaced, never grown,
	// so earlier pointers stay valid
	strs []string
	bs   []bool
	i64s []int64
	f64s []float64
}

const slabSize = 512

// DecodePage decodes one page of the listing: total_count and the items under
// ItemsKey, each field as Object declares it.
func (l *Listing[T]) DecodePage(body []byte) (*Page[T], error) {
	return decodePage(l.Object, l.ItemsKey, body)
}

// decodePage decodes a page whose items are under itemsKey.
func decodePage[T any](obj *Object[T], itemsKey string, body []byte) (*Page[T], error) {
	d := &decoder[T]{obj: obj, itemsKey: itemsKey, data: body}
	p := &Page[T]{}
	d.ws()
	if d.i >= len(d.data) {
		return nil, d.eof()
	}
	var err error
	switch c := d.data[d.i]; c {
	case '{':
		d.s = string(body)
		err = d.page(p)
	case 'n':
		err = d.literal("null")
	default:
		at := d.i
		if err = d.skip(); err == nil {
			err = &jsonError{at, "the answer is " + kindOf(c) + ", not an object"}
			if e := d.end(); e != nil {
				err = e
			}
			return nil, err
		}
	}
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// end checks that nothing but whitespace follows the top-level value.
func (d *decoder[T]) end() error {
	d.ws()
	if d.i < len(d.data) {
		return d.unexpected("after top-level value")
	}
	return nil
}

func kindOf(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a bool"
	case 'n':
		return "null"
	}
	return "a number"
}

func (d *decoder[T]) ws() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder[T]) eof() error {
	return &jsonError{len(d.data), "unexpected end of JSON input"}
}

func (d *decoder[T]) unexpected(context string) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	return &jsonError{d.i, fmt.Sprintf("invalid character %q %s", d.data[d.i], context)}
}

func (d *decoder[T]) typeError(at int, c byte, want string) error {
	return &jsonError{at, fmt.Sprintf("cannot decode %s into %s", kindOf(c), want)}
}

// enter and leave count the nesting of arrays and objects.
func (d *decoder[T]) enter() error {
	d.depth++
	if d.depth > maxNestingDepth {
		return &jsonError{d.i, "exceeded max depth"}
	}
	d.i++
	return nil
}

// members walks an object at d.i, calling member with each key (unescaped; it
// may alias d.data) once the value is next; member must consume the value.
func (d *decoder[T]) members(member func(key []byte) error) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.ws()
	if d.i < len(d.data) && d.data[d.i] == '}' {
		d.i++
		d.depth--
		return nil
	}
	for {
		if d.i >= len(d.data) || d.data[d.i] != '"' {
			return d.unexpected("looking for beginning of object key string")
		}
		key, err := d.key()
		if err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.data) || d.data[d.i] != ':' {
			return d.unexpected("after object key")
		}
		d.i++
		d.ws()
		if err := member(key); err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.data) {
			return d.eof()
		}
		switch d.data[d.i] {
		case ',':
			d.i++
			d.ws()
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return d.unexpected("after object key:value pair")
		}
	}
}

// elements walks an array at d.i, calling elem with each index once the value
// is next; elem must consume the value.
func (d *decoder[T]) elements(elem func(i int) error) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.ws()
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		d.depth--
		return nil
	}
	for n := 0; ; n++ {
		if err := elem(n); err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.data) {
			return d.eof()
		}
		switch d.data[d.i] {
		case ',':
			d.i++
			d.ws()
		case ']':
			d.i++
			d.depth--
			return nil
		default:
			return d.unexpected("after array element")
		}
	}
}

// page decodes the top-level object.
func (d *decoder[T]) page(p *Page[T]) error {
	return d.members(func(key []byte) error {
		switch {
		case matches(key, "total_count"):
			return d.int64Into(&p.TotalCount, "total_count")
		case matches(key, d.itemsKey):
			return d.items(&p.Items)
		default:
			return d.skip()
		}
	})
}

// matches tells whether a key names name, as encoding/json matches a key to a
// field: exactly, or equal once both are folded.
func matches(key []byte, name string) bool {
	return string(key) == name || string(foldName(key)) == string(foldName([]byte(name)))
}

// items decodes an array into *items as encoding/json decodes into a slice:
// null makes it nil; an array keeps the elements it overwrites, as
// encoding/json does for a key given twice.
func (d *decoder[T]) items(items *[]T) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	switch c := d.data[d.i]; c {
	case 'n':
		if err := d.literal("null"); err != nil {
			return err
		}
		*items = nil
		return nil
	case '[':
	default:
		at := d.i
		if err := d.skip(); err != nil {
			return err
		}
		return d.typeError(at, c, "the list of items")
	}
	s := *items
	if s == nil {
		s = make([]T, 0, PageLimit)
	}
	n := 0
	err := d.elements(func(i int) error {
		switch {
		case i < len(s):
		case i < cap(s):
			s = s[:i+1]
		default:
			var zero T
			s = append(s, zero)
		}
		n = i + 1
		return d.item(&s[i])
	})
	if err != nil {
		return err
	}
	if n == 0 {
		// encoding/json gives an empty list a new slice of no capacity, so a
		// later occurrence of the key starts from zeroed items, not from the
		// ones an earlier occurrence left in the backing array.
		*items = s[:0:0]
		return nil
	}
	*items = s[:n]
	return nil
}

// item decodes one element: an object into v, null leaving v as it is.
func (d *decoder[T]) item(v *T) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	switch c := d.data[d.i]; c {
	case 'n':
		return d.literal("null")
	case '{':
	default:
		at := d.i
		if err := d.skip(); err != nil {
			return err
		}
		return d.typeError(at, c, "an item")
	}
	next := 0 // pages list an item's fields in one order: try the one after the last first
	return d.members(func(key []byte) error {
		k := next
		if k >= len(d.obj.Fields) || d.obj.Fields[k].Name != string(key) {
			k = d.obj.field(key)
		}
		next = k + 1
		if k < 0 {
			return d.skip()
		}
		f := &d.obj.Fields[k]
		switch f.Kind {
		case KindString:
			return d.stringInto(f.str(v), f.Name)
		case KindBool:
			return d.boolInto(f.b(v), f.Name)
		case KindInt64:
			return d.int64Into(f.i64(v), f.Name)
		default:
			return d.float64Into(f.f64(v), f.Name)
		}
	})
}

func (d *decoder[T]) stringInto(p **string, name string) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	switch c := d.data[d.i]; c {
	case '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		if len(d.strs) == cap(d.strs) {
			d.strs = make([]string, 0, slabSize)
		}
		d.strs = append(d.strs, s)
		*p = &d.strs[len(d.strs)-1]
		return nil
	case 'n':
		*p = nil
		return d.literal("null")
	default:
		at := d.i
		if err := d.skip(); err != nil {
			return err
		}
		return d.typeError(at, c, name+", a string")
	}
}

func (d *decoder[T]) boolInto(p **bool, name string) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	var v bool
	switch c := d.data[d.i]; c {
	case 't':
		v = true
		if err := d.literal("true"); err != nil {
			return err
		}
	case 'f':
		if err := d.literal("false"); err != nil {
			return err
		}
	case 'n':
		*p = nil
		return d.literal("null")
	default:
		at := d.i
		if err := d.skip(); err != nil {
			return err
		}
		return d.typeError(at, c, name+", a bool")
	}
	if len(d.bs) == cap(d.bs) {
		d.bs = make([]bool, 0, slabSize)
	}
	d.bs = append(d.bs, v)
	*p = &d.bs[len(d.bs)-1]
	return nil
}

func (d *decoder[T]) int64Into(p **int64, name string) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	c := d.data[d.i]
	switch {
	case c == 'n':
		*p = nil
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
	default:
		at := d.i
		if err := d.skip(); err != nil {
			return err
		}
		return d.typeError(at, c, name+", an integer")
	}
	at := d.i
	lit, err := d.number()
	if err != nil {
		return err
	}
	v, ok := parseInt(lit)
	if !ok {
		return &jsonError{at, fmt.Sprintf("cannot decode the number %s into %s, an integer", lit, name)}
	}
	if len(d.i64s) == cap(d.i64s) {
		d.i64s = make([]int64, 0, slabSize)
	}
	d.i64s = append(d.i64s, v)
	*p = &d.i64s[len(d.i64s)-1]
	return nil
}

// parseInt is strconv.ParseInt(lit, 10, 64) without its allocations for the
// short literals pages hold.
func parseInt(lit []byte) (int64, bool) {
	digits := lit
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		v, err := strconv.ParseInt(string(lit), 10, 64)
		return v, err == nil
	}
	var v int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if len(digits) < len(lit) {
		v = -v
	}
	return v, true
}

func (d *decoder[T]) float64Into(p **float64, name string) error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	c := d.data[d.i]
	switch {
	case c == 'n':
		*p = nil
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
	default:
		at := d.i
		if err := d.skip(); err != nil {
			return err
		}
		return d.typeError(at, c, name+", a number")
	}
	at := d.i
	lit, err := d.number()
	if err != nil {
		return err
	}
	v, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		return &jsonError{at, fmt.Sprintf("cannot decode the number %s into %s, a float64", lit, name)}
	}
	if len(d.f64s) == cap(d.f64s) {
		d.f64s = make([]float64, 0, slabSize)
	}
	d.f64s = append(d.f64s, v)
	*p = &d.f64s[len(d.f64s)-1]
	return nil
}

// skip consumes one value of any kind, checking its syntax.
func (d *decoder[T]) skip() error {
	if d.i >= len(d.data) {
		return d.eof()
	}
	switch c := d.data[d.i]; {
	case c == '{':
		return d.members(func([]byte) error { return d.skip() })
	case c == '[':
		return d.elements(func(int) error { return d.skip() })
	case c == '"':
		_, _, _, err := d.scanString()
		return err
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		_, err := d.number()
		return err
	default:
		return d.unexpected("looking for beginning of value")
	}
}

func (d *decoder[T]) literal(lit string) error {
	for j := 0; j < len(lit); j++ {
		if d.i >= len(d.data) {
			return d.eof()
		}
		if d.data[d.i] != lit[j] {
			return d.unexpected("in literal " + lit)
		}
		d.i++
	}
	return nil
}

// number consumes a number and returns its literal.
func (d *decoder[T]) number() ([]byte, error) {
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.data[d.i] == '-' {
		d.i++
	}
	if d.i >= len(d.data) {
		return nil, d.eof()
	}
	switch c := d.data[d.i]; {
	case c == '0':
		d.i++
	case '1' <= c && c <= '9':
		digits()
	default:
		return nil, d.unexpected("in numeric literal")
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return nil, d.unexpected("after decimal point in numeric literal")
		}
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return nil, d.unexpected("in exponent of numeric literal")
		}
	}
	return d.data[start:d.i], nil
}

// scanString consumes a string at d.i and returns where its contents are and
// whether they must be unescaped (escapes, or bytes that are not valid UTF-8).
func (d *decoder[T]) scanString() (start, end int, slow bool, err error) {
	d.i++ // the opening quote
	start = d.i
	nonASCII := false
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			end = d.i
			d.i++
			if nonASCII && !slow && !utf8.Valid(d.data[start:end]) {
				slow = true
			}
			return start, end, slow, nil
		case c == '\\':
			slow = true
			d.i++
			if d.i >= len(d.data) {
				return 0, 0, false, d.eof()
			}
			switch d.data[d.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.i++
			case 'u':
				d.i++
				for range 4 {
					if d.i >= len(d.data) {
						return 0, 0, false, d.eof()
					}
					if !isHex(d.data[d.i]) {
						return 0, 0, false, d.unexpected("in \\u hexadecimal character escape")
					}
					d.i++
				}
			default:
				return 0, 0, false, d.unexpected("in string escape code")
			}
		case c < 0x20:
			return 0, 0, false, d.unexpected("in string literal")
		default:
			if c >= utf8.RuneSelf {
				nonASCII = true
			}
			d.i++
		}
	}
	return 0, 0, false, d.eof()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// str consumes a string value.
func (d *decoder[T]) str() (string, error) {
	start, end, slow, err := d.scanString()
	if err != nil {
		return "", err
	}
	if !slow {
		return d.s[start:end], nil
	}
	return string(unquote(d.data[start:end])), nil
}

// key consumes an object key.
func (d *decoder[T]) key() ([]byte, error) {
	start, end, slow, err := d.scanString()
	if err != nil {
		return nil, err
	}
	if !slow {
		return d.data[start:end], nil
	}
	return unquote(d.data[start:end]), nil
}

// unquote unescapes a string's checked contents as encoding/json does: escapes
// resolved, a surrogate pair joined, a lone surrogate and each byte of invalid
// UTF-8 replaced with U+FFFD.
func unquote(s []byte) []byte {
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			switch s[r] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r+1:])
				r += 5
				if utf16.IsSurrogate(rr) {
					if len(s) >= r+6 && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, getu4(s[r+2:])); dec != unicode.ReplacementChar {
							r += 6
							b = utf8.AppendRune(b, dec)
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // " \ /
				b = append(b, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b
}

// getu4 decodes the 4 hex digits at the start of s (checked by scanString).
func getu4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r*16 + rune(c)
	}
	return r
}

// foldName folds a key as encoding/json does to match it case-insensitively:
// ASCII letters upper-cased, other runes to the smallest of their simple case
// folding orbit.
func foldName(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return out
}

func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
