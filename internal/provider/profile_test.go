package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An hcloud configuration as KooCLI writes it, with fields the provider ignores.
const hcloudSample = `{
  "language": "en",
  "current": "dev",
  "profiles": [
    {
      "name": "dev",
      "mode": "AKSK",
      "accessKeyId": "DEVAK",
      "secretAccessKey": "dev-secret",
      "region": "cn-north-4",
      "projectId": "devproject",
      "domainId": "d1",
      "skipSecureVerify": "false",
      "ssoAuth": ""
    },
    {
      "name": "temp",
      "mode": "AKSK",
      "accessKeyId": " TEMPAK ",
      "secretAccessKey": "temp-secret",
      "securityToken": "temp-token"
    },
    {
      "name": "sso",
      "mode": "SSO",
      "region": "ap-southeast-1",
      "ssoAuth": {"stsToken": {"accessKeyId": "SSOAK", "secretAccessKey": "sso-secret", "securityToken": "sso-token", "expiresAt": "2030-01-01T00:00:00Z"}}
    },
    {"name": "agency", "mode": "ecsAgency"},
    {"name": "empty", "mode": "AKSK"}
  ]
}`

func TestParseHCloudConfig(t *testing.T) {
	for name, data := range map[string]string{"plain": hcloudSample, "with a BOM": "\xef\xbb\xbf" + hcloudSample} {
		t.Run(name, func(t *testing.T) {
			c, err := parseHCloudConfig("config.json", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if c.Current != "dev" || len(c.Profiles) != 5 {
				t.Fatalf("current %q, %d profiles", c.Current, len(c.Profiles))
			}
			if got := c.profileNames(); got != `the profiles there are "dev", "temp", "sso", "agency", "empty"` {
				t.Fatalf("profileNames() = %s", got)
			}
		})
	}
}

func TestProfileKeys(t *testing.T) {
	c, err := parseHCloudConfig("config.json", []byte(hcloudSample))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		profile, ak, sk, token, err string
	}{
		{"dev", "DEVAK", "dev-secret", "", ""},
		{"temp", "TEMPAK", "temp-secret", "temp-token", ""},
		{"sso", "SSOAK", "sso-secret", "sso-token", ""},
		{"agency", "", "", "", `its mode is "ecsAgency"; this provider reads only AKSK, SSO and ecsAgency profiles`},
		{"empty", "", "", "", ""},
	}
	for _, tc := range cases {
		p, ok := c.profile(tc.profile)
		if !ok {
			t.Fatalf("no profile %s", tc.profile)
		}
		ak, sk, token, err := p.keys()
		if ak != tc.ak || sk != tc.sk || token != tc.token {
			t.Errorf("%s: keys() = %q, %q, %q, want %q, %q, %q", tc.profile, ak, sk, token, tc.ak, tc.sk, tc.token)
		}
		if got := errString(err); got != tc.err {
			t.Errorf("%s: keys() error = %q, want %q", tc.profile, got, tc.err)
		}
	}
	if _, ok := c.profile("prod"); ok {
		t.Error("profile(prod) found a profile")
	}
	bad := hcloudProfile{Name: "x", Mode: "SSO", SSOAuth: []byte(`"none"`)}
	if _, _, _, err := bad.keys(); errString(err) != "its ssoAuth is not an object with stsToken: sign in again with hcloud" {
		t.Errorf("SSO profile with a string ssoAuth: %v", err)
	}
}

// A file that is not the expected JSON is an error naming the file, line and
// column, and quoting none of its values.
func TestParseHCloudConfigErrors(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"missing comma", "{\n  \"current\": \"dev\"\n  \"profiles\": []\n}",
			`/x/config.json, line 3, column 3: not valid JSON: invalid character '"' after object key:value pair`},
		{"trailing comma", "{\"current\": \"dev\",\n \"profiles\": [\n  {\"name\": \"dev\", \"secretAccessKey\": \"s3cr3t\",}\n ]\n}",
			`/x/config.json, line 3, column 47: not valid JSON: invalid character '}' looking for beginning of object key string`},
		{"truncated", "{\"current\": \"dev\",\n \"profiles\": [{\"name\": \"dev\", \"secretAccessKey\": \"s3cr3t\"",
			`/x/config.json, line 2, column 57: not valid JSON: unexpected end of JSON input`},
		{"empty", "", `/x/config.json, line 1, column 1: not valid JSON: unexpected end of JSON input`},
		{"wrong type", "{\"current\": \"dev\",\n \"profiles\": [{\"name\": \"dev\", \"secretAccessKey\": 12345}]}",
			`/x/config.json, line 2, column 54: profiles.secretAccessKey must not be a JSON number`},
		{"an array", "[]", `/x/config.json, line 1, column 1: the top level must not be a JSON array`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseHCloudConfig("/x/config.json", []byte(tc.data))
			if errString(err) != tc.want {
				t.Fatalf("error = %q\n want %q", errString(err), tc.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "12345") {
				t.Fatalf("error quotes a value: %s", err)
			}
		})
	}
}

func TestExpandHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	for in, want := range map[string]string{
		"~/.hcloud/config.json": filepath.Join(home, ".hcloud", "config.json"),
		"~":                     home,
		"/etc/ca.pem":           "/etc/ca.pem",
		"rel/~/x":               "rel/~/x",
	} {
		if got, err := expandHome(in); err != nil || got != want {
			t.Errorf("expandHome(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if got, err := defaultSharedConfigFile(); err != nil || got != filepath.Join(home, ".hcloud", "config.json") {
		t.Errorf("defaultSharedConfigFile() = %q, %v", got, err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// writeFile writes data to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
