// Package schemakit holds what the data sources and the resources both derive
// their schemas and values from, whatever the framework package of their
// schema types: a listed object described once (Listed; the desktop
// snapshot's is DesktopSnapshot, with its listing's filters) and the
// framework value of a listed field. It imports the client and operation,
// never the provider's datasources or resources packages.
package schemakit

import (
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
)

// Codec is what a field's kind gives its values, whatever the schema package:
// the framework's attribute type and value, the tftypes type and value, and
// the msgpack encoding tftypes writes for it. A field of a new kind is a row
// of Codecs, with its declaration and decoding in listing and its computed
// schema attribute in each schema package (datasources, resources).
type Codec struct {
	AttrType attr.Type
	TFType   tftypes.Type
	// Each takes the value listing.Field.Value gives: a pointer of the kind's
	// Go type, nil when the API left the field out (a null).
	Framework func(p any) attr.Value
	TF        func(p any) tftypes.Value
	Encode    func(enc *msgpack.Encoder, p any) error
}

// Codecs are the kinds' codecs, by kind. Their type assertions cannot fail:
// listing's constructors pair each kind with its pointer type
// (TestCodecsTakeTheirKindsValues checks every row on declared fields).
//
//nolint:forcetypeassert // see above: the kind decides the pointer's type
var Codecs = [...]Codec{
	listing.KindString: {
		AttrType: types.StringType, TFType: tftypes.String,
		Framework: func(p any) attr.Value { return types.StringPointerValue(p.(*string)) },
		TF:        func(p any) tftypes.Value { return tfValue(tftypes.String, p.(*string)) },
		Encode: func(enc *msgpack.Encoder, p any) error {
			if v := p.(*string); v != nil {
				return enc.EncodeString(*v)
			}
			return enc.EncodeNil()
		},
	},
	listing.KindBool: {
		AttrType: types.BoolType, TFType: tftypes.Bool,
		Framework: func(p any) attr.Value { return types.BoolPointerValue(p.(*bool)) },
		TF:        func(p any) tftypes.Value { return tfValue(tftypes.Bool, p.(*bool)) },
		Encode: func(enc *msgpack.Encoder, p any) error {
			if v := p.(*bool); v != nil {
				return enc.EncodeBool(*v)
			}
			return enc.EncodeNil()
		},
	},
	listing.KindInt64: {
		AttrType: types.Int64Type, TFType: tftypes.Number,
		Framework: func(p any) attr.Value { return types.Int64PointerValue(p.(*int64)) },
		TF:        func(p any) tftypes.Value { return tfValue(tftypes.Number, p.(*int64)) },
		Encode: func(enc *msgpack.Encoder, p any) error {
			if v := p.(*int64); v != nil {
				return enc.EncodeInt(*v)
			}
			return enc.EncodeNil()
		},
	},
	listing.KindFloat64: {
		AttrType: types.Float64Type, TFType: tftypes.Number,
		Framework: func(p any) attr.Value { return types.Float64PointerValue(p.(*float64)) },
		TF:        func(p any) tftypes.Value { return tfValue(tftypes.Number, p.(*float64)) },
		Encode: func(enc *msgpack.Encoder, p any) error {
			if v := p.(*float64); v != nil {
				return encodeNumber(enc, new(big.Float).SetFloat64(*v))
			}
			return enc.EncodeNil()
		},
	},
}

// tfValue is *p as a tftypes value of t, null when p is nil.
func tfValue[V any](t tftypes.Type, p *V) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(t, nil)
	}
	return tftypes.NewValue(t, *p)
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

// FieldValue is f's framework value in v: null when the API left it out.
func FieldValue[T any](f *listing.Field[T], v *T) attr.Value {
	return Codecs[f.Kind].Framework(f.Value(v))
}

// FieldValues are the framework values of o's fields in v, by name.
func FieldValues[T any](o *listing.Object[T], v *T) map[string]attr.Value {
	out := make(map[string]attr.Value, len(o.Fields))
	for i := range o.Fields {
		out[o.Fields[i].Name] = FieldValue(&o.Fields[i], v)
	}
	return out
}
