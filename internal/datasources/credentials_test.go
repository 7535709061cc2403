package datasources_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// hcloudProfile is one profile of an hcloud (KooCLI) config.json.
type hcloudProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode,omitempty"`
	AccessKeyID     string `json:"accessKeyId,omitempty"`
	SecretAccessKey string `json:"secretAccessKey,omitempty"`
	SecurityToken   string `json:"securityToken,omitempty"`
	Region          string `json:"region,omitempty"`
	ProjectID       string `json:"projectId,omitempty"`
}

var (
	// permanentProfile holds the fake's permanent keys, without region or project.
	permanentProfile = hcloudProfile{Name: "permanent", Mode: "AKSK", AccessKeyID: fakeapi.AccessKey, SecretAccessKey: fakeapi.SecretKey}
	// temporaryProfile holds the fake's temporary keys, region and project.
	temporaryProfile = hcloudProfile{Name: "temporary", Mode: "AKSK", AccessKeyID: fakeapi.TempAccessKey, SecretAccessKey: fakeapi.TempSecretKey,
		SecurityToken: fakeapi.SecurityToken, Region: fakeapi.Region, ProjectID: fakeapi.ProjectID}
	// wrongProfile holds keys the fake does not know: a test that signs with
	// them has taken keys from the wrong place.
	wrongProfile = hcloudProfile{Name: "wrong", Mode: "AKSK", AccessKeyID: "WRONGPROFILEAK", SecretAccessKey: "wrong-profile-secret", Region: fakeapi.Region}
)

// writeHCloudConfig writes an hcloud config.json at path.
func writeHCloudConfig(t *testing.T, path, current string, profiles ...hcloudProfile) {
	t.Helper()
	data, err := json.MarshalIndent(map[string]any{"current": current, "language": "en", "profiles": profiles}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(data))
}

// newHome points HOME at a fresh directory and returns the path of its
// default hcloud config.json, not yet written.
func newHome(t *testing.T) (defaultConfig string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	return filepath.Join(home, ".hcloud", "config.json")
}

var (
	hwPermanent = map[string]string{"HW_REGION_NAME": fakeapi.Region, "HW_ACCESS_KEY": fakeapi.AccessKey, "HW_SECRET_KEY": fakeapi.SecretKey}
	hwWrong     = map[string]string{"HW_ACCESS_KEY": "WRONGHWAK", "HW_SECRET_KEY": "wrong-hw-secret", "HW_SECURITY_TOKEN": "wrong-hw-token"}
	sdkWrong    = map[string]string{"HUAWEICLOUD_SDK_AK": "WRONGSDKAK", "HUAWEICLOUD_SDK_SK": "wrong-sdk-secret", "HUAWEICLOUD_SDK_PROJECT_ID": "wrong-project"}
)

