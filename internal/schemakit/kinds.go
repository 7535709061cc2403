// Package schemakit holds what the data sources and the resources both derive
// their schemas and values from, whatever the framework package of their
// schema types: a listed object described once (Listed; the desktop
// snapshot's is DesktopSnapshot, with its listing's filters) and the
// framework value of a listed field. It imports the client and operation,
// never the provider's datasources or resources packages.
package schemakit

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
)

// FieldValue is f's framework value in v: null when the API left it out. It is
// the one place a field's kind picks its framework value.
func FieldValue[T any](f *listing.Field[T], v *T) attr.Value {
	switch f.Kind {
	case listing.KindBool:
		return types.BoolPointerValue(f.BoolOf(v))
	case listing.KindInt64:
		return types.Int64PointerValue(f.Int64Of(v))
	case listing.KindFloat64:
		return types.Float64PointerValue(f.Float64Of(v))
	default:
		return types.StringPointerValue(f.StringOf(v))
	}
}

// FieldValues are the framework values of o's fields in v, by name.
func FieldValues[T any](o *listing.Object[T], v *T) map[string]attr.Value {
	out := make(map[string]attr.Value, len(o.Fields))
	for i := range o.Fields {
		out[o.Fields[i].Name] = FieldValue(&o.Fields[i], v)
	}
	return out
}
