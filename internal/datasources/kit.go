package datasources

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// The listing kit: everything a data source needs about a listed object's
// fields is derived here from the object's one declaration (listing.Object):
// the schema attributes, the attribute types, the framework value, the
// tftypes value and the msgpack state encoding.

// kindCodec is what the data sources derive from a field's kind: a field of
// a new kind is one row of kindCodecs here (and its decoding in listing).
type kindCodec struct {
	// computed is the schema attribute of a computed field described by desc.
	computed func(desc string) schema.Attribute
	attrType attr.Type
	tfType   tftypes.Type
}

var kindCodecs = map[listing.Kind]kindCodec{
	listing.KindString: {
		computed: func(d string) schema.Attribute { return schema.StringAttribute{Computed: true, MarkdownDescription: d} },
		attrType: types.StringType, tfType: tftypes.String,
	},
	listing.KindBool: {
		computed: func(d string) schema.Attribute { return schema.BoolAttribute{Computed: true, MarkdownDescription: d} },
		attrType: types.BoolType, tfType: tftypes.Bool,
	},
	listing.KindInt64: {
		computed: func(d string) schema.Attribute { return schema.Int64Attribute{Computed: true, MarkdownDescription: d} },
		attrType: types.Int64Type, tfType: tftypes.Number,
	},
	listing.KindFloat64: {
		computed: func(d string) schema.Attribute {
			return schema.Float64Attribute{Computed: true, MarkdownDescription: d}
		},
		attrType: types.Float64Type, tfType: tftypes.Number,
	},
}

// computedAttributes are the schema attributes of o's fields, all computed.
func computedAttributes[T any](o *listing.Object[T]) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(o.Fields))
	for _, f := range o.Fields {
		out[f.Name] = kindCodecs[f.Kind].computed(f.Description)
	}
	return out
}

// attrTypes are the attribute types of o's fields.
func attrTypes[T any](o *listing.Object[T]) map[string]attr.Type {
	out := make(map[string]attr.Type, len(o.Fields))
	for _, f := range o.Fields {
		out[f.Name] = attrType(f.Kind)
	}
	return out
}

func attrType(k listing.Kind) attr.Type { return kindCodecs[k].attrType }

// tfType is the tftypes type of a field of kind k.
func tfType(k listing.Kind) tftypes.Type { return kindCodecs[k].tfType }

// fieldTFValue is f's tftypes value in v: null when the API left it out.
func fieldTFValue[T any](f *listing.Field[T], v *T) tftypes.Value {
	t := tfType(f.Kind)
	switch f.Kind {
	case listing.KindBool:
		if p := f.BoolOf(v); p != nil {
			return tftypes.NewValue(t, *p)
		}
	case listing.KindInt64:
		if p := f.Int64Of(v); p != nil {
			return tftypes.NewValue(t, *p)
		}
	case listing.KindFloat64:
		if p := f.Float64Of(v); p != nil {
			return tftypes.NewValue(t, *p)
		}
	default:
		if p := f.StringOf(v); p != nil {
			return tftypes.NewValue(t, *p)
		}
	}
	return tftypes.NewValue(t, nil)
}

// listValue converts items to a framework list of objects, without reflection:
// absent fields become null, "" stays "".
func listValue[T any](o *listing.Object[T], items []T) (types.List, diag.Diagnostics) {
	at := attrTypes(o)
	objType := types.ObjectType{AttrTypes: at}
	elems := make([]attr.Value, len(items))
	var diags diag.Diagnostics
	for i := range items {
		obj, d := types.ObjectValue(at, schemakit.FieldValues(o, &items[i]))
		diags.Append(d...)
		elems[i] = obj
	}
	if diags.HasError() {
		return types.ListNull(objType), diags
	}
	list, d := types.ListValue(objType, elems)
	diags.Append(d...)
	return list, diags
}

// sortedFields are o's fields in the order tftypes writes an object's
// attributes: by name.
func sortedFields[T any](o *listing.Object[T]) []listing.Field[T] {
	fields := slices.Clone(o.Fields)
	slices.SortFunc(fields, func(a, b listing.Field[T]) int { return cmp.Compare(a.Name, b.Name) })
	return fields
}