// Each place the keys come from, alone and under a place above it: the fake
// records which access key signed every request and which token came with it.
// The tests set HOME and variables, so they do not run in parallel.
func TestAccProvider_credentialSources(t *testing.T) {
	signedBy := func(ak, token string) func(*acctest.Fake) resource.TestCheckFunc {
		return func(f *acctest.Fake) resource.TestCheckFunc { return f.CheckAllSignedBy(ak, token) }
	}
	// The temporary profile brings its region and project: no IAM lookup.
	temporaryWithProject := func(f *acctest.Fake) resource.TestCheckFunc {
		return resource.ComposeAggregateTestCheckFunc(f.CheckAllSignedBy(fakeapi.TempAccessKey, fakeapi.SecurityToken),
			f.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"), f.CheckIAMQueries())
	}
	cases := []struct {
		name string
		// setup sets HOME, files and variables, and returns lines for the
		// provider block; full: the block also sets region and the fake's
		// permanent keys.
		setup func(t *testing.T, defaultConfig string) (lines []string)
		full  bool
		check func(*acctest.Fake) resource.TestCheckFunc
	}{
		{name: "attributes", full: true, setup: func(*testing.T, string) []string { return nil },
			check: signedBy(fakeapi.AccessKey, "")},
		{name: "attributes over HW_ variables, profile and SDK variables", full: true,
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile)
				setenv(t, hwWrong)
				setenv(t, sdkWrong)
				return nil
			}, check: signedBy(fakeapi.AccessKey, "")},
		{name: "HW_ variables, temporary",
			setup: func(t *testing.T, _ string) []string {
				setenv(t, map[string]string{"HW_REGION_NAME": fakeapi.Region, "HW_ACCESS_KEY": fakeapi.TempAccessKey,
					"HW_SECRET_KEY": fakeapi.TempSecretKey, "HW_SECURITY_TOKEN": fakeapi.SecurityToken})
				return nil
			}, check: signedBy(fakeapi.TempAccessKey, fakeapi.SecurityToken)},
		{name: "HW_ variables over the profile file and SDK variables",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile)
				setenv(t, hwPermanent)
				setenv(t, sdkWrong)
				return nil
			}, check: signedBy(fakeapi.AccessKey, "")},
		{name: "profile file, its current profile",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "temporary", wrongProfile, temporaryProfile)
				return nil
			}, check: temporaryWithProject},
		{name: "profile file, profile attribute",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile, temporaryProfile)
				return []string{`profile = "temporary"`}
			}, check: temporaryWithProject},
		{name: "profile file, HW_PROFILE",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile, temporaryProfile)
				t.Setenv("HW_PROFILE", "temporary")
				return nil
			}, check: temporaryWithProject},
		{name: "profile file, shared_config_file attribute",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile)
				other := filepath.Join(t.TempDir(), "hcloud.json")
				writeHCloudConfig(t, other, "temporary", temporaryProfile)
				return []string{`shared_config_file = "` + filepath.ToSlash(other) + `"`}
			}, check: temporaryWithProject},
		{name: "profile file, HW_SHARED_CONFIG_FILE and HW_PROFILE",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile)
				other := filepath.Join(t.TempDir(), "hcloud.json")
				writeHCloudConfig(t, other, "wrong", wrongProfile, permanentProfile)
				setenv(t, map[string]string{"HW_SHARED_CONFIG_FILE": other, "HW_PROFILE": "permanent", "HW_REGION_NAME": fakeapi.Region})
				return nil
			}, check: func(f *acctest.Fake) resource.TestCheckFunc {
				// no project in the profile: looked up through IAM
				return resource.ComposeAggregateTestCheckFunc(f.CheckAllSignedBy(fakeapi.AccessKey, ""), f.CheckIAMQueries("name="+fakeapi.Region))
			}},
		{name: "profile chosen in the block over HW_ variables",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "wrong", wrongProfile, temporaryProfile)
				setenv(t, hwWrong)
				return []string{`profile = "temporary"`}
			}, check: temporaryWithProject},
		{name: "profile file over SDK variables",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "temporary", temporaryProfile)
				setenv(t, sdkWrong)
				return nil
			}, check: temporaryWithProject},
		{name: "SDK variables",
			setup: func(t *testing.T, _ string) []string {
				setenv(t, map[string]string{"HW_REGION_NAME": fakeapi.Region, "HUAWEICLOUD_SDK_AK": fakeapi.TempAccessKey, "HUAWEICLOUD_SDK_SK": fakeapi.TempSecretKey,
					"HUAWEICLOUD_SDK_SECURITY_TOKEN": fakeapi.SecurityToken, "HUAWEICLOUD_SDK_PROJECT_ID": fakeapi.ProjectID})
				return nil
			}, check: temporaryWithProject},
		{name: "SDK variables under a default profile file without keys",
			setup: func(t *testing.T, cfg string) []string {
				writeHCloudConfig(t, cfg, "empty", hcloudProfile{Name: "empty", Mode: "AKSK"})
				setenv(t, map[string]string{"HW_REGION_NAME": fakeapi.Region, "HUAWEICLOUD_SDK_AK": fakeapi.AccessKey, "HUAWEICLOUD_SDK_SK": fakeapi.SecretKey})
				return nil
			}, check: signedBy(fakeapi.AccessKey, "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := acctest.StartFake(t)
			lines := tc.setup(t, newHome(t))
			config := fake.EndpointsOnly(lines...)
			if tc.full {
				config = fake.ProviderConfig(lines...)
			}
			acctest.Run(t, []resource.TestStep{{
				Config:            config + dataSource(),
				ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
				Check:             tc.check(fake),
			}})
		})
	}
}

