package datasources

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
)

func dsSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp datasource.SchemaResponse
	NewDesktopSnapshotsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp.Schema
}

func TestSchemaIsValidAndDescribed(t *testing.T) {
	s := dsSchema(t)
	if diags := s.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("ValidateImplementation: %v", diags)
	}
	for name, a := range s.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("attribute %s has no MarkdownDescription", name)
		}
	}
	nested := s.Attributes["snapshots"].(schema.ListNestedAttribute).NestedObject.Attributes
	for name, a := range nested {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("snapshots.%s has no MarkdownDescription", name)
		}
	}
}

// The nested object carries exactly the API's 14 fields, under the API's names:
// every field of workspace.DesktopSnapshot declared once, and nothing else, in
// workspace.DesktopSnapshotObject, from which the schema and the types derive.
func TestSnapshotFieldsAreTheAPIFields(t *testing.T) {
	var v workspace.DesktopSnapshot
	rv := reflect.ValueOf(&v).Elem()
	// Each struct field holds a pointer of its own, so that the pointer a
	// declaration reads names the struct field it reads.
	fieldOf := map[any]int{}
	for i := 0; i < rv.NumField(); i++ {
		p := reflect.New(rv.Field(i).Type().Elem())
		rv.Field(i).Set(p)
		fieldOf[p.Interface()] = i
	}
	declared := map[int]string{}
	var names []string
	for i := range workspace.DesktopSnapshotObject.Fields {
		f := &workspace.DesktopSnapshotObject.Fields[i]
		at, ok := fieldOf[fieldPointer(f, &v)]
		if !ok {
			t.Errorf("%s reads no field of DesktopSnapshot", f.Name)
		}
		if other, dup := declared[at]; dup {
			t.Errorf("%s and %s declare the same struct field", other, f.Name)
		}
		declared[at] = f.Name
		names = append(names, f.Name)
	}
	for i := 0; i < rv.NumField(); i++ {
		if _, ok := declared[i]; !ok {
			t.Errorf("DesktopSnapshot.%s is not declared", rv.Type().Field(i).Name)
		}
	}
	var attrs []string
	for name := range dsSchema(t).Attributes["snapshots"].(schema.ListNestedAttribute).NestedObject.Attributes {
		attrs = append(attrs, name)
	}
	var typeNames []string
	for name := range snapshotAttrTypes {
		typeNames = append(typeNames, name)
	}
	sort.Strings(names)
	sort.Strings(attrs)
	sort.Strings(typeNames)
	if len(names) != 14 || rv.NumField() != 14 || !reflect.DeepEqual(names, attrs) || !reflect.DeepEqual(names, typeNames) {
		t.Fatalf("declared %v\nschema   %v\ntypes    %v", names, attrs, typeNames)
	}
}

// The model and the schema agree: state set from a model reads back equal.
func TestModelMatchesSchema(t *testing.T) {
	ctx := context.Background()
	s := dsSchema(t)
	list, diags := snapshotsValue([]workspace.DesktopSnapshot{{SnapshotID: ptr("x")}})
	if diags.HasError() {
		t.Fatal(diags)
	}
	in := desktopSnapshotsModel{
		ID: types.StringValue("id"), Region: types.StringValue("cn-north-4"),
		DesktopID: types.StringNull(), DesktopIDs: types.ListValueMust(types.StringType, []attr.Value{types.StringValue("a")}),
		DesktopName: types.StringNull(), DesktopNames: types.ListNull(types.StringType),
		SnapshotName: types.StringNull(), SnapshotNames: types.ListNull(types.StringType),
		DiskType: types.StringValue("ALL"), CreateType: types.StringNull(), Status: types.StringNull(),
		SortField: types.StringNull(), SortType: types.StringNull(),
		TotalCount: types.Int64Value(1), Snapshots: list,
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})},
	}
	state := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	if diags := state.Set(ctx, &in); diags.HasError() {
		t.Fatalf("State.Set: %v", diags)
	}
	var out desktopSnapshotsModel
	if diags := state.Get(ctx, &out); diags.HasError() {
		t.Fatalf("State.Get: %v", diags)
	}
	if !out.Snapshots.Equal(in.Snapshots) || !out.DesktopIDs.Equal(in.DesktopIDs) || out.ID != in.ID {
		t.Fatalf("round trip changed the model:\n%+v\n%+v", in, out)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSnapshotsValueKeepsNullApartFromEmpty(t *testing.T) {
	list, diags := snapshotsValue([]workspace.DesktopSnapshot{
		{SnapshotID: ptr("a"), Description: ptr(""), Process: ptr(int64(0)), IsSystemDisk: ptr(false)},
		{SnapshotID: ptr("b")},
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	elems := list.Elements()
	if len(elems) != 2 {
		t.Fatalf("%d elements", len(elems))
	}
	a := elems[0].(types.Object).Attributes()
	b := elems[1].(types.Object).Attributes()
	checks := []struct {
		name string
		got  attr.Value
		want attr.Value
	}{
		{"a.snapshot_id", a["snapshot_id"], types.StringValue("a")},
		{"a.description", a["description"], types.StringValue("")},
		{"a.process", a["process"], types.Int64Value(0)},
		{"a.is_system_disk", a["is_system_disk"], types.BoolValue(false)},
		{"a.desktop_id", a["desktop_id"], types.StringNull()},
		{"b.description", b["description"], types.StringNull()},
		{"b.process", b["process"], types.Int64Null()},
		{"b.is_system_disk", b["is_system_disk"], types.BoolNull()},
	}
	for _, c := range checks {
		if !c.got.Equal(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	empty, diags := snapshotsValue(nil)
	if diags.HasError() || empty.IsNull() || len(empty.Elements()) != 0 {
		t.Fatalf("no snapshots must be an empty list, got %v", empty)
	}
}

func TestDataSourceID(t *testing.T) {
	base := workspace.ListDesktopSnapshotsInput{Status: "creating", DesktopIDs: []string{"a", "b"}}
	id := dataSourceID("cn-north-4", "p1", base.Query())
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Fatalf("id %q is not 32 hex digits", id)
	}
	if again := dataSourceID("cn-north-4", "p1", base.Query()); again != id {
		t.Fatalf("same input, different IDs: %s, %s", id, again)
	}
	others := map[string]string{
		"region":        dataSourceID("cn-north-1", "p1", base.Query()),
		"project":       dataSourceID("cn-north-4", "p2", base.Query()),
		"filter":        dataSourceID("cn-north-4", "p1", workspace.ListDesktopSnapshotsInput{Status: "creating", DesktopIDs: []string{"a"}}.Query()),
		"list order":    dataSourceID("cn-north-4", "p1", workspace.ListDesktopSnapshotsInput{Status: "creating", DesktopIDs: []string{"b", "a"}}.Query()),
		"concatenation": dataSourceID("cn-north-4p", "1", base.Query()),
	}
	for what, other := range others {
		if other == id {
			t.Errorf("a different %s gave the same ID %s", what, id)
		}
	}
}

// fieldPointer is the pointer f reads in v, whatever its kind.
func fieldPointer[T any](f *listing.Field[T], v *T) any {
	switch f.Kind {
	case listing.KindString:
		return f.StringOf(v)
	case listing.KindBool:
		return f.BoolOf(v)
	case listing.KindInt64:
		return f.Int64Of(v)
	default:
		return f.Float64Of(v)
	}
}
