package datasources

import (
	"bytes"
	"context"
	"math"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// gadget is a test-only listed object. Weight is "the field the API added":
// its struct field and its one declaration line below are all it took for the
// schema, the types, the framework value and the state encoding to carry it.
type gadget struct {
	Name   *string
	On     *bool
	Count  *int64
	Weight *float64
}

var gadgetObject = listing.NewObject(
	listing.String("name", func(g *gadget) **string { return &g.Name }, "The gadget's name."),
	listing.Bool("on", func(g *gadget) **bool { return &g.On }, "Whether it is on."),
	listing.Int64("count", func(g *gadget) **int64 { return &g.Count }, "How many there are."),
	listing.Float64("weight", func(g *gadget) **float64 { return &g.Weight }, "Weight in kg."),
)

// TestAFieldIsDeclaredOnce adds a field (weight) to a test-only object and
// checks that everything the kit derives carries it: the schema attribute, the
// attribute type, the framework value and the msgpack state, byte for byte
// tftypes' (the reference value is written out here by hand).
func TestAFieldIsDeclaredOnce(t *testing.T) {
	ctx := context.Background()
	attrs := computedAttributes(gadgetObject)
	w, ok := attrs["weight"].(schema.Float64Attribute)
	if !ok || !w.Computed || w.MarkdownDescription != "Weight in kg." || len(attrs) != 4 {
		t.Fatalf("schema attributes %#v", attrs)
	}
	if got := attrTypes(gadgetObject)["weight"]; !got.Equal(types.Float64Type) {
		t.Fatalf("weight's type is %v", got)
	}
	f := func(v float64) *float64 { return &v }
	s := func(v string) *string { return &v }
	items := []gadget{
		{Name: s("a"), Weight: f(2.5)}, {Name: s(""), Weight: f(3)}, {Weight: f(1e300)}, {Weight: f(0.1)},
		{Weight: f(math.Copysign(0, -1))}, {Weight: f(5e-324)}, {Weight: f(-9.2e18)}, {},
	}
	list, diags := listValue(gadgetObject, items)
	if diags.HasError() {
		t.Fatal(diags)
	}
	first := list.Elements()[0].(types.Object).Attributes()
	if !first["weight"].Equal(types.Float64Value(2.5)) || !list.Elements()[7].(types.Object).Attributes()["weight"].IsNull() {
		t.Fatalf("framework values %v", list)
	}

	// The schema type, from the framework as a data source's would be.
	elem := types.ObjectType{AttrTypes: attrTypes(gadgetObject)}.TerraformType(ctx)
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"gadgets": tftypes.List{ElementType: elem}, "id": tftypes.String}}
	got, err := encodeState(typ, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "x")},
		map[string]stateItems{"gadgets": itemList[gadget]{gadgetObject, items}})
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]tftypes.Value, len(items))
	for i, g := range items {
		num := func(p *float64) tftypes.Value {
			if p == nil {
				return tftypes.NewValue(tftypes.Number, nil)
			}
			return tftypes.NewValue(tftypes.Number, big.NewFloat(*p))
		}
		str := tftypes.NewValue(tftypes.String, nil)
		if g.Name != nil {
			str = tftypes.NewValue(tftypes.String, *g.Name)
		}
		ref[i] = tftypes.NewValue(elem, map[string]tftypes.Value{
			"name": str, "on": tftypes.NewValue(tftypes.Bool, nil), "count": tftypes.NewValue(tftypes.Number, nil), "weight": num(g.Weight),
		})
	}
	want, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, "x"), "gadgets": tftypes.NewValue(tftypes.List{ElementType: elem}, ref),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.MsgPack, want.MsgPack) {
		t.Fatalf("the kit's state differs from tftypes'\n got %x\nwant %x", got.MsgPack, want.MsgPack)
	}

	// A declaration and a type that disagree are refused, not mis-encoded.
	wrong := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"gadgets": tftypes.List{ElementType: snapshotTFType}, "id": tftypes.String}}
	if _, err := encodeState(wrong, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "x")},
		map[string]stateItems{"gadgets": itemList[gadget]{gadgetObject, items}}); err == nil {
		t.Fatal("encoding gadgets as snapshots succeeded")
	}
}

