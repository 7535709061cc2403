package schemakit

import (
	"context"
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

// Filter is one filter of a listing, declared once for the data sources and
// the list resource: its name (the API's query key and the argument's), its
// kind, what it selects, its allowed values (FilterEnum), the argument it
// requires ("" for none), whether the one-item data source takes it too
// (Selects: what it selects there, after the field's own text) and the
// request field it sets. Each package builds its own framework attribute from
// Description, StringValidators and ListValidators.
type Filter struct {
	Name     string
	Kind     FilterKind
	Meaning  string
	Values   []string
	Requires string
	// OneItem is true of the filters the one-item data source takes too;
	// Selects is their text there when the filter is also a field.
	OneItem bool
	Selects string
	set     func(in *workspace.ListDesktopSnapshotsInput, s string, l []string)
}

// DesktopSnapshot is the desktop snapshot, described once (see Listed): the
// data sources huaweicloud_workspace_desktop_snapshots and
// huaweicloud_workspace_desktop_snapshot, the resource and the list resource
// huaweicloud_workspace_desktop_snapshot derive from it.
var DesktopSnapshot = &Listed[workspace.DesktopSnapshot, workspace.ListDesktopSnapshotsInput]{
	TypeName:   "_workspace_desktop_snapshot",
	One:        "snapshot",
	Listing:    workspace.DesktopSnapshots,
	Filters:    SnapshotFilters,
	Input:      SnapshotsInput,
	FindWithin: "desktop_id",
	Display: func(s *workspace.DesktopSnapshot) string {
		return deref(s.SnapshotName) + " (" + deref(s.DesktopName) + ")"
	},
	ItemsDescription: "The snapshots found, in the API's order (or the order `sort_field` and `sort_type` ask for); empty when none match. " +
		"A field the API leaves out is `null`.",
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// SnapshotFilters are the listing's filters, in the API page's order.
func SnapshotFilters() []Filter {
	type in = workspace.ListDesktopSnapshotsInput
	const ofDesktop, ofDesktopName, withName = "only snapshots of this desktop.", "only snapshots of desktops with this name.", "only snapshots with this name."
	return []Filter{
		{Name: "desktop_id", Kind: FilterString, Meaning: "Desktop ID: " + ofDesktop, OneItem: true, Selects: ofDesktop,
			set: func(i *in, s string, _ []string) { i.DesktopID = s }},
		{Name: "desktop_ids", Kind: FilterList, Meaning: "Desktop IDs: only snapshots of these desktops.",
			set: func(i *in, _ string, l []string) { i.DesktopIDs = l }},
		{Name: "desktop_name", Kind: FilterString, Meaning: "Desktop name: " + ofDesktopName, OneItem: true, Selects: ofDesktopName,
			set: func(i *in, s string, _ []string) { i.DesktopName = s }},
		{Name: "desktop_names", Kind: FilterList, Meaning: "Desktop names: only snapshots of desktops with these names.",
			set: func(i *in, _ string, l []string) { i.DesktopNames = l }},
		{Name: "snapshot_name", Kind: FilterString, Meaning: "Snapshot name: " + withName, OneItem: true, Selects: withName,
			set: func(i *in, s string, _ []string) { i.SnapshotName = s }},
		{Name: "snapshot_names", Kind: FilterList, Meaning: "Snapshot names: only snapshots with these names.",
			set: func(i *in, _ string, l []string) { i.SnapshotNames = l }},
		{Name: "disk_type", Kind: FilterEnum, Meaning: "Snapshot type: snapshots of system disks, of data disks, or of both.", OneItem: true,
			Values: workspace.SnapshotDiskTypes, set: func(i *in, s string, _ []string) { i.DiskType = s }},
		{Name: "create_type", Kind: FilterEnum, Meaning: "How the snapshot was created: automatically by a scheduled policy, or manually.",
			OneItem: true, Selects: "only snapshots created this way.",
			Values: workspace.SnapshotCreateTypes, set: func(i *in, s string, _ []string) { i.CreateType = s }},
		{Name: "status", Kind: FilterEnum, Meaning: "Snapshot status.", OneItem: true, Selects: "only snapshots in this status.",
			Values: workspace.SnapshotStatuses, set: func(i *in, s string, _ []string) { i.Status = s }},
		{Name: "sort_field", Kind: FilterEnum, Meaning: "Field to sort by, used together with `sort_type`.",
			Values: workspace.SnapshotSortFields, set: func(i *in, s string, _ []string) { i.SortField = s }},
		{Name: "sort_type", Kind: FilterEnum, Meaning: "Sort order, ascending (the API's default) or descending. Requires `sort_field`.",
			Values: workspace.SnapshotSortTypes, Requires: "sort_field", set: func(i *in, s string, _ []string) { i.SortType = s }},
	}
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

// SelectsDescription is the text of a OneItem filter's Selects, with the
// allowed values of a FilterEnum.
func (f Filter) SelectsDescription() string {
	if f.Kind == FilterEnum {
		d, _ := OneOf(f.Selects, f.Values)
		return d
	}
	return f.Selects
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
