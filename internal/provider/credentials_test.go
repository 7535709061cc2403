package provider

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
)

// The default profile file of the credential tests, at ~/.hcloud/config.json.
const testProfiles = `{
  "current": "dev",
  "profiles": [
    {"name": "dev", "mode": "AKSK", "accessKeyId": "DEVAK", "secretAccessKey": "dev-secret", "region": "cn-north-4", "projectId": "devproject"},
    {"name": "prod", "mode": "AKSK", "accessKeyId": "PRODAK", "secretAccessKey": "prod-secret", "securityToken": "prod-token"},
    {"name": "agency", "mode": "ecsAgency"},
    {"name": "half", "mode": "AKSK", "accessKeyId": "HALFAK"}
  ]
}`

// Another profile file, at ~/other.json.
const testOtherProfiles = `{"current": "other", "profiles": [{"name": "other", "accessKeyId": "OTHERAK", "secretAccessKey": "other-secret"}]}`

// credEnv is a test's environment: HOME is a fresh directory holding files
// (paths relative to it), and env may name $HOME.
type credEnv struct {
	files map[string]string
	env   map[string]string
	attrs map[string]string
}

// setup applies e and returns the model and the home directory.
func (e credEnv) setup(t *testing.T) (Model, string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	for name, data := range e.files {
		writeFile(t, home, name, data)
	}
	for k, v := range e.env {
		t.Setenv(k, strings.ReplaceAll(v, "$HOME", home))
	}
	m := nullModel()
	for k, v := range e.attrs {
		v = strings.ReplaceAll(v, "$HOME", home)
		switch k {
		case "access_key":
			m.AccessKey = types.StringValue(v)
		case "secret_key":
			m.SecretKey = types.StringValue(v)
		case "security_token":
			m.SecurityToken = types.StringValue(v)
		case "profile":
			m.Profile = types.StringValue(v)
		case "shared_config_file":
			m.SharedConfigFile = types.StringValue(v)
		default:
			t.Fatalf("no attribute %s in the test", k)
		}
	}
	return m, home
}

var oidcEnv = map[string]string{EnvAssumeRoleIdpID: "gh", EnvAssumeRoleIDToken: "jwt", EnvAssumeRoleAgencyName: "ci", EnvAssumeRoleDomainID: "d1"}

