package schemakit

import (
	"context"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

// FilterKind is the shape of a filter argument.
type FilterKind int

const (
	// FilterString is a single value, not empty.
	FilterString FilterKind = iota
	// FilterList is a list of values, sent as repeated query keys.
	FilterList
	// FilterEnum is a single value out of Values.
	FilterEnum
)

// Filter is one filter of the desktop snapshot listing (ListDesktopSnapshot),
// declared once for the list data source and the list resource: its name (the
// API's query key and the argument's), its kind, what it selects, its allowed
// values (FilterEnum), the argument it requires ("" for none) and the request
// field it sets. Each package builds its own framework attribute from
// Description, StringValidators and ListValidators.
type Filter struct {
	Name     string
	Kind     FilterKind
	Meaning  string
	Values   []string
	Requires string
	set      func(in *workspace.ListDesktopSnapshotsInput, s string, l []string)
}

// SnapshotFilters are the listing's filters, in the API page's order.
func SnapshotFilters() []Filter {
	type in = workspace.ListDesktopSnapshotsInput
	return []Filter{
		{Name: "desktop_id", Kind: FilterString, Meaning: "Desktop ID: only snapshots of this desktop.",
			set: func(i *in, s string, _ []string) { i.DesktopID = s }},
		{Name: "desktop_ids", Kind: FilterList, Meaning: "Desktop IDs: only snapshots of these desktops.",
			set: func(i *in, _ string, l []string) { i.DesktopIDs = l }},
		{Name: "desktop_name", Kind: FilterString, Meaning: "Desktop name: only snapshots of desktops with this name.",
			set: func(i *in, s string, _ []string) { i.DesktopName = s }},
		{Name: "desktop_names", Kind: FilterList, Meaning: "Desktop names: only snapshots of desktops with these names.",
			set: func(i *in, _ string, l []string) { i.DesktopNames = l }},
		{Name: "snapshot_name", Kind: FilterString, Meaning: "Snapshot name: only snapshots with this name.",
			set: func(i *in, s string, _ []string) { i.SnapshotName = s }},
		{Name: "snapshot_names", Kind: FilterList, Meaning: "Snapshot names: only snapshots with these names.",
			set: func(i *in, _ string, l []string) { i.SnapshotNames = l }},
		{Name: "disk_type", Kind: FilterEnum, Meaning: "Snapshot type: snapshots of system disks, of data disks, or of both.",
			Values: workspace.SnapshotDiskTypes, set: func(i *in, s string, _ []string) { i.DiskType = s }},
		{Name: "create_type", Kind: FilterEnum, Meaning: "How the snapshot was created: automatically by a scheduled policy, or manually.",
			Values: workspace.SnapshotCreateTypes, set: func(i *in, s string, _ []string) { i.CreateType = s }},
		{Name: "status", Kind: FilterEnum, Meaning: "Snapshot status.",
			Values: workspace.SnapshotStatuses, set: func(i *in, s string, _ []string) { i.Status = s }},
		{Name: "sort_field", Kind: FilterEnum, Meaning: "Field to sort by, used together with `sort_type`.",
			Values: workspace.SnapshotSortFields, set: func(i *in, s string, _ []string) { i.SortField = s }},
		{Name: "sort_type", Kind: FilterEnum, Meaning: "Sort order, ascending (the API's default) or descending. Requires `sort_field`.",
			Values: workspace.SnapshotSortTypes, Requires: "sort_field", set: func(i *in, s string, _ []string) { i.SortType = s }},
	}
}

// SnapshotFilter is the filter named name; it panics on a name not declared,
// a bug caught by any test that builds the schema.
func SnapshotFilter(name string) Filter {
	for _, f := range SnapshotFilters() {
		if f.Name == name {
			return f
		}
	}
	panic("schemakit: no snapshot filter " + name)
}

// Description is the argument's Markdown description.
func (f Filter) Description() string {
	switch f.Kind {
	case FilterList:
		return f.Meaning + " Matches any of the values. Must not be empty: the API would read an empty list as no filter; " +
			"omit the argument (or set it to `null`) to list all."
	case FilterEnum:
		d, _ := OneOf(f.Meaning, f.Values)
		return d
	default:
		return f.Meaning + " Omit it rather than set it to `\"\"`."
	}
}

// StringValidators are a FilterString's or FilterEnum's validators: not empty,
// since an empty value would filter on "" rather than not filter; one of the
// values; the argument it requires.
func (f Filter) StringValidators() []validator.String {
	var v []validator.String
	if f.Kind == FilterEnum {
		_, v = OneOf(f.Meaning, f.Values)
	} else {
		v = []validator.String{stringvalidator.LengthAtLeast(1)}
	}
	if f.Requires != "" {
		v = append(v, stringvalidator.AlsoRequires(path.MatchRoot(f.Requires)))
	}
	return v
}

// ListValidators are a FilterList's validators: an empty list is refused, as
// the API would read it as no filter at all and return every snapshot.
func (f Filter) ListValidators() []validator.List {
	return []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))}
}

// OneOf describes an enumerated argument and refuses other values at plan time.
func OneOf(meaning string, values []string) (string, []validator.String) {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return meaning + " One of " + strings.Join(quoted, ", ") + ".", []validator.String{stringvalidator.OneOf(values...)}
}

// SnapshotsInput is the request the filters' values select; value reads one
// filter's value from the configuration (a types.String, or a types.List of
// strings for FilterList). Null and unknown values do not filter.
func SnapshotsInput(ctx context.Context, value func(Filter) (attr.Value, diag.Diagnostics)) (workspace.ListDesktopSnapshotsInput, diag.Diagnostics) {
	var in workspace.ListDesktopSnapshotsInput
	var diags diag.Diagnostics
	for _, f := range SnapshotFilters() {
		v, ds := value(f)
		diags.Append(ds...)
		var s string
		var l []string
		switch x := v.(type) {
		case types.String:
			s = x.ValueString()
		case types.List:
			if !x.IsNull() && !x.IsUnknown() {
				diags.Append(x.ElementsAs(ctx, &l, false)...)
			}
		}
		f.set(&in, s, l)
	}
	return in, diags
}

// Target is the empty value a filter's value is read into: a types.List for
// FilterList, else a types.String.
func (f Filter) Target() attr.Value {
	if f.Kind == FilterList {
		return types.ListNull(types.StringType)
	}
	return types.StringNull()
}

// ModelValue reads a filter's value from a model struct by its tfsdk tag, for
// callers whose configuration is already in a typed model.
func ModelValue(model any) func(Filter) (attr.Value, diag.Diagnostics) {
	v := reflect.Indirect(reflect.ValueOf(model))
	return func(f Filter) (attr.Value, diag.Diagnostics) {
		var diags diag.Diagnostics
		for i := range v.NumField() {
			if v.Type().Field(i).Tag.Get("tfsdk") == f.Name {
				if a, ok := v.Field(i).Interface().(attr.Value); ok {
					return a, diags
				}
			}
		}
		diags.AddError("Provider bug", "The configuration model "+v.Type().String()+" has no attribute value tagged "+f.Name+".")
		return f.Target(), diags
	}
}