// What goes wrong with the places keys come from, worded exactly, and nothing
// sent to the API.
func TestAccProvider_credentialErrors(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, defaultConfig string) (lines, err []string)
	}{
		{"no keys anywhere", func(t *testing.T, _ string) ([]string, []string) {
			// IsolateEnv's HOME, which does not exist
			t.Setenv("HOME", acctest.NoHome)
			t.Setenv("HW_REGION_NAME", fakeapi.Region)
			return nil, []string{"Missing Huawei Cloud credentials",
				"No access key was found. The provider looked, in this order, at:",
				"1. assume_role_with_oidc in the provider block: not set",
				"2. access_key, secret_key and security_token in the provider block: not set",
				"3. profile and shared_config_file in the provider block: not set",
				"4. the environment variable HW_ASSUME_ROLE_IDP_ID (OIDC federation): not set",
				"5. the environment variables HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN: not set",
				"6. the environment variables OS_ACCESS_KEY and OS_SECRET_KEY: not set",
				`7. the hcloud profile file "` + filepath.Join(acctest.NoHome, ".hcloud", "config.json") +
					`" (the default, as HW_SHARED_CONFIG_FILE and HW_PROFILE are not set): it does not exist`,
				"8. the environment variables HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_SECURITY_TOKEN: not set",
				"9. the metadata service at " + acctest.NoMetadata + ": reading keys from the metadata service at " + acctest.NoMetadata +
					": PUT /meta-data/latest/api/token:", "connection refused",
				`Set access_key and secret_key in the provider block, export HW_ACCESS_KEY and HW_SECRET_KEY, create an hcloud (KooCLI) profile with "hcloud configure init", or run on an ECS or CCE node with an agency bound.`}
		}},
		{"no keys anywhere, a default profile without keys", func(t *testing.T, cfg string) ([]string, []string) {
			writeHCloudConfig(t, cfg, "saml", hcloudProfile{Name: "saml", Mode: "SAML"})
			return nil, []string{"Missing Huawei Cloud credentials",
				"5. the environment variables HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN: not set",
				`7. the hcloud profile file "` + cfg + `" (the default, as HW_SHARED_CONFIG_FILE and HW_PROFILE are not set): ` +
					`its current profile "saml" has no access key: its mode is "SAML"; this provider reads only AKSK, SSO and ecsAgency profiles`,
				"8. the environment variables HUAWEICLOUD_SDK_AK",
				"9. the metadata service at " + acctest.NoMetadata + ": not asked, as the region is missing too",
				// no region anywhere either
				"Missing Huawei Cloud region", `The provider needs "region" (or HW_REGION_NAME, then OS_REGION_NAME).`}
		}},
		{"malformed profile file", func(t *testing.T, cfg string) ([]string, []string) {
			writeFile(t, cfg, "{\n  \"current\": \"temporary\",\n  \"profiles\": [\n    {\"name\": \"temporary\", \"secretAccessKey\": \"s3cr3t\",}\n  ]\n}\n")
			setenv(t, map[string]string{"HUAWEICLOUD_SDK_AK": fakeapi.AccessKey, "HUAWEICLOUD_SDK_SK": fakeapi.SecretKey})
			return nil, []string{"Cannot use the hcloud profile",
				`Cannot read the hcloud profile file "` + cfg + `" (the default): ` + cfg +
					`, line 4, column 55: not valid JSON: invalid character '}' looking for beginning of object key string.`,
				"Fix the file, or choose another with shared_config_file (or HW_SHARED_CONFIG_FILE)."}
		}},
		{"unknown profile", func(t *testing.T, cfg string) ([]string, []string) {
			writeHCloudConfig(t, cfg, "wrong", wrongProfile, temporaryProfile)
			return []string{`profile = "staging"`}, []string{"Cannot use the hcloud profile",
				`The hcloud profile file "` + cfg + `" (the default) has no profile "staging" (from profile): the profiles there are "wrong", "temporary".`}
		}},
		{"unknown HW_PROFILE", func(t *testing.T, cfg string) ([]string, []string) {
			writeHCloudConfig(t, cfg, "wrong", wrongProfile)
			t.Setenv("HW_PROFILE", "staging")
			return nil, []string{"Cannot use the hcloud profile", `has no profile "staging" (from HW_PROFILE): the profiles there are "wrong".`}
		}},
		{"HW_SHARED_CONFIG_FILE does not exist", func(t *testing.T, _ string) ([]string, []string) {
			missing := filepath.Join(t.TempDir(), "nope.json")
			t.Setenv("HW_SHARED_CONFIG_FILE", missing)
			return nil, []string{"Cannot use the hcloud profile", `The hcloud profile file "` + missing + `" (from HW_SHARED_CONFIG_FILE) does not exist.`}
		}},
		{"half a key pair", func(t *testing.T, _ string) ([]string, []string) {
			setenv(t, map[string]string{"HW_REGION_NAME": fakeapi.Region, "HW_SECRET_KEY": fakeapi.SecretKey,
				"HUAWEICLOUD_SDK_AK": fakeapi.AccessKey, "HUAWEICLOUD_SDK_SK": fakeapi.SecretKey})
			return nil, []string{"Incomplete Huawei Cloud credentials", "The environment sets HW_SECRET_KEY but not HW_ACCESS_KEY.",
				"never pairs a key from one place with a key from another"}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := acctest.StartFake(t)
			lines, err := tc.setup(t, newHome(t))
			acctest.Run(t, []resource.TestStep{{
				Config:      fake.EndpointsOnly(lines...) + dataSource(),
				ExpectError: acctest.ExpectError(err...),
			}})
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("the fake API saw %d requests, want none", n)
			}
		})
	}
}
