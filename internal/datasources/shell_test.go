package datasources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// "Adding a listed object" (DESIGN.md), done in this file alone for a
// test-only object: the client part (struct, declaration, listing), the
// data source (one spec value), and its items in the fake API. Nothing else
// in the provider or the fake knows widgets.

// widget is the test-only listed object.
type widget struct {
	ID    *string
	Color *string
	Size  *int64
	Shiny *bool
}

// 1. The client part: the fields declared once and the listing.
var widgetObject = listing.NewObject(
	listing.String("widget_id", func(w *widget) **string { return &w.ID }, "Widget ID."),
	listing.String("color", func(w *widget) **string { return &w.Color }, "Its color."),
	listing.Int64("size", func(w *widget) **int64 { return &w.Size }, "Its size."),
	listing.Bool("shiny", func(w *widget) **bool { return &w.Shiny }, "Whether it shines."),
)

var widgets = &listing.Listing[widget]{
	Noun: "widgets", Items: "widgets", FilterHint: "color",
	Path:     func(projectID string) string { return "/v1/" + projectID + "/widgets" },
	ItemsKey: "widgets", Object: widgetObject,
	KeyName: "widget_id", Key: func(w *widget) *string { return w.ID },
}

// 2. The data source: one spec value.
var widgetsSpec = &dataSourceSpec[types.String]{
	typeName:    "_test_widgets",
	description: "Lists widgets.",
	regionDesc:  "The region to list widgets in.",
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"color":       schema.StringAttribute{Optional: true, MarkdownDescription: "Only widgets of this color."},
			"total_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "How many widgets were found."},
			"widgets":     itemsAttribute(widgetObject, "The widgets found."),
		}
	},
	args: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) types.String {
		var color types.String
		diags.Append(cfg.GetAttribute(ctx, path.Root("color"), &color)...)
		return color
	},
	read: func(st *started, color types.String, diags *diag.Diagnostics) *readState {
		var q sign.Query
		if c := color.ValueString(); c != "" {
			q.Add("color", c)
		}
		out := listAll(st, widgets, q, listing.ListOptions[widget]{}, diags)
		if out == nil {
			return nil
		}
		return &readState{
			attrs: map[string]tftypes.Value{"total_count": tftypes.NewValue(tftypes.Number, int64(len(out.Items)))},
			items: map[string]stateItems{"widgets": itemList[widget]{widgetObject, out.Items}},
		}
	},
}

