package listing

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// The test seams of the listing kit.

// Addr is the address of the field's pointer in v, whatever its kind: two
// declarations of the same struct field have the same Addr.
func (f *Field[T]) Addr(v *T) any {
	switch f.Kind {
	case KindString:
		return f.str(v)
	case KindBool:
		return f.b(v)
	case KindInt64:
		return f.i64(v)
	default:
		return f.f64(v)
	}
}

// MirrorType is what encoding/json decodes a T into: a struct with one pointer
// field per declared field, tagged with its name. It is derived from the same
// declarations as the decoder, so the two cannot disagree on a name or a kind.
func MirrorType[T any](o *Object[T]) reflect.Type {
	fields := make([]reflect.StructField, len(o.Fields))
	for i, f := range o.Fields {
		var t reflect.Type
		switch f.Kind {
		case KindString:
			t = reflect.TypeFor[*string]()
		case KindBool:
			t = reflect.TypeFor[*bool]()
		case KindInt64:
			t = reflect.TypeFor[*int64]()
		case KindFloat64:
			t = reflect.TypeFor[*float64]()
		}
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(`json:"` + f.Name + `"`)}
	}
	return reflect.StructOf(fields)
}

// fromMirror copies a mirror value into a T through the declarations.
func fromMirror[T any](o *Object[T], m reflect.Value) T {
	var v T
	for i, f := range o.Fields {
		fv := m.Field(i).Interface()
		switch f.Kind {
		case KindString:
			*f.str(&v) = fv.(*string)
		case KindBool:
			*f.b(&v) = fv.(*bool)
		case KindInt64:
			*f.i64(&v) = fv.(*int64)
		case KindFloat64:
			*f.f64(&v) = fv.(*float64)
		}
	}
	return v
}

// JSONPage decodes a page with encoding/json: the reference DecodePage is
// held to.
func JSONPage[T any](o *Object[T], itemsKey string, body []byte) (*Page[T], error) {
	pageType := reflect.StructOf([]reflect.StructField{
		{Name: "TotalCount", Type: reflect.TypeFor[*int64](), Tag: `json:"total_count"`},
		{Name: "Items", Type: reflect.SliceOf(MirrorType(o)), Tag: reflect.StructTag(`json:"` + itemsKey + `"`)},
	})
	pv := reflect.New(pageType)
	if err := json.Unmarshal(body, pv.Interface()); err != nil {
		return nil, err
	}
	p := &Page[T]{TotalCount: pv.Elem().Field(0).Interface().(*int64)}
	items := pv.Elem().Field(1)
	if !items.IsNil() {
		p.Items = make([]T, items.Len())
		for i := range p.Items {
			p.Items[i] = fromMirror(o, items.Index(i))
		}
	}
	return p, nil
}
