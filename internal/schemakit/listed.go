package schemakit

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/operation"
)

// Input is a listing's request: its filters as the query.
type Input interface{ Query() sign.Query }

// Listed is a listed object described once, for every kind of thing that
// serves it: its type names, its listing, the filter arguments that build the
// listing's request, and what identifies one item. The data sources (the list
// and the one-item data source), the list resource (its filters' schema, its
// List, each result's identity and resource object) and the resource (its
// identity, and the Read and import that find one item by ID through the same
// listing) derive from it; each package builds its own framework attributes,
// since the framework's datasource, resource and list schemas are different
// types. T is the item, In the request.
type Listed[T any, In Input] struct {
	// TypeName is the resource's, the list resource's and the one-item data
	// source's type name without the provider's: "_workspace_desktop_snapshot";
	// the list data source's is TypeName + "s".
	TypeName string
	// One names one item in the attributes' texts: "snapshot".
	One string
	// Listing lists the items; its Object declares their fields (the items'
	// attributes), its KeyName the identity's attribute.
	Listing *listing.Listing[T]
	// Filters are the listing's filter arguments, in the order of the API's
	// page; nil for a listing without filters.
	Filters func() []Filter
	// Input is the request the filters' values select; value reads one
	// filter's value (a types.String, or a types.List for FilterList).
	Input func(ctx context.Context, value func(Filter) (attr.Value, diag.Diagnostics)) (In, diag.Diagnostics)
	// FindWithin names the filter that narrows a search for one item by ID to
	// what the state knows of it (the resource's attribute of the same name);
	// "" when a search lists every item.
	FindWithin string
	// Display names one item among a list resource's results.
	Display func(*T) string
	// ItemsDescription describes the list data source's list of items.
	ItemsDescription string
}

// TypeNames are the list data source's and the one-item type name (the
// resource's, the list resource's and the one-item data source's).
func (o *Listed[T, In]) TypeNames() (list, one string) { return o.TypeName + "s", o.TypeName }

// IDAttribute is the attribute that identifies an item: the listing's key,
// the identity's attribute (`snapshot_id` for snapshots).
func (o *Listed[T, In]) IDAttribute() string { return o.Listing.KeyName }

// ID is v's ID; "" when the API left it out.
func (o *Listed[T, In]) ID(v *T) string {
	if p := o.Listing.Key(v); p != nil {
		return *p
	}
	return ""
}

// Values are v's declared fields as framework values, by name, and its ID as
// "id": the item's attributes in a state.
func (o *Listed[T, In]) Values(v *T) map[string]attr.Value {
	out := FieldValues(o.Listing.Object, v)
	out["id"] = types.StringPointerValue(o.Listing.Key(v))
	return out
}

// FindOptions make a listing look for item id alone.
func (o *Listed[T, In]) FindOptions(id string) listing.ListOptions[T] {
	return listing.ListOptions[T]{Find: func(v *T) bool {
		p := o.Listing.Key(v)
		return p != nil && *p == id
	}}
}

// RequestOf is the request the filters select, each filter's value read by
// its name with get (a configuration's GetAttribute) into a types.String, or
// a types.List for FilterList.
func (o *Listed[T, In]) RequestOf(ctx context.Context, get func(name string, target any) diag.Diagnostics) (In, diag.Diagnostics) {
	return o.Input(ctx, func(f Filter) (attr.Value, diag.Diagnostics) {
		if f.Kind == FilterList {
			var v types.List
			return v, get(f.Name, &v)
		}
		var v types.String
		return v, get(f.Name, &v)
	})
}

// Find finds item id in the operation's project, among the items of
// FindWithin's value within ("" for all, as after an import): nil when a
// whole listing has none.
func (o *Listed[T, In]) Find(op *operation.Op, id, within string) (*T, error) {
	in, diags := o.Input(op.Ctx, func(f Filter) (attr.Value, diag.Diagnostics) {
		if f.Name == o.FindWithin && f.Kind != FilterList {
			return types.StringValue(within), nil
		}
		return f.Target(), nil
	})
	if diags.HasError() {
		return nil, diagsError(diags)
	}
	out, err := listing.List(op.Ctx, op.Session.Client(), o.Listing, op.Endpoint, op.ProjectID, in.Query(), o.FindOptions(id))
	if err != nil || len(out.Items) == 0 {
		return nil, err
	}
	return &out.Items[0], nil
}

// diagsError is the first error of diags, as an error.
type diagsError diag.Diagnostics

func (d diagsError) Error() string {
	for _, x := range d {
		if x.Severity() == diag.SeverityError {
			return x.Summary() + ": " + x.Detail()
		}
	}
	return "unknown error"
}
