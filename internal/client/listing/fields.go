package listing

// Kind is the type of one field of a listed object.
type Kind int

// The kinds a field may have. Each is a pointer in the typed struct: nil is a
// field the API left out (or sent as null), which is not the zero value.
const (
	KindString  Kind = iota // *string; a Terraform string
	KindBool                // *bool; a Terraform bool
	KindInt64               // *int64; a Terraform number holding an integer
	KindFloat64             // *float64; a Terraform number
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindBool:
		return "bool"
	case KindInt64:
		return "int64"
	case KindFloat64:
		return "float64"
	}
	return "unknown kind"
}

// Field declares one field of a listed object T, once: its name in the API's
// JSON (which is also its Terraform attribute's name), its kind, its
// description, and where it lives in T. Everything else is derived from the
// declarations: the page decoder here, the kind's types, values and state
// encoding in schemakit.Codecs, and the schema attributes of each schema
// package.
type Field[T any] struct {
	Name        string
	Kind        Kind
	Description string

	str func(*T) **string
	b   func(*T) **bool
	i64 func(*T) **int64
	f64 func(*T) **float64
	// val is the field's value whatever its kind (Value).
	val func(*T) any
}

// String declares a string field of T at at.
func String[T any](name string, at func(*T) **string, description string) Field[T] {
	return Field[T]{Name: name, Kind: KindString, Description: description, str: at, val: func(v *T) any { return *at(v) }}
}

// Bool declares a bool field of T at at.
func Bool[T any](name string, at func(*T) **bool, description string) Field[T] {
	return Field[T]{Name: name, Kind: KindBool, Description: description, b: at, val: func(v *T) any { return *at(v) }}
}

// Int64 declares an integer field of T at at.
func Int64[T any](name string, at func(*T) **int64, description string) Field[T] {
	return Field[T]{Name: name, Kind: KindInt64, Description: description, i64: at, val: func(v *T) any { return *at(v) }}
}

// Float64 declares a number field of T at at.
func Float64[T any](name string, at func(*T) **float64, description string) Field[T] {
	return Field[T]{Name: name, Kind: KindFloat64, Description: description, f64: at, val: func(v *T) any { return *at(v) }}
}

// Value is f's value in v, whatever its kind: a *string, *bool, *int64 or
// *float64 as Kind says, nil when the API left the field out. The codecs of
// the kinds take it (schemakit.Codecs).
func (f *Field[T]) Value(v *T) any { return f.val(v) }

// StringOf is a KindString field's value in v.
func (f *Field[T]) StringOf(v *T) *string { return *f.str(v) }

// BoolOf is a KindBool field's value in v.
func (f *Field[T]) BoolOf(v *T) *bool { return *f.b(v) }

// Int64Of is a KindInt64 field's value in v.
func (f *Field[T]) Int64Of(v *T) *int64 { return *f.i64(v) }

// Float64Of is a KindFloat64 field's value in v.
func (f *Field[T]) Float64Of(v *T) *float64 { return *f.f64(v) }

// Object is the declaration of a listed object T: its fields, in the API
// page's order.
type Object[T any] struct {
	Fields []Field[T]
	// byName finds a field by its exact name, byFolded by its name folded as
	// encoding/json folds keys that match no name exactly.
	byName   map[string]int
	byFolded map[string]int
}

// NewObject declares T with fields.
func NewObject[T any](fields ...Field[T]) *Object[T] {
	o := &Object[T]{Fields: fields, byName: map[string]int{}, byFolded: map[string]int{}}
	for i, f := range fields {
		if _, dup := o.byName[f.Name]; dup {
			panic("client: field " + f.Name + " declared twice")
		}
		o.byName[f.Name] = i
		if _, ok := o.byFolded[string(foldName([]byte(f.Name)))]; !ok {
			o.byFolded[string(foldName([]byte(f.Name)))] = i
		}
	}
	return o
}

// field is the field a JSON key names, as encoding/json matches keys to struct
// fields: exactly, else case-insensitively; -1 when none.
func (o *Object[T]) field(key []byte) int {
	if i, ok := o.byName[string(key)]; ok {
		return i
	}
	if i, ok := o.byFolded[string(foldName(key))]; ok {
		return i
	}
	return -1
}