// 3. The fake: its items in a project of the fake API, which pages and
// filters them (fakeapi.List).
func widgetAPI(t *testing.T) (*fakeapi.Server, string) {
	api := fakeapi.NewServer(fakeapi.Options{
		Credentials: []fakeapi.Credential{{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}},
		Projects: []fakeapi.Project{{ID: "p1", Name: "xx-test-1", Lists: map[string]fakeapi.List{"widgets": {ItemsKey: "widgets", Items: []map[string]any{
			{"widget_id": "w1", "color": "red", "size": 3, "shiny": true},
			{"widget_id": "w2", "color": "blue", "size": 0},
			{"widget_id": "w3", "color": "red", "shiny": false},
		}}}}},
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return api, srv.URL
}

// widgetProvider serves widgets alone, through the framework.
type widgetProvider struct{ session *client.Session }

func (p widgetProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "huaweicloud"
}
func (p widgetProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {
}
func (p widgetProvider) Configure(_ context.Context, _ fwprovider.ConfigureRequest, resp *fwprovider.ConfigureResponse) {
	resp.DataSourceData = p.session
}
func (p widgetProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{widgetsSpec.newDataSource}
}
func (p widgetProvider) Resources(context.Context) []func() resource.Resource { return nil }

// TestAListedObjectIsOneSpec reads the test-only widgets data source on both
// paths, the framework's (providerserver) and the protocol path the provider
// serves (ReadProto), and checks the exact state: the same bytes, the
// configuration kept, the region filled in, the items as the API gave them.
func TestAListedObjectIsOneSpec(t *testing.T) {
	ctx := context.Background()
	api, url := widgetAPI(t)
	session := client.NewSession(client.SessionConfig{
		Client:    transport.New(transport.Config{Credentials: sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}}),
		Region:    "xx-test-1",
		Endpoints: map[string]string{"workspace": url, "iam": url},
	})
	srv, err := providerserver.NewProtocol6WithError(widgetProvider{session})()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	s, ok := schemas.DataSourceSchemas["huaweicloud_test_widgets"]
	if !ok {
		t.Fatalf("no huaweicloud_test_widgets in %v", schemas.DataSourceSchemas)
	}
	emptyCfg, _ := tfprotov6.NewDynamicValue(tftypes.Object{}, tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{}))
	if r, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.16.4", Config: &emptyCfg}); err != nil || len(r.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, r.Diagnostics)
	}
	typ := s.ValueType().(tftypes.Object)
	wt := typ.AttributeTypes["widgets"].(tftypes.List).ElementType
	config := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		config[name] = tftypes.NewValue(at, nil)
	}
	config["color"] = tftypes.NewValue(tftypes.String, "red")
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, config))
	if err != nil {
		t.Fatal(err)
	}
	req := &tfprotov6.ReadDataSourceRequest{TypeName: "huaweicloud_test_widgets", Config: &cfg}

	framework, err := srv.ReadDataSource(ctx, req)
	if err != nil || len(framework.Diagnostics) > 0 || framework.State == nil {
		t.Fatalf("framework read: %v %v", err, framework.Diagnostics)
	}
	proto := widgetsSpec.newDataSource().(ProtoReader).ReadProto(ctx, session, req)
	if len(proto.Diagnostics) > 0 || proto.State == nil {
		t.Fatalf("protocol read: %v", proto.Diagnostics)
	}

	str := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	item := func(id string, size, shiny any) tftypes.Value {
		return tftypes.NewValue(wt, map[string]tftypes.Value{
			"widget_id": str(id), "color": str("red"),
			"size": tftypes.NewValue(tftypes.Number, size), "shiny": tftypes.NewValue(tftypes.Bool, shiny),
		})
	}
	want := map[string]tftypes.Value{}
	for name, v := range config {
		want[name] = v
	}
	want["region"] = str("xx-test-1")
	want["total_count"] = tftypes.NewValue(tftypes.Number, 2)
	want["widgets"] = tftypes.NewValue(typ.AttributeTypes["widgets"], []tftypes.Value{item("w1", 3, true), item("w3", nil, false)})
	wantValue := tftypes.NewValue(typ, want)
	for name, state := range map[string]*tfprotov6.DynamicValue{"framework": framework.State, "protocol": proto.State} {
		got, err := state.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		if diffs, _ := got.Diff(wantValue); len(diffs) > 0 {
			t.Errorf("the %s path's state differs: %v", name, diffs)
		}
	}
	if string(framework.State.MsgPack) != string(proto.State.MsgPack) {
		t.Errorf("the two paths encode different states:\nframework %x\nprotocol  %x", framework.State.MsgPack, proto.State.MsgPack)
	}

	// A refusal is one error on both paths, named after the listing.
	api.Fail(fakeapi.Fault{Path: "/v1/p1/widgets", Times: 2, Status: http.StatusForbidden, Body: `{"error_code":"WKS.0003","error_msg":"denied"}`})
	framework, err = srv.ReadDataSource(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	proto = widgetsSpec.newDataSource().(ProtoReader).ReadProto(ctx, session, req)
	for name, diags := range map[string][]*tfprotov6.Diagnostic{"framework": framework.Diagnostics, "protocol": proto.Diagnostics} {
		if len(diags) != 1 || diags[0].Summary != "Cannot list widgets" ||
			!strings.HasSuffix(diags[0].Detail, "\n\nThe credentials lack permission to list Workspace widgets in this project.") {
			t.Errorf("the %s path's diagnostics: %v", name, diags)
		}
	}
}