var (
	blockKeys  = map[string]string{"access_key": "BLOCKAK", "secret_key": "block-secret"}
	hwKeys     = map[string]string{EnvAccessKey: "HWAK", EnvSecretKey: "hw-secret", EnvSecurityToken: "hw-token"}
	sdkKeys    = map[string]string{EnvSDKAccessKey: "SDKAK", EnvSDKSecretKey: "sdk-secret", EnvSDKProjectID: "sdkproject"}
	defaultCfg = map[string]string{".hcloud/config.json": testProfiles, "other.json": testOtherProfiles}
)

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Each place, alone and under the one above it: the first place with keys
// wins, whole, and the places it hides are named in a warning when a setting
// chose them.
func TestCredentialsPrecedence(t *testing.T) {
	const (
		defaultFile = `the hcloud profile file "$HOME/.hcloud/config.json"`
		blockWins   = " is not used: access_key and secret_key in the provider block win over any profile."
	)
	cases := []struct {
		name     string
		e        credEnv
		want     credentials
		warnings []string
	}{
		{"provider block", credEnv{attrs: blockKeys},
			credentials{accessKey: "BLOCKAK", secretKey: "block-secret", source: "access_key and secret_key in the provider block"}, nil},
		{"provider block over everything", credEnv{files: defaultCfg, attrs: merge(blockKeys, map[string]string{"security_token": "block-token"}),
			env: merge(hwKeys, sdkKeys, map[string]string{EnvProfile: "prod"})},
			credentials{accessKey: "BLOCKAK", secretKey: "block-secret", securityToken: "block-token", source: "access_key and secret_key in the provider block"},
			[]string{`profile "prod" (from HW_PROFILE) in ` + defaultFile + ` (the default)` + blockWins}},
		{"provider block over profile attribute", credEnv{files: defaultCfg, attrs: merge(blockKeys, map[string]string{"profile": "prod"})},
			credentials{accessKey: "BLOCKAK", secretKey: "block-secret", source: "access_key and secret_key in the provider block"},
			[]string{`profile "prod" (from profile) in ` + defaultFile + ` (the default)` + blockWins}},
		{"profile chosen in the block over HW_ variables", credEnv{files: defaultCfg, attrs: map[string]string{"profile": "prod"}, env: merge(hwKeys, sdkKeys)},
			credentials{accessKey: "PRODAK", secretKey: "prod-secret", securityToken: "prod-token", source: `profile "prod" of ` + defaultFile + ` (the default)`},
			[]string{`HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN are set but not used: profile "prod" (from profile) in ` + defaultFile +
				` (the default), chosen in the provider block, wins over environment variables.`}},
		{"profile chosen in the block over a lone HW_ACCESS_KEY", credEnv{files: defaultCfg, attrs: map[string]string{"profile": "prod"}, env: map[string]string{EnvAccessKey: "HWAK"}},
			credentials{accessKey: "PRODAK", secretKey: "prod-secret", securityToken: "prod-token", source: `profile "prod" of ` + defaultFile + ` (the default)`},
			[]string{`HW_ACCESS_KEY is set but not used: profile "prod" (from profile) in ` + defaultFile + ` (the default), chosen in the provider block, wins over environment variables.`}},
		{"shared_config_file chosen in the block over HW_ variables", credEnv{files: defaultCfg, attrs: map[string]string{"shared_config_file": "~/other.json"}, env: hwKeys},
			credentials{accessKey: "OTHERAK", secretKey: "other-secret", source: `profile "other" of the hcloud profile file "$HOME/other.json" (from shared_config_file)`},
			[]string{`HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN are set but not used: the current profile of the hcloud profile file "$HOME/other.json" (from shared_config_file), chosen in the provider block, wins over environment variables.`}},
		{"HW_ variables over the default profile file", credEnv{files: defaultCfg, env: merge(hwKeys, sdkKeys)},
			credentials{accessKey: "HWAK", secretKey: "hw-secret", securityToken: "hw-token", source: "HW_ACCESS_KEY and HW_SECRET_KEY"}, nil},
		{"HW_ variables over HW_PROFILE", credEnv{files: defaultCfg, env: merge(hwKeys, map[string]string{EnvProfile: "prod"})},
			credentials{accessKey: "HWAK", secretKey: "hw-secret", securityToken: "hw-token", source: "HW_ACCESS_KEY and HW_SECRET_KEY"},
			[]string{`profile "prod" (from HW_PROFILE) in ` + defaultFile + ` (the default) is not used: HW_ACCESS_KEY and HW_SECRET_KEY win over any profile.`}},
		{"the default file's current profile", credEnv{files: defaultCfg},
			credentials{accessKey: "DEVAK", secretKey: "dev-secret", region: "cn-north-4", projectID: "devproject", source: `profile "dev" of ` + defaultFile + ` (the default)`}, nil},
		{"HW_PROFILE", credEnv{files: defaultCfg, env: map[string]string{EnvProfile: "prod"}},
			credentials{accessKey: "PRODAK", secretKey: "prod-secret", securityToken: "prod-token", source: `profile "prod" of ` + defaultFile + ` (the default)`}, nil},
		{"HW_SHARED_CONFIG_FILE", credEnv{files: defaultCfg, env: map[string]string{EnvSharedConfigFile: "$HOME/other.json"}},
			credentials{accessKey: "OTHERAK", secretKey: "other-secret", source: `profile "other" of the hcloud profile file "$HOME/other.json" (from HW_SHARED_CONFIG_FILE)`}, nil},
		{"the profile file over the SDK's variables", credEnv{files: defaultCfg, env: sdkKeys},
			credentials{accessKey: "DEVAK", secretKey: "dev-secret", region: "cn-north-4", projectID: "devproject", source: `profile "dev" of ` + defaultFile + ` (the default)`}, nil},
		{"the SDK's variables", credEnv{env: merge(sdkKeys, map[string]string{EnvSDKSecurityToken: "sdk-token"})},
			credentials{accessKey: "SDKAK", secretKey: "sdk-secret", securityToken: "sdk-token", projectID: "sdkproject", source: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"}, nil},
		{"the SDK's variables under a default profile without keys", credEnv{files: map[string]string{".hcloud/config.json": `{"current": "empty", "profiles": [{"name": "empty", "mode": "AKSK"}]}`}, env: sdkKeys},
			credentials{accessKey: "SDKAK", secretKey: "sdk-secret", projectID: "sdkproject", source: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"}, nil},
		{"a default profile of mode ecsAgency over the SDK's variables: the metadata service", credEnv{files: map[string]string{".hcloud/config.json": `{"current": "agency", "profiles": [{"name": "agency", "mode": "ecsAgency", "region": "cn-north-4"}]}`}, env: sdkKeys},
			credentials{metadata: "http://169.254.169.254", region: "cn-north-4", source: `the metadata service at http://169.254.169.254 (profile "agency" of ` + defaultFile + ` (the default) has mode ecsAgency)`}, nil},
		{"OIDC variables over HW_ variables", credEnv{env: merge(hwKeys, oidcEnv)},
			credentials{oidc: &creds.OIDC{IdpID: "gh", IDToken: "jwt", AgencyName: "ci", DomainID: "d1"}, source: "HW_ASSUME_ROLE_IDP_ID (identity provider gh)"},
			[]string{"HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN are set but not used: HW_ASSUME_ROLE_IDP_ID (OIDC federation) wins over access keys in variables."}},
		{"provider block keys over OIDC variables", credEnv{attrs: blockKeys, env: oidcEnv},
			credentials{accessKey: "BLOCKAK", secretKey: "block-secret", source: "access_key and secret_key in the provider block"},
			[]string{"HW_ASSUME_ROLE_IDP_ID is set but not used: access_key in the provider block wins over the OIDC variables."}},
		{"OS_ variables under HW_ variables", credEnv{env: merge(hwKeys, map[string]string{EnvOSAccessKey: "OSAK", EnvOSSecretKey: "os-secret"})},
			credentials{accessKey: "HWAK", secretKey: "hw-secret", securityToken: "hw-token", source: "HW_ACCESS_KEY and HW_SECRET_KEY"}, nil},
		{"OS_ variables over the profile file", credEnv{files: defaultCfg, env: map[string]string{EnvOSAccessKey: "OSAK", EnvOSSecretKey: "os-secret"}},
			credentials{accessKey: "OSAK", secretKey: "os-secret", source: "OS_ACCESS_KEY and OS_SECRET_KEY"}, nil},
		{"the metadata service when no place holds keys, at HW_METADATA_ENDPOINT", credEnv{env: map[string]string{EnvMetadataEndpoint: "http://127.0.0.1:8042/"}},
			credentials{metadata: "http://127.0.0.1:8042", source: "the metadata service at http://127.0.0.1:8042", lookedAt: `1. assume_role_with_oidc in the provider block: not set
2. access_key, secret_key and security_token in the provider block: not set
3. profile and shared_config_file in the provider block: not set
4. the environment variable HW_ASSUME_ROLE_IDP_ID (OIDC federation): not set
5. the environment variables HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN: not set
6. the environment variables OS_ACCESS_KEY and OS_SECRET_KEY: not set
7. the hcloud profile file "$HOME/.hcloud/config.json" (the default, as HW_SHARED_CONFIG_FILE and HW_PROFILE are not set): it does not exist
8. the environment variables HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_SECURITY_TOKEN: not set
`}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, home := tc.e.setup(t)
			got, warnings, err := m.credentials(processEnv)
			if err != nil {
				t.Fatal(err)
			}
			if got.oidc != nil && tc.want.oidc != nil && *got.oidc == *tc.want.oidc {
				got.oidc = tc.want.oidc // compared by value
			}
			want := tc.want
			want.source = strings.ReplaceAll(want.source, "$HOME", home)
			want.lookedAt = strings.ReplaceAll(want.lookedAt, "$HOME", home)
			if got != want {
				t.Errorf("credentials() = %+v\n want %+v", got, want)
			}
			var wantWarnings []string
			for _, w := range tc.warnings {
				wantWarnings = append(wantWarnings, strings.ReplaceAll(w, "$HOME", home))
			}
			if !reflect.DeepEqual(warnings, wantWarnings) {
				t.Errorf("warnings = %q\n want %q", warnings, wantWarnings)
			}
			for _, w := range warnings {
				assertNoSecret(t, w)
			}
		})
	}
}

// What goes wrong, exactly worded: half a set, a profile that is not there, a
// file that is not there or not JSON, and no keys anywhere.
func TestCredentialsErrors(t *testing.T) {
	const defaultFile = `the hcloud profile file "$HOME/.hcloud/config.json" (the default)`
	cases := []struct {
		name    string
		e       credEnv
		summary string
		attr    string
		detail  string
	}{
		{"access_key without secret_key", credEnv{attrs: map[string]string{"access_key": "BLOCKAK"}, env: hwKeys},
			"Incomplete Huawei Cloud credentials", "secret_key", "The provider block sets access_key but not secret_key.\n\n" + setNote},
		{"security_token alone", credEnv{attrs: map[string]string{"security_token": "block-token"}, env: hwKeys},
			"Incomplete Huawei Cloud credentials", "access_key",
			"The provider block sets security_token but not access_key and secret_key: a security token works only with the temporary access key and secret key it was issued with.\n\n" + setNote},
		{"HW_SECRET_KEY without HW_ACCESS_KEY", credEnv{env: map[string]string{EnvSecretKey: "hw-secret", EnvSDKAccessKey: "SDKAK", EnvSDKSecretKey: "sdk-secret"}},
			"Incomplete Huawei Cloud credentials", "", "The environment sets HW_SECRET_KEY but not HW_ACCESS_KEY.\n\n" + setNote},
		{"a stray HW_SECURITY_TOKEN over a profile", credEnv{files: defaultCfg, env: map[string]string{EnvSecurityToken: "hw-token"}},
			"Incomplete Huawei Cloud credentials", "",
			"The environment sets HW_SECURITY_TOKEN but not HW_ACCESS_KEY and HW_SECRET_KEY: a security token works only with the temporary access key and secret key it was issued with.\n\n" + setNote},
		{"HUAWEICLOUD_SDK_AK without HUAWEICLOUD_SDK_SK", credEnv{env: map[string]string{EnvSDKAccessKey: "SDKAK"}},
			"Incomplete Huawei Cloud credentials", "", "The environment sets HUAWEICLOUD_SDK_AK but not HUAWEICLOUD_SDK_SK.\n\n" + setNote},
		{"a profile with half a key pair", credEnv{files: defaultCfg, env: map[string]string{EnvProfile: "half"}},
			"Incomplete Huawei Cloud credentials", "",
			`Profile "half" (from HW_PROFILE) of ` + defaultFile + " sets accessKeyId but not secretAccessKey.\n\n" + setNote},
		{"HW_PROFILE not in the file", credEnv{files: defaultCfg, env: merge(sdkKeys, map[string]string{EnvProfile: "staging"})},
			"Cannot use the hcloud profile", "",
			`The hcloud profile file "$HOME/.hcloud/config.json" (the default) has no profile "staging" (from HW_PROFILE): the profiles there are "dev", "prod", "agency", "half".`},
		{"profile attribute not in the file", credEnv{files: defaultCfg, attrs: map[string]string{"profile": "staging"}},
			"Cannot use the hcloud profile", "profile",
			`The hcloud profile file "$HOME/.hcloud/config.json" (the default) has no profile "staging" (from profile): the profiles there are "dev", "prod", "agency", "half".`},
		{"current profile not in the file", credEnv{files: map[string]string{".hcloud/config.json": `{"current": "gone", "profiles": [{"name": "a"}, {"name": "b"}]}`}, env: sdkKeys},
			"Cannot use the hcloud profile", "",
			`The hcloud profile file "$HOME/.hcloud/config.json" (the default) names "gone" as its current profile, but has no profile of that name: the profiles there are "a", "b". Choose one with profile (or HW_PROFILE).`},
		{"a chosen file with no current profile", credEnv{files: map[string]string{"x.json": `{"profiles": []}`}, env: map[string]string{EnvSharedConfigFile: "$HOME/x.json"}},
			"Cannot use the hcloud profile", "",
			`The hcloud profile file "$HOME/x.json" (from HW_SHARED_CONFIG_FILE) names no current profile. Choose one with profile (or HW_PROFILE): the file has no profiles.`},
		{"a chosen profile without keys", credEnv{files: map[string]string{".hcloud/config.json": `{"current": "x", "profiles": [{"name": "saml", "mode": "SAML"}]}`}, attrs: map[string]string{"profile": "saml"}},
			"Cannot use the hcloud profile", "profile",
			`Profile "saml" (from profile) of ` + defaultFile + ` has no access key: its mode is "SAML"; this provider reads only AKSK, SSO and ecsAgency profiles.`},
		{"HW_ASSUME_ROLE_IDP_ID without the agency", credEnv{env: map[string]string{EnvAssumeRoleIdpID: "github", EnvAssumeRoleIDToken: "jwt"}},
			"Invalid agency variables", "",
			"HW_ASSUME_ROLE_IDP_ID is set, so the provider federates an OIDC token, but HW_ASSUME_ROLE_AGENCY_NAME and HW_ASSUME_ROLE_DOMAIN_ID are not set: export it, or unset HW_ASSUME_ROLE_IDP_ID."},
		{"HW_ASSUME_ROLE_IDP_ID with both token variables", credEnv{env: map[string]string{EnvAssumeRoleIdpID: "github", EnvAssumeRoleIDToken: "jwt", EnvAssumeRoleIDTokenFile: "/f",
			EnvAssumeRoleAgencyName: "ci", EnvAssumeRoleDomainID: "d1"}},
			"Invalid agency variables", "",
			"HW_ASSUME_ROLE_IDP_ID is set, so the provider federates an OIDC token: set exactly one of HW_ASSUME_ROLE_ID_TOKEN and HW_ASSUME_ROLE_ID_TOKEN_FILE."},
		{"HW_METADATA_ENDPOINT not a URL", credEnv{env: map[string]string{EnvMetadataEndpoint: "169.254.169.254"}},
			"Invalid metadata service endpoint", "",
			`HW_METADATA_ENDPOINT: "169.254.169.254" is not an absolute http:// or https:// URL; use a base URL such as https://workspace.cn-north-4.myhuaweicloud.com or http://127.0.0.1:8080`},
		{"HW_SHARED_CONFIG_FILE does not exist", credEnv{env: merge(sdkKeys, map[string]string{EnvSharedConfigFile: "$HOME/nope.json"})},
			"Cannot use the hcloud profile", "", `The hcloud profile file "$HOME/nope.json" (from HW_SHARED_CONFIG_FILE) does not exist.`},
		{"shared_config_file does not exist", credEnv{attrs: map[string]string{"shared_config_file": "~/nope.json"}},
			"Cannot use the hcloud profile", "shared_config_file", `The hcloud profile file "$HOME/nope.json" (from shared_config_file) does not exist.`},
		{"HW_PROFILE without the default file", credEnv{env: merge(sdkKeys, map[string]string{EnvProfile: "prod"})},
			"Cannot use the hcloud profile", "",
			`Profile "prod" (from HW_PROFILE) was chosen, but ` + defaultFile + ` does not exist. Create it with "hcloud configure init", or set shared_config_file (or HW_SHARED_CONFIG_FILE) to the file that holds the profile.`},
		{"the default file is not JSON", credEnv{files: map[string]string{".hcloud/config.json": "{\n  \"current\": \"dev\",\n  \"profiles\": [\n    {\"name\": \"dev\", \"secretAccessKey\": \"dev-secret\"\n  ]\n}\n"}, env: sdkKeys},
			"Cannot use the hcloud profile", "",
			`Cannot read ` + defaultFile + `: $HOME/.hcloud/config.json, line 5, column 3: not valid JSON: invalid character ']' after object key:value pair. Fix the file, or choose another with shared_config_file (or HW_SHARED_CONFIG_FILE).`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, home := tc.e.setup(t)
			_, _, err := m.credentials(processEnv)
			var cfgErr *configError
			if !errors.As(err, &cfgErr) {
				t.Fatalf("credentials() error = %v, want a configError", err)
			}
			detail := strings.ReplaceAll(tc.detail, "$HOME", home)
			if cfgErr.summary != tc.summary || cfgErr.attr != tc.attr || (cfgErr.detail != detail && (!strings.HasPrefix(tc.detail, "4.") || !strings.Contains(cfgErr.detail, detail))) {
				t.Fatalf("credentials() error:\n summary %q, attr %q, detail\n%s\nwant summary %q, attr %q, detail\n%s", cfgErr.summary, cfgErr.attr, cfgErr.detail, tc.summary, tc.attr, detail)
			}
			assertNoSecret(t, cfgErr.detail)
		})
	}
}

// With no keys anywhere, the metadata service is the last place; when it fails
// too, the error lists every place looked, the metadata service included.
func TestMissingCredentials(t *testing.T) {
	cases := []struct {
		name string
		e    credEnv
		line string
	}{
		{"the default file does not exist", credEnv{},
			`7. the hcloud profile file "$HOME/.hcloud/config.json" (the default, as HW_SHARED_CONFIG_FILE and HW_PROFILE are not set): it does not exist` + "\n"},
		{"the default file without a current profile", credEnv{files: map[string]string{".hcloud/config.json": `{"profiles": [{"name": "dev", "accessKeyId": "DEVAK", "secretAccessKey": "dev-secret"}]}`}},
			`7. the hcloud profile file "$HOME/.hcloud/config.json" (the default, as HW_SHARED_CONFIG_FILE and HW_PROFILE are not set): it names no current profile` + "\n"},
		{"the current profile without keys", credEnv{files: map[string]string{".hcloud/config.json": `{"current": "saml", "profiles": [{"name": "saml", "mode": "SAML"}]}`}},
			`7. the hcloud profile file "$HOME/.hcloud/config.json" (the default, as HW_SHARED_CONFIG_FILE and HW_PROFILE are not set): its current profile "saml" has no access key: its mode is "SAML"; this provider reads only AKSK, SSO and ecsAgency profiles` + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, home := tc.e.setup(t)
			c, _, err := m.credentials(processEnv)
			if err != nil {
				t.Fatal(err)
			}
			if c.metadata != "http://169.254.169.254" || !strings.Contains(c.lookedAt, strings.ReplaceAll(tc.line, "$HOME", home)) {
				t.Fatalf("credentials() = %+v, want the metadata service after\n%s", c, tc.line)
			}
			e := missingCredentials(c, errors.New("reading keys from the metadata service at http://169.254.169.254: PUT /meta-data/latest/api/token: no answer within 2s"))
			want := "No access key was found. The provider looked, in this order, at:\n" + c.lookedAt +
				"9. the metadata service at http://169.254.169.254: reading keys from the metadata service at http://169.254.169.254: PUT /meta-data/latest/api/token: no answer within 2s\n\n" +
				`Set access_key and secret_key in the provider block, export HW_ACCESS_KEY and HW_SECRET_KEY, create an hcloud (KooCLI) profile with "hcloud configure init", ` +
				"or run on an ECS or CCE node with an agency bound. Create an access key in the Huawei Cloud console under My Credentials > Access Keys."
			if e.summary != summaryMissingCredentials || e.detail != want {
				t.Errorf("missingCredentials:\n%s\nwant\n%s", e.detail, want)
			}
		})
	}
}

// The region and project ID that came with a profile's keys fill in what no
// setting gives; a profile's project ID only for the profile's own region.
func TestResolveRegionAndProjectFromCredentials(t *testing.T) {
	cases := []struct {
		name              string
		e                 credEnv
		region, projectID string
	}{
		{"from the profile", credEnv{files: defaultCfg}, "cn-north-4", "devproject"},
		{"HW_REGION_NAME is the profile's region", credEnv{files: defaultCfg, env: map[string]string{EnvRegion: "cn-north-4"}}, "cn-north-4", "devproject"},
		{"HW_REGION_NAME is another region", credEnv{files: defaultCfg, env: map[string]string{EnvRegion: "ap-southeast-1"}}, "ap-southeast-1", ""},
		{"HW_PROJECT_ID wins", credEnv{files: defaultCfg, env: map[string]string{EnvProjectID: "hwproject"}}, "cn-north-4", "hwproject"},
		{"the SDK's project ID with its keys", credEnv{env: merge(sdkKeys, map[string]string{EnvRegion: "cn-north-4"})}, "cn-north-4", "sdkproject"},
		{"the SDK's project ID not with other keys", credEnv{env: merge(sdkKeys, hwKeys, map[string]string{EnvRegion: "cn-north-4"})}, "cn-north-4", ""},
		{"keys from the block, region from nowhere", credEnv{files: defaultCfg, attrs: blockKeys}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := tc.e.setup(t)
			r, err := m.resolve(processEnv)
			if err != nil {
				t.Fatal(err)
			}
			if r.region != tc.region || r.projectID != tc.projectID {
				t.Fatalf("region %q, project %q, want %q, %q", r.region, r.projectID, tc.region, tc.projectID)
			}
		})
	}
}

