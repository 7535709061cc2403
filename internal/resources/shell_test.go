package resources

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// The list resource of a test-only object, made from its one description
// (schemakit.Listed) in this file alone: struct, declaration, listing, the
// object with its one filter, and the fake's items. Nothing else in the
// provider or the fake knows gadgets.

type gadget struct {
	ID    *string
	Color *string
	Size  *int64
}

var gadgetObject = listing.NewObject(
	listing.String("gadget_id", func(g *gadget) **string { return &g.ID }, "Gadget ID."),
	listing.String("color", func(g *gadget) **string { return &g.Color }, "Its color."),
	listing.Int64("size", func(g *gadget) **int64 { return &g.Size }, "Its size."),
)

// gadgetInput is the gadgets' request.
type gadgetInput struct{ color string }

func (in gadgetInput) Query() sign.Query {
	var q sign.Query
	if in.color != "" {
		q.Add("color", in.color)
	}
	return q
}

var gadgets = &schemakit.Listed[gadget, gadgetInput]{
	TypeName: "_test_gadget",
	One:      "gadget",
	Listing: &listing.Listing[gadget]{
		Noun: "gadgets", Items: "gadgets", FilterHint: "color",
		Path:     func(projectID string) string { return "/v1/" + projectID + "/gadgets" },
		ItemsKey: "gadgets", Object: gadgetObject,
		KeyName: "gadget_id", Key: func(g *gadget) *string { return g.ID },
	},
	Filters: func() []schemakit.Filter {
		return []schemakit.Filter{{Name: "color", Kind: schemakit.FilterString, Meaning: "Color: only gadgets of this color."}}
	},
	Input: func(_ context.Context, value func(schemakit.Filter) (attr.Value, diag.Diagnostics)) (gadgetInput, diag.Diagnostics) {
		v, diags := value(schemakit.Filter{Name: "color", Kind: schemakit.FilterString})
		s, _ := v.(types.String)
		return gadgetInput{color: s.ValueString()}, diags
	},
	Display: func(g *gadget) string { return *g.ID + " (" + *g.Color + ")" },
}

// setGadget writes a gadget as its resource's object.
func setGadget(ctx context.Context, st attrSetter, g *gadget, configured types.String, region string, diags *diag.Diagnostics) {
	for name, v := range gadgets.Values(g) {
		diags.Append(st.SetAttribute(ctx, path.Root(name), v)...)
	}
	if configured.IsNull() {
		configured = types.StringValue(region)
	}
	diags.Append(st.SetAttribute(ctx, path.Root("region"), configured)...)
}

// TestAListResourceIsOneObject lists the test-only gadgets through the list
// resource made from their description: the schema has the filter and the
// region, the filter selects, and each result has the display name, the
// identity (ID attribute and region) and the resource's object.
func TestAListResourceIsOneObject(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(fakeapi.NewServer(fakeapi.Options{
		Credentials: []fakeapi.Credential{{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}},
		Projects: []fakeapi.Project{{ID: "p1", Name: "xx-test-1", Lists: map[string]fakeapi.List{"gadgets": {ItemsKey: "gadgets", Items: []map[string]any{
			{"gadget_id": "g1", "color": "red", "size": 3},
			{"gadget_id": "g2", "color": "blue"},
			{"gadget_id": "g3", "color": "red"},
		}}}}},
	}))
	t.Cleanup(srv.Close)
	l := newListResource(gadgets, "Lists gadgets.", setGadget)
	l.session = client.NewSession(client.SessionConfig{
		Client:    transport.New(transport.Config{Credentials: sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}}),
		Region:    "xx-test-1",
		Endpoints: map[string]string{"workspace": srv.URL, "iam": srv.URL},
	})
	var md resource.MetadataResponse
	l.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "huaweicloud"}, &md)
	var sr list.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &sr)
	if md.TypeName != "huaweicloud_test_gadget" || len(sr.Schema.Attributes) != 2 || sr.Schema.Attributes["color"] == nil || sr.Schema.Attributes["region"] == nil {
		t.Fatalf("type name %q, schema %v", md.TypeName, sr.Schema.Attributes)
	}
	cfgType := sr.Schema.Type().TerraformType(ctx)
	attrs := computedAttributes(gadgets)
	attrs["region"] = schema.StringAttribute{Optional: true, Computed: true}
	req := list.ListRequest{
		Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(cfgType, map[string]tftypes.Value{
			"color": tftypes.NewValue(tftypes.String, "red"), "region": tftypes.NewValue(tftypes.String, nil),
		})},
		IncludeResource:        true,
		ResourceSchema:         schema.Schema{Attributes: attrs},
		ResourceIdentitySchema: identitySchema(gadgets),
	}
	var stream list.ListResultsStream
	l.List(ctx, req, &stream)
	var got []string
	for r := range stream.Results {
		if r.Diagnostics.HasError() {
			t.Fatalf("result: %v", r.Diagnostics)
		}
		var id, region, color types.String
		var size types.Int64
		r.Identity.GetAttribute(ctx, path.Root("gadget_id"), &id)
		r.Identity.GetAttribute(ctx, path.Root("region"), &region)
		r.Resource.GetAttribute(ctx, path.Root("color"), &color)
		r.Resource.GetAttribute(ctx, path.Root("size"), &size)
		var objID types.String
		r.Resource.GetAttribute(ctx, path.Root("id"), &objID)
		got = append(got, r.DisplayName+" "+id.ValueString()+" "+region.ValueString()+" "+color.ValueString()+" "+size.String()+" "+objID.ValueString())
	}
	want := []string{"g1 (red) g1 xx-test-1 red 3 g1", "g3 (red) g3 xx-test-1 red <null> g3"}
	if !slices.Equal(got, want) {
		t.Errorf("results:\n%q\nwant\n%q", got, want)
	}
}