// widgetInput is the widgets' request, for their schemakit.Listed value.
type widgetInput struct{ color string }

func (in widgetInput) Query() sign.Query {
	var q sign.Query
	if in.color != "" {
		q.Add("color", in.color)
	}
	return q
}

// widgetListed describes the widgets once, as a resource and a list
// resource would take them too; listDataSource gives their list data source.
var widgetListed = &schemakit.Listed[widget, widgetInput]{
	TypeName: "_test_widget",
	One:      "widget",
	Listing:  widgets,
	Filters: func() []schemakit.Filter {
		return []schemakit.Filter{{Name: "color", Kind: schemakit.FilterString, Meaning: "Color: only widgets of this color."}}
	},
	Input: func(_ context.Context, value func(schemakit.Filter) (attr.Value, diag.Diagnostics)) (widgetInput, diag.Diagnostics) {
		v, diags := value(schemakit.Filter{Name: "color", Kind: schemakit.FilterString})
		s, _ := v.(types.String)
		return widgetInput{color: s.ValueString()}, diags
	},
	ItemsDescription: "The widgets found.",
}

// TestAListedObjectGivesItsListDataSource reads the list data source that
// listDataSource makes of the test-only widgets' description: its type name,
// its filter, id, total_count and the items under the listing's name.
func TestAListedObjectGivesItsListDataSource(t *testing.T) {
	ctx := context.Background()
	_, url := widgetAPI(t)
	session := client.NewSession(client.SessionConfig{
		Client:    transport.New(transport.Config{Credentials: sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}}),
		Region:    "xx-test-1",
		Endpoints: map[string]string{"workspace": url, "iam": url},
	})
	ds := listDataSource(widgetListed, "Lists widgets.", "The region to list widgets in.").newDataSource()
	var md datasource.MetadataResponse
	ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "huaweicloud"}, &md)
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	if md.TypeName != "huaweicloud_test_widgets" || sr.Diagnostics.HasError() {
		t.Fatalf("type name %q, schema %v", md.TypeName, sr.Diagnostics)
	}
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	config := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		config[name] = tftypes.NewValue(at, nil)
	}
	config["color"] = tftypes.NewValue(tftypes.String, "red")
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, config))
	if err != nil {
		t.Fatal(err)
	}
	resp := ds.(ProtoReader).ReadProto(ctx, session, &tfprotov6.ReadDataSourceRequest{TypeName: md.TypeName, Config: &cfg})
	if len(resp.Diagnostics) > 0 || resp.State == nil {
		t.Fatalf("read: %v", resp.Diagnostics)
	}
	got, err := resp.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	wt := typ.AttributeTypes["widgets"].(tftypes.List).ElementType
	item := func(id string, size, shiny any) tftypes.Value {
		return tftypes.NewValue(wt, map[string]tftypes.Value{
			"widget_id": tftypes.NewValue(tftypes.String, id), "color": tftypes.NewValue(tftypes.String, "red"),
			"size": tftypes.NewValue(tftypes.Number, size), "shiny": tftypes.NewValue(tftypes.Bool, shiny),
		})
	}
	want := config
	want["region"] = tftypes.NewValue(tftypes.String, "xx-test-1")
	want["id"] = tftypes.NewValue(tftypes.String, dataSourceID("xx-test-1", "p1", widgetInput{color: "red"}.Query()))
	want["total_count"] = tftypes.NewValue(tftypes.Number, 2)
	want["widgets"] = tftypes.NewValue(typ.AttributeTypes["widgets"], []tftypes.Value{item("w1", 3, true), item("w3", nil, false)})
	if diffs, _ := got.Diff(tftypes.NewValue(typ, want)); len(diffs) > 0 {
		t.Errorf("the state differs: %v", diffs)
	}
}