// assertNoSecret fails when text holds a secret key or token of these tests.
func assertNoSecret(t *testing.T, text string) {
	t.Helper()
	for _, s := range []string{"-secret", "-token"} {
		if strings.Contains(text, s) {
			t.Fatalf("a secret (%s) in: %s", s, text)
		}
	}
}

// The assume_role_with_oidc block wins over every other place, and says which
// places it shadows.
func TestCredentialsOIDCBlock(t *testing.T) {
	m, home := credEnv{files: defaultCfg, attrs: merge(blockKeys, map[string]string{"profile": "prod"}), env: oidcEnv}.setup(t)
	m.AssumeRoleWithOIDC = []oidcModel{{AgencyName: types.StringValue("ci"), DomainID: types.StringValue("d1"), IdpID: types.StringValue("gitlab"),
		IDToken: types.StringNull(), IDTokenFile: types.StringValue("/run/token"), Duration: types.Int64Value(3600)}}
	got, warnings, err := m.credentials(processEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := creds.OIDC{IdpID: "gitlab", IDTokenFile: "/run/token", AgencyName: "ci", DomainID: "d1", Duration: 3600}
	if got.oidc == nil || *got.oidc != want || got.source != "assume_role_with_oidc in the provider block (identity provider gitlab)" || got.accessKey != "" {
		t.Fatalf("credentials() = %+v (oidc %+v)", got, got.oidc)
	}
	wantWarnings := []string{
		"access_key and secret_key are set in the provider block but not used: assume_role_with_oidc wins over keys.",
		`profile "prod" (from profile) in the hcloud profile file "` + home + `/.hcloud/config.json" (the default) is not used: assume_role_with_oidc in the provider block wins over any profile.`,
		"HW_ASSUME_ROLE_IDP_ID is set but not used: assume_role_with_oidc in the provider block wins over the OIDC variables.",
	}
	if !reflect.DeepEqual(warnings, wantWarnings) {
		t.Fatalf("warnings:\n%q\nwant\n%q", warnings, wantWarnings)
	}
}
