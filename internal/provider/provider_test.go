package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

func providerSchema(t *testing.T) fwprovider.SchemaResponse {
	t.Helper()
	var resp fwprovider.SchemaResponse
	New("test")().Schema(context.Background(), fwprovider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp
}

func TestSchemaIsValid(t *testing.T) {
	resp := providerSchema(t)
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("ValidateImplementation: %v", diags)
	}
	for name, a := range resp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("attribute %s has no MarkdownDescription", name)
		}
	}
	for _, secret := range []string{"access_key", "secret_key", "security_token"} {
		if !resp.Schema.Attributes[secret].IsSensitive() {
			t.Errorf("%s must be sensitive", secret)
		}
	}
}

// The Model and the schema agree: a null configuration decodes into Model.
func TestModelMatchesSchema(t *testing.T) {
	ctx := context.Background()
	s := providerSchema(t).Schema
	// an object with every attribute null
	attrs := map[string]tftypes.Value{}
	for name, a := range s.Attributes {
		attrs[name] = tftypes.NewValue(a.GetType().TerraformType(ctx), nil)
	}
	for name, b := range s.Blocks {
		attrs[name] = tftypes.NewValue(b.Type().TerraformType(ctx), nil)
	}
	cfg := tfsdk.Config{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), attrs)}
	var m Model
	if diags := cfg.Get(ctx, &m); diags.HasError() {
		t.Fatalf("Config.Get: %v", diags)
	}
}