// TestEncodeStateMatchesTftypesForEveryType holds encodeState's splicing of
// attributes that tfprotov6.NewDynamicValue encodes one by one to the whole
// object encoded by tftypes, on every kind: strings, bools, numbers (integers,
// floats, beyond int64 and float64), lists, sets, tuples, nested objects and
// maps, each null, unknown and set, at the top and nested.
func TestEncodeStateMatchesTftypesForEveryType(t *testing.T) {
	inner := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"s": tftypes.String, "n": tftypes.Number, "b": tftypes.Bool, "l": tftypes.List{ElementType: tftypes.Number}}}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"str": tftypes.String, "num": tftypes.Number, "bool": tftypes.Bool,
		"list": tftypes.List{ElementType: inner}, "set": tftypes.Set{ElementType: tftypes.String},
		"tuple": tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Number}},
		"obj":   inner, "map": tftypes.Map{ElementType: tftypes.List{ElementType: tftypes.String}},
	}}
	big1, _, _ := big.ParseFloat("123456789012345678901234567890.5", 10, 512, big.ToNearestEven)
	nums := []tftypes.Value{
		tftypes.NewValue(tftypes.Number, 0), tftypes.NewValue(tftypes.Number, -129), tftypes.NewValue(tftypes.Number, int64(math.MaxInt64)),
		tftypes.NewValue(tftypes.Number, 2.5), tftypes.NewValue(tftypes.Number, 0.1), tftypes.NewValue(tftypes.Number, 1e300),
		tftypes.NewValue(tftypes.Number, big1), tftypes.NewValue(tftypes.Number, nil), tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
	}
	obj := func(s, n, b tftypes.Value) tftypes.Value {
		return tftypes.NewValue(inner, map[string]tftypes.Value{"s": s, "n": n, "b": b, "l": tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, nums)})
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	values := []map[string]tftypes.Value{{
		"str": str("é \x00 x"), "num": nums[6], "bool": tftypes.NewValue(tftypes.Bool, true),
		"list": tftypes.NewValue(typ.AttributeTypes["list"], []tftypes.Value{
			obj(str(""), nums[3], tftypes.NewValue(tftypes.Bool, false)),
			obj(tftypes.NewValue(tftypes.String, nil), nums[8], tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)),
			tftypes.NewValue(inner, nil), tftypes.NewValue(inner, tftypes.UnknownValue),
		}),
		"set":   tftypes.NewValue(typ.AttributeTypes["set"], []tftypes.Value{str("a"), str("b")}),
		"tuple": tftypes.NewValue(typ.AttributeTypes["tuple"], []tftypes.Value{str("t"), nums[5]}),
		"obj":   obj(str("o"), nums[2], tftypes.NewValue(tftypes.Bool, nil)),
		"map": tftypes.NewValue(typ.AttributeTypes["map"], map[string]tftypes.Value{
			"only": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("m")}),
		}),
	}, {}}
	for name, t2 := range typ.AttributeTypes { // the second: every attribute null
		values[1][name] = tftypes.NewValue(t2, nil)
	}
	values = append(values, map[string]tftypes.Value{})
	for name, t2 := range typ.AttributeTypes { // the third: every attribute unknown
		values[2][name] = tftypes.NewValue(t2, tftypes.UnknownValue)
	}
	for i, v := range values {
		got, err := encodeState(typ, v, nil)
		if err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		want, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, v))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.MsgPack, want.MsgPack) {
			t.Fatalf("value %d: bytes differ from tftypes'\n got %x\nwant %x", i, got.MsgPack, want.MsgPack)
		}
	}
}

// Every kind the listing declares has a complete codec (schemakit.Codecs)
// and a computed attribute here, and no other kind has either: a field of a
// kind without them would have no attribute or value.
func TestEveryKindHasACodec(t *testing.T) {
	n := 0
	for k := listing.KindString; k.String() != "unknown kind"; k++ {
		n++
		if int(k) >= len(schemakit.Codecs) {
			t.Errorf("kind %s has no codec", k)
			continue
		}
		c := schemakit.Codecs[k]
		computed, ok := kindAttributes[k]
		if !ok || c.AttrType == nil || c.TFType == nil || c.Framework == nil || c.TF == nil || c.Encode == nil {
			t.Errorf("kind %s has no complete codec", k)
			continue
		}
		if a := computed("d"); !a.IsComputed() || a.GetMarkdownDescription() != "d" || a.GetType() != c.AttrType {
			t.Errorf("kind %s: computed attribute %#v", k, a)
		}
		if !c.AttrType.TerraformType(context.Background()).Equal(c.TFType) {
			t.Errorf("kind %s: attribute type %s is not tftypes %s", k, c.AttrType, c.TFType)
		}
	}
	if len(kindAttributes) != n || len(schemakit.Codecs) != n {
		t.Errorf("%d computed attributes and %d codecs for %d kinds", len(kindAttributes), len(schemakit.Codecs), n)
	}
}
