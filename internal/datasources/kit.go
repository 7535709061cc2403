package datasources

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// The listing kit: everything a data source needs about a listed object's
// fields is derived here from the object's one declaration (listing.Object)
// and the kinds' codecs (schemakit.Codecs): the schema attributes, the
// attribute types, the framework value, the tftypes value and the msgpack
// state encoding.

// kindAttributes gives, by a field's kind, the data sources' schema attribute
// of a computed field described by desc: one row per kind (the field's types
// and values are the kind's schemakit.Codecs row, which the resources share).
var kindAttributes = map[listing.Kind]func(desc string) schema.Attribute{
	listing.KindString: func(d string) schema.Attribute { return schema.StringAttribute{Computed: true, MarkdownDescription: d} },
	listing.KindBool:   func(d string) schema.Attribute { return schema.BoolAttribute{Computed: true, MarkdownDescription: d} },
	listing.KindInt64:  func(d string) schema.Attribute { return schema.Int64Attribute{Computed: true, MarkdownDescription: d} },
	listing.KindFloat64: func(d string) schema.Attribute {
		return schema.Float64Attribute{Computed: true, MarkdownDescription: d}
	},
}

// computedAttributes are the schema attributes of o's fields, all computed.
func computedAttributes[T any](o *listing.Object[T]) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(o.Fields))
	for _, f := range o.Fields {
		out[f.Name] = kindAttributes[f.Kind](f.Description)
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

func attrType(k listing.Kind) attr.Type { return schemakit.Codecs[k].AttrType }

// tfType is the tftypes type of a field of kind k.
func tfType(k listing.Kind) tftypes.Type { return schemakit.Codecs[k].TFType }

// fieldTFValue is f's tftypes value in v: null when the API left it out.
func fieldTFValue[T any](f *listing.Field[T], v *T) tftypes.Value {
	return schemakit.Codecs[f.Kind].TF(f.Value(v))
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
	return schemakit.Codecs[f.Kind].Encode(enc, f.Value(v))
}