func TestResolveFallsBackToEnvironment(t *testing.T) {
	t.Setenv(EnvRegion, "cn-north-4")
	t.Setenv(EnvAccessKey, " AKENV ")
	t.Setenv(EnvSecretKey, "SKENV")
	t.Setenv(EnvSecurityToken, "TOKENENV")
	t.Setenv(EnvProjectID, "PIDENV")
	t.Setenv(EnvCloud, "example.cloud")
	t.Setenv(EnvAuthURL, "https://iam.example.cloud/v3")
	t.Setenv(EnvInsecure, "true")
	t.Setenv(EnvMaxRetries, "7")
	t.Setenv(EnvMaxConcurrency, "3")
	t.Setenv(EnvSigningAlgorithm, "SM2SM3")
	r, err := nullModel().resolve(processEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := resolved{
		region: "cn-north-4", accessKey: "AKENV", secretKey: "SKENV", securityToken: "TOKENENV",
		projectID: "PIDENV", cloud: "example.cloud", authURL: "https://iam.example.cloud/v3",
		endpoints: map[string]string{}, insecure: true, maxRetries: 7, maxConcurrency: 3,
		signingAlgorithm: sign.SM2SM3,
		credSource:       "HW_ACCESS_KEY and HW_SECRET_KEY",
	}
	if !equalResolved(r, want) {
		t.Fatalf("resolve() = %+v, want %+v", r, want)
	}
}

// The OS_* variables the official provider reads come after their HW_* ones.
func TestResolveOSFallbacks(t *testing.T) {
	t.Setenv(EnvOSRegion, "os-region")
	t.Setenv(EnvOSProjectID, "os-project")
	t.Setenv(EnvOSAuthURL, "https://iam.os.example/v3")
	t.Setenv(EnvOSInsecure, "true")
	t.Setenv(EnvOSAccessKey, "OSAK")
	t.Setenv(EnvOSSecretKey, "os-secret")
	r, err := nullModel().resolve(processEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := resolved{
		region: "os-region", accessKey: "OSAK", secretKey: "os-secret", projectID: "os-project", cloud: client.DefaultCloud,
		authURL: "https://iam.os.example/v3", endpoints: map[string]string{}, insecure: true, maxRetries: DefaultMaxRetries,
		maxConcurrency: transport.DefaultMaxConcurrency, credSource: "OS_ACCESS_KEY and OS_SECRET_KEY", signingAlgorithm: sign.HmacSHA256,
	}
	if !equalResolved(r, want) {
		t.Fatalf("resolve() = %+v, want %+v", r, want)
	}
	// HW_* wins.
	t.Setenv(EnvRegion, "hw-region")
	t.Setenv(EnvProjectID, "hw-project")
	t.Setenv(EnvAuthURL, "https://iam.hw.example")
	t.Setenv(EnvInsecure, "false")
	if r, err = nullModel().resolve(processEnv); err != nil {
		t.Fatal(err)
	}
	if r.region != "hw-region" || r.projectID != "hw-project" || r.authURL != "https://iam.hw.example" || r.insecure {
		t.Fatalf("HW_* did not win: %+v", r)
	}
}

// Agencies: the profile's first, then the blocks in order, or the variables'
// one without blocks.
func TestResolveAssumeRoles(t *testing.T) {
	t.Setenv(EnvRegion, "cn-north-4")
	t.Setenv(EnvAccessKey, "AK")
	t.Setenv(EnvSecretKey, "SK")
	t.Setenv(EnvAssumeRoleAgencyName, "env-agency")
	t.Setenv(EnvAssumeRoleDomainID, "env-domain-id")
	t.Setenv(EnvAssumeRoleDuration, "3600")
	r, err := nullModel().resolve(processEnv)
	if err != nil {
		t.Fatal(err)
	}
	if want := []creds.AssumeRole{{AgencyName: "env-agency", DomainID: "env-domain-id", Duration: 3600}}; !reflect.DeepEqual(r.roles, want) {
		t.Fatalf("roles from the variables = %+v, want %+v", r.roles, want)
	}
	m := nullModel()
	m.AssumeRole = []assumeRoleModel{
		{AgencyName: types.StringValue("a"), DomainName: types.StringValue("dom-a"), DomainID: types.StringNull(), Duration: types.Int64Null()},
		{AgencyName: types.StringValue("b"), DomainName: types.StringNull(), DomainID: types.StringValue("id-b"), Duration: types.Int64Value(900)},
	}
	if r, err = m.resolve(processEnv); err != nil {
		t.Fatal(err)
	}
	want := []creds.AssumeRole{{AgencyName: "a", DomainName: "dom-a"}, {AgencyName: "b", DomainID: "id-b", Duration: 900}}
	if !reflect.DeepEqual(r.roles, want) {
		t.Fatalf("roles from the blocks = %+v, want %+v", r.roles, want)
	}
	t.Setenv(EnvAssumeRoleDuration, "60")
	m.AssumeRole = nil
	if _, err = m.resolve(processEnv); err == nil || err.Error() != `HW_ASSUME_ROLE_DURATION="60" is not a whole number of seconds from 900 to 43200: fix it, or unset it for the API's default.` {
		t.Fatalf("resolve() error = %v", err)
	}
}

func TestResolveAttributesWin(t *testing.T) {
	t.Setenv(EnvRegion, "env-region")
	t.Setenv(EnvAccessKey, "AKENV")
	t.Setenv(EnvSecretKey, "SKENV")
	t.Setenv(EnvInsecure, "true")
	t.Setenv(EnvMaxRetries, "7")
	t.Setenv(EnvMaxConcurrency, "9")
	t.Setenv(EnvSigningAlgorithm, "HmacSM3")
	m := nullModel()
	m.Region = types.StringValue("cn-north-4")
	m.AccessKey = types.StringValue("AK")
	m.SecretKey = types.StringValue("SK")
	m.Insecure = types.BoolValue(false)
	m.MaxRetries = types.Int64Value(0)
	m.MaxConcurrency = types.Int64Value(2)
	m.SigningAlgorithm = types.StringValue("EcdsaP256SHA256")
	m.Endpoints = types.MapValueMust(types.StringType, map[string]attr.Value{"workspace": types.StringValue("http://127.0.0.1:1/")})
	r, err := m.resolve(processEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := resolved{
		region: "cn-north-4", accessKey: "AK", secretKey: "SK", cloud: client.DefaultCloud,
		endpoints: map[string]string{"workspace": "http://127.0.0.1:1/"}, insecure: false, maxRetries: 0, maxConcurrency: 2,
		signingAlgorithm: sign.EcdsaP256SHA256,
		credSource:       "access_key and secret_key in the provider block",
	}
	if !equalResolved(r, want) {
		t.Fatalf("resolve() = %+v, want %+v", r, want)
	}
}

func TestResolveDefaultsAndMissing(t *testing.T) {
	for _, k := range []string{EnvRegion, EnvAccessKey, EnvSecretKey, EnvMaxRetries, EnvInsecure, EnvCloud} {
		t.Setenv(k, "")
	}
	r, err := nullModel().resolve(processEnv)
	if err != nil || r.creds.metadata != creds.DefaultMetadataEndpoint {
		t.Fatalf("resolve() = %+v, %v, want keys from the metadata service", r.creds, err)
	}
	if r.cloud != "myhuaweicloud.com" || r.maxRetries != DefaultMaxRetries || r.insecure || r.signingAlgorithm != sign.HmacSHA256 {
		t.Fatalf("defaults: cloud %q, max_retries %d, insecure %v, signing_algorithm %q", r.cloud, r.maxRetries, r.insecure, r.signingAlgorithm)
	}
	var names []string
	for _, s := range r.missing() {
		names = append(names, s.describe())
	}
	if got, want := strings.Join(names, ", "), `"region" (or HW_REGION_NAME, then OS_REGION_NAME)`; got != want {
		t.Fatalf("missing = %s, want %s", got, want)
	}
}

func TestResolveBadEnvironment(t *testing.T) {
	cases := []struct{ env, value, want string }{
		{EnvInsecure, "yes please", `HW_INSECURE="yes please" is not a boolean: set it to true or false, or unset it`},
		{EnvMaxRetries, "101", `HW_MAX_RETRIES="101" is not a whole number from 0 to 100: fix it, or unset it for the default 5`},
		{EnvMaxRetries, "-1", `HW_MAX_RETRIES="-1" is not a whole number from 0 to 100`},
		{EnvMaxConcurrency, "0", `HW_MAX_CONCURRENCY="0" is not a whole number from 1 to 16: fix it, or unset it for the default 6`},
		{EnvMaxConcurrency, "four", `HW_MAX_CONCURRENCY="four" is not a whole number from 1 to 16`},
		{EnvOSInsecure, "sure", `OS_INSECURE="sure" is not a boolean: set it to true or false, or unset it`},
		{EnvAssumeRoleAgencyName, "ops", `HW_ASSUME_ROLE_AGENCY_NAME is set: set exactly one of HW_ASSUME_ROLE_DOMAIN_NAME (assumed through IAM) and HW_ASSUME_ROLE_DOMAIN_ID (through STS) to name the account that owns agency "ops".`},
		{EnvAuthURL, "iam.example.com", `"auth_url" (or HW_AUTH_URL, then OS_AUTH_URL): "iam.example.com" is not an absolute http:// or https:// URL`},
		{EnvAuthURL, "https://iam.example.com/v3?x=1", `"auth_url" (or HW_AUTH_URL, then OS_AUTH_URL): "https://iam.example.com/v3?x=1" has a query or fragment`},
		{EnvSigningAlgorithm, "hmacsha256", `HW_SIGNING_ALGORITHM="hmacsha256" is not a signing algorithm: use one of HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3 (names are case-sensitive), or unset it for the default HmacSHA256`},
		{EnvSigningAlgorithm, "SDK-HMAC-SM3", `HW_SIGNING_ALGORITHM="SDK-HMAC-SM3" is not a signing algorithm`},
	}
	for _, tc := range cases {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			_, err := nullModel().resolve(processEnv)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("resolve() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestUnknownSettings(t *testing.T) {
	m := nullModel()
	m.SecretKey = types.StringUnknown()
	m.SigningAlgorithm = types.StringUnknown()
	m.Endpoints = types.MapValueMust(types.StringType, map[string]attr.Value{"iam": types.StringUnknown()})
	var got []string
	for _, s := range m.unknownSettings() {
		got = append(got, s.attr)
	}
	if strings.Join(got, ",") != "secret_key,signing_algorithm,endpoints" {
		t.Fatalf("unknownSettings = %v", got)
	}
}

func nullModel() Model {
	return Model{
		Region: types.StringNull(), AccessKey: types.StringNull(), SecretKey: types.StringNull(),
		SecurityToken: types.StringNull(), ProjectID: types.StringNull(), Cloud: types.StringNull(),
		AuthURL: types.StringNull(), Endpoints: types.MapNull(types.StringType),
		Insecure: types.BoolNull(), MaxRetries: types.Int64Null(), SigningAlgorithm: types.StringNull(),
		SharedConfigFile: types.StringNull(), Profile: types.StringNull(), CACertFile: types.StringNull(),
	}
}

// equalResolved compares two resolved configurations; the credentials set
// (creds) is tested on its own in credentials_test.go.
func equalResolved(a, b resolved) bool {
	a.creds, b.creds = credentials{}, credentials{}
	return reflect.DeepEqual(a, b)
}

// signing_algorithm takes exactly the client's algorithms, case-sensitive,
// with a validator that runs at plan time, and its description names them all
// and the variable.
func TestSigningAlgorithmAttribute(t *testing.T) {
	a := signingAlgorithmAttribute()
	desc := a.MarkdownDescription
	for _, want := range []string{"`HmacSHA256`, `HmacSM3`, `EcdsaP256SHA256` or `SM2SM3`", "Falls back to `HW_SIGNING_ALGORITHM`, then to `HmacSHA256`",
		"`SDK-HMAC-SHA256`, `SDK-HMAC-SM3`, `SDK-ECDSA-P256-SHA256` or `SDK-SM2-SM3`", "`X-Sdk-Content-Sm3`"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description lacks %q: %s", want, desc)
		}
	}
	ctx := t.Context()
	for value, ok := range map[string]bool{"HmacSHA256": true, "HmacSM3": true, "EcdsaP256SHA256": true, "SM2SM3": true, "hmacsm3": false, "SDK-SM2-SM3": false, "": false} {
		var diags []string
		for _, v := range a.Validators {
			resp := validator.StringResponse{}
			v.ValidateString(ctx, validator.StringRequest{Path: path.Root("signing_algorithm"), ConfigValue: types.StringValue(value)}, &resp)
			for _, d := range resp.Diagnostics.Errors() {
				diags = append(diags, d.Detail())
			}
		}
		if ok != (len(diags) == 0) {
			t.Errorf("%q: diagnostics %q, want valid %v", value, diags, ok)
		}
		if !ok && !strings.Contains(strings.Join(diags, ""), `value must be one of: ["HmacSHA256" "HmacSM3" "EcdsaP256SHA256" "SM2SM3"]`) {
			t.Errorf("%q: diagnostics %q do not list the values", value, diags)
		}
	}
}
