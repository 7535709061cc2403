package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func validateEndpoints(t *testing.T, m map[string]string) validator.MapResponse {
	t.Helper()
	elems := map[string]attr.Value{}
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	var resp validator.MapResponse
	endpointKeys{}.ValidateMap(context.Background(), validator.MapRequest{
		Path: path.Root("endpoints"), ConfigValue: types.MapValueMust(types.StringType, elems),
	}, &resp)
	return resp
}

// A map copied from the official provider's configuration: the keys this
// provider does not use, in any form the official provider takes (without a
// scheme too), give one warning naming them and the keys used; no error.
func TestEndpointKeysUnusedWarn(t *testing.T) {
	resp := validateEndpoints(t, map[string]string{
		"workspace": "https://workspace.cn-north-4.myhuaweicloud.com",
		"ecs":       "ecs.cn-north-4.myhuaweicloud.com",
		"vpc":       "https://vpc.cn-north-4.myhuaweicloud.com/",
		"ims":       "ims.cn-north-4.myhuaweicloud.com",
		"mycloud":   "https://mycloud.example.com",
	})
	if resp.Diagnostics.HasError() {
		t.Fatalf("errors: %v", resp.Diagnostics.Errors())
	}
	w := resp.Diagnostics.Warnings()
	if len(w) != 1 {
		t.Fatalf("warnings: %v, want one", w)
	}
	want := `endpoints sets "ecs", "ims", "mycloud" and "vpc", which this provider does not use, and they are ignored. It uses only "workspace", "iam" and "sts"`
	if w[0].Summary() != "Endpoints not used by this provider" || !strings.Contains(w[0].Detail(), want) {
		t.Fatalf("warning %q: %q\nwant the detail to contain %q", w[0].Summary(), w[0].Detail(), want)
	}
}

// A likely typo of a used key is an error with a did-you-mean, on that key.
func TestEndpointKeysTypos(t *testing.T) {
	for key, meant := range map[string]string{
		"worksapce": "workspace", "workspaces": "workspace", "Workspace": "workspace", "wrkspace": "workspace",
		"IAM": "iam", "iam ": "iam", "ima": "iam",
	} {
		resp := validateEndpoints(t, map[string]string{key: "https://example.com"})
		errs := resp.Diagnostics.Errors()
		if len(errs) != 1 || !strings.Contains(errs[0].Detail(), `Did you mean "`+meant+`"?`) {
			t.Errorf("%q: %v, want one error with did you mean %q", key, errs, meant)
			continue
		}
		if got := errs[0].(interface{ Path() path.Path }).Path(); !got.Equal(path.Root("endpoints").AtMapKey(key)) {
			t.Errorf("%q: error on %s", key, got)
		}
	}
	// Official services near a used key are not typos.
	for _, key := range []string{"ims", "sms", "ecs", "dws"} {
		if resp := validateEndpoints(t, map[string]string{key: "https://example.com"}); resp.Diagnostics.HasError() {
			t.Errorf("%q: %v, want only a warning", key, resp.Diagnostics)
		}
	}
}

// The URLs of used keys are still checked.
func TestEndpointKeysUsedURLChecked(t *testing.T) {
	resp := validateEndpoints(t, map[string]string{"iam": "iam.example.com"})
	if errs := resp.Diagnostics.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Detail(), `"iam.example.com" is not an absolute http:// or https:// URL`) {
		t.Fatalf("errors: %v", errs)
	}
}

// An unknown endpoints map has no variable to offer; a setting with
// variables names them all.
func TestUnknownSettingDetail(t *testing.T) {
	got := unknownSettingDetail(settingEndpoints)
	if strings.Contains(got, "variable") || !strings.Contains(got, `Set "endpoints" to a value known at plan time, or apply the resources it depends on first`) {
		t.Errorf("endpoints: %q", got)
	}
	got = unknownSettingDetail(settingCACertFile)
	if !strings.Contains(got, `Set "cacert_file" to a value known at plan time or use its environment variable (HW_CACERT, then OS_CACERT), or apply`) {
		t.Errorf("cacert_file: %q", got)
	}
}

// region = "" in the provider block counts as unset: HW_REGION_NAME applies.
func TestResolveEmptyRegion(t *testing.T) {
	t.Setenv(EnvRegion, "cn-north-4")
	m := nullModel()
	m.Region = types.StringValue("")
	m.AccessKey, m.SecretKey = types.StringValue("AK"), types.StringValue("SK")
	r, err := m.resolve(processEnv)
	if err != nil || r.region != "cn-north-4" {
		t.Fatalf("resolve() = region %q, %v; want cn-north-4 from HW_REGION_NAME", r.region, err)
	}
}

// Every attribute of the schema, unknown at plan time, is reported by
// unknownSettings under its own name.
func TestUnknownSettingsCoverSchema(t *testing.T) {
	ctx := context.Background()
	s := providerSchema(t).Schema
	typ := s.Type().TerraformType(ctx).(tftypes.Object)
	for name := range s.Attributes {
		t.Run(name, func(t *testing.T) {
			vals := map[string]tftypes.Value{}
			for n, at := range typ.AttributeTypes {
				vals[n] = tftypes.NewValue(at, nil)
			}
			vals[name] = tftypes.NewValue(typ.AttributeTypes[name], tftypes.UnknownValue)
			var m Model
			if diags := (tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, vals)}).Get(ctx, &m); diags.HasError() {
				t.Fatal(diags)
			}
			var got []string
			for _, u := range m.unknownSettings() {
				got = append(got, u.attr)
			}
			if len(got) != 1 || got[0] != name {
				t.Errorf("unknownSettings = %v, want [%s]", got, name)
			}
		})
	}
}
