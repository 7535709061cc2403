package schemakit_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/resources"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// filterAttr is what both schema packages' attributes tell of an argument.
type filterAttr interface {
	IsOptional() bool
	IsRequired() bool
	IsComputed() bool
	GetMarkdownDescription() string
}

// validatorCount counts a string or list attribute's validators.
func validatorCount(a any) int {
	switch v := a.(type) {
	case interface{ StringValidators() []validator.String }:
		return len(v.StringValidators())
	case interface{ ListValidators() []validator.List }:
		return len(v.ListValidators())
	}
	return -1
}

// TestListResourceAndDataSourceFiltersAgree fails when the list resource's
// filter arguments and the list data source's drift apart: the same names
// (the declared filters, and no other optional argument but region), the same
// optionality, the same number of validators and the same description.
func TestListResourceAndDataSourceFiltersAgree(t *testing.T) {
	ctx := context.Background()
	var ds datasource.SchemaResponse
	datasources.NewDesktopSnapshotsDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	var lr list.ListResourceSchemaResponse
	resources.NewDesktopSnapshotListResource().ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &lr)
	if ds.Diagnostics.HasError() || lr.Diagnostics.HasError() {
		t.Fatalf("schemas: %v %v", ds.Diagnostics, lr.Diagnostics)
	}
	var want []string
	for _, f := range schemakit.SnapshotFilters() {
		want = append(want, f.Name)
	}
	slices.Sort(want)
	dsArgs := map[string]filterAttr{}
	for name, a := range ds.Schema.Attributes {
		if a.IsOptional() && !a.IsComputed() {
			dsArgs[name] = a
		}
	}
	lrArgs := map[string]filterAttr{}
	for name, a := range lr.Schema.Attributes {
		if name != "region" {
			lrArgs[name] = a
		}
	}
	if got := slices.Sorted(maps.Keys(dsArgs)); !slices.Equal(got, want) {
		t.Errorf("data source filters %v, want %v", got, want)
	}
	if got := slices.Sorted(maps.Keys(lrArgs)); !slices.Equal(got, want) {
		t.Errorf("list resource filters %v, want %v", got, want)
	}
	for _, name := range want {
		d, l := dsArgs[name], lrArgs[name]
		if d == nil || l == nil {
			continue
		}
		if d.IsOptional() != l.IsOptional() || d.IsRequired() != l.IsRequired() || d.IsComputed() != l.IsComputed() {
			t.Errorf("%s: optional/required/computed %v/%v/%v in the data source, %v/%v/%v in the list resource", name,
				d.IsOptional(), d.IsRequired(), d.IsComputed(), l.IsOptional(), l.IsRequired(), l.IsComputed())
		}
		if dn, ln := validatorCount(d), validatorCount(l); dn != ln || dn < 1 {
			t.Errorf("%s: %d validators in the data source, %d in the list resource", name, dn, ln)
		}
		if d.GetMarkdownDescription() != l.GetMarkdownDescription() {
			t.Errorf("%s: descriptions differ:\n%s\n%s", name, d.GetMarkdownDescription(), l.GetMarkdownDescription())
		}
	}
}

// TestEachFilterSetsItsQueryKey checks that each filter's value reaches the
// request under the filter's name, and no other key.
func TestEachFilterSetsItsQueryKey(t *testing.T) {
	ctx := context.Background()
	for _, f := range schemakit.SnapshotFilters() {
		in, diags := schemakit.SnapshotsInput(ctx, func(g schemakit.Filter) (attr.Value, diag.Diagnostics) {
			switch {
			case g.Name != f.Name:
				return g.Target(), nil
			case g.Kind == schemakit.FilterList:
				return types.ListValueMust(types.StringType, []attr.Value{types.StringValue("a"), types.StringValue("b")}), nil
			default:
				return types.StringValue("v"), nil
			}
		})
		if diags.HasError() {
			t.Fatalf("%s: %v", f.Name, diags)
		}
		q := in.Query()
		want := 1
		if f.Kind == schemakit.FilterList {
			want = 2
		}
		if len(q) != want {
			t.Errorf("%s: query %v, want %d parameters", f.Name, q, want)
		}
		for _, p := range q {
			if p.Key != f.Name {
				t.Errorf("%s: sets query key %q", f.Name, p.Key)
			}
		}
	}
}