// checkFields reports whether typ is exactly the object of o's fields.
func checkFields[T any](o *listing.Object[T], typ tftypes.Type) error {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return fmt.Errorf("the items' type is %s, not an object", typ)
	}
	if len(obj.AttributeTypes) != len(o.Fields) {
		return fmt.Errorf("the items' type has %d attributes, the declaration %d fields", len(obj.AttributeTypes), len(o.Fields))
	}
	for _, f := range o.Fields {
		t, ok := obj.AttributeTypes[f.Name]
		if !ok {
			return fmt.Errorf("the items' type has no attribute %q", f.Name)
		}
		if !t.Equal(tfType(f.Kind)) {
			return fmt.Errorf("the items' %q is %s, the declaration says %s", f.Name, t, f.Kind)
		}
	}
	return nil
}

// stateItems is an attribute of a state that encodes itself: a long list of
// API items, written field by field from the typed structs.
type stateItems interface {
	encode(enc *msgpack.Encoder, typ tftypes.Type) error
	// value is the same list as a tftypes value, for the framework's path.
	value(typ tftypes.Type) (tftypes.Value, error)
	// sizeHint is about how many bytes encode writes.
	sizeHint() int
}

// itemList is a list attribute of o's items.
type itemList[T any] struct {
	o     *listing.Object[T]
	items []T
}

func (l itemList[T]) sizeHint() int { return 40 * len(l.o.Fields) * len(l.items) }

func (l itemList[T]) encode(enc *msgpack.Encoder, typ tftypes.Type) error {
	list, ok := typ.(tftypes.List)
	if !ok {
		return fmt.Errorf("the items' attribute is %s, not a list", typ)
	}
	if err := checkFields(l.o, list.ElementType); err != nil {
		return err
	}
	fields := sortedFields(l.o)
	if err := enc.EncodeArrayLen(len(l.items)); err != nil {
		return err
	}
	for i := range l.items {
		if err := enc.EncodeMapLen(len(fields)); err != nil {
			return err
		}
		for j := range fields {
			if err := enc.EncodeString(fields[j].Name); err != nil {
				return err
			}
			if err := encodeField(enc, &fields[j], &l.items[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l itemList[T]) value(typ tftypes.Type) (tftypes.Value, error) {
	list, ok := typ.(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the items' attribute is %s, not a list", typ)
	}
	if err := checkFields(l.o, list.ElementType); err != nil {
		return tftypes.Value{}, err
	}
	elems := make([]tftypes.Value, len(l.items))
	for i := range l.items {
		attrs := make(map[string]tftypes.Value, len(l.o.Fields))
		for j := range l.o.Fields {
			attrs[l.o.Fields[j].Name] = fieldTFValue(&l.o.Fields[j], &l.items[i])
		}
		elems[i] = tftypes.NewValue(list.ElementType, attrs)
	}
	return tftypes.NewValue(list, elems), nil
}

// encodeField writes f of v as tftypes writes its value.
func encodeField[T any](enc *msgpack.Encoder, f *listing.Field[T], v *T) error {
	switch f.Kind {
	case listing.KindBool:
		if p := f.BoolOf(v); p != nil {
			return enc.EncodeBool(*p)
		}
	case listing.KindInt64:
		if p := f.Int64Of(v); p != nil {
			return enc.EncodeInt(*p)
		}
	case listing.KindFloat64:
		if p := f.Float64Of(v); p != nil {
			return encodeNumber(enc, new(big.Float).SetFloat64(*p))
		}
	default:
		if p := f.StringOf(v); p != nil {
			return enc.EncodeString(*p)
		}
	}
	return enc.EncodeNil()
}

// encodeNumber writes n as tftypes does: the smallest integer when it is one
// that fits an int64, else a float64 when exact, else its decimal text.
func encodeNumber(enc *msgpack.Encoder, n *big.Float) error {
	if n.IsInf() {
		if n.Sign() < 0 {
			return enc.EncodeFloat64(math.Inf(-1))
		}
		return enc.EncodeFloat64(math.Inf(1))
	}
	if i, acc := n.Int64(); acc == big.Exact {
		return enc.EncodeInt(i)
	}
	if f, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
		return enc.EncodeFloat64(f)
	}
	return enc.EncodeString(n.Text('f', -1))
}
