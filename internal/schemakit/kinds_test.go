package schemakit

import (
	"bytes"
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
)

// kindsItem has one field of every kind.
type kindsItem struct {
	S *string
	B *bool
	I *int64
	F *float64
}

var kindsObject = listing.NewObject(
	listing.String("s", func(v *kindsItem) **string { return &v.S }, "a string"),
	listing.Bool("b", func(v *kindsItem) **bool { return &v.B }, "a bool"),
	listing.Int64("i", func(v *kindsItem) **int64 { return &v.I }, "an integer"),
	listing.Float64("f", func(v *kindsItem) **float64 { return &v.F }, "a number"),
)

// Each kind's codec takes the value its declared fields give, set or left out,
// and gives the framework value, the tftypes value and the msgpack bytes that
// the framework and tftypes themselves give for it.
func TestCodecsTakeTheirKindsValues(t *testing.T) {
	s, b, i, f := "x", true, int64(-7), 2.5
	full := kindsItem{S: &s, B: &b, I: &i, F: &f}
	want := map[string]struct {
		framework attr.Value
		tf        any
	}{
		"s": {types.StringValue(s), s}, "b": {types.BoolValue(b), b},
		"i": {types.Int64Value(i), i}, "f": {types.Float64Value(f), f},
	}
	if len(kindsObject.Fields) != len(Codecs) {
		t.Fatalf("the test declares %d kinds, Codecs has %d", len(kindsObject.Fields), len(Codecs))
	}
	for _, item := range []kindsItem{full, {}} {
		for j := range kindsObject.Fields {
			fld := &kindsObject.Fields[j]
			c := Codecs[fld.Kind]
			w := want[fld.Name]
			var tfWant tftypes.Value
			if item.S == nil {
				w.framework = nullOf(t, c.AttrType)
				tfWant = tftypes.NewValue(c.TFType, nil)
			} else {
				tfWant = tftypes.NewValue(c.TFType, w.tf)
			}
			if got := FieldValue(fld, &item); !got.Equal(w.framework) {
				t.Errorf("%s (%s): framework value %s, want %s", fld.Name, fld.Kind, got, w.framework)
			}
			if got := c.TF(fld.Value(&item)); !got.Equal(tfWant) {
				t.Errorf("%s (%s): tftypes value %s, want %s", fld.Name, fld.Kind, got, tfWant)
			}
			var buf bytes.Buffer
			if err := c.Encode(msgpack.NewEncoder(&buf), fld.Value(&item)); err != nil {
				t.Fatal(err)
			}
			dv, err := tfprotov6.NewDynamicValue(c.TFType, tfWant)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), dv.MsgPack) {
				t.Errorf("%s (%s): msgpack %x, tftypes writes %x", fld.Name, fld.Kind, buf.Bytes(), dv.MsgPack)
			}
		}
	}
}

func nullOf(t *testing.T, typ attr.Type) attr.Value {
	t.Helper()
	v, err := typ.ValueFromTerraform(context.Background(), tftypes.NewValue(typ.TerraformType(context.Background()), nil))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
