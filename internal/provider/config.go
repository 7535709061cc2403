package provider

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Environment variables, named as the official huaweicloud provider names them.
const (
	EnvRegion        = "HW_REGION_NAME"
	EnvAccessKey     = "HW_ACCESS_KEY"
	EnvSecretKey     = "HW_SECRET_KEY"
	EnvSecurityToken = "HW_SECURITY_TOKEN"
	EnvProjectID     = "HW_PROJECT_ID"
	EnvCloud         = "HW_CLOUD"
	EnvAuthURL       = "HW_AUTH_URL"
	EnvInsecure      = "HW_INSECURE"
	EnvMaxRetries    = "HW_MAX_RETRIES"
	// EnvMaxConcurrency is this provider's own: the official one pages
	// sequentially and has no such setting.
	EnvMaxConcurrency = "HW_MAX_CONCURRENCY"
	// EnvSigningAlgorithm chooses how requests are signed.
	EnvSigningAlgorithm = "HW_SIGNING_ALGORITHM"
)

// The CA file: EnvCACert is this provider's name for it, EnvOSCACert the one
// the official huaweicloud provider reads.
const (
	EnvCACert   = "HW_CACERT"
	EnvOSCACert = "OS_CACERT"
)

// Further places credentials come from: the hcloud (KooCLI) profile file and
// profile, and the official Huawei Cloud SDK's variables.
const (
	EnvSharedConfigFile = "HW_SHARED_CONFIG_FILE"
	EnvProfile          = "HW_PROFILE"

	EnvSDKAccessKey     = "HUAWEICLOUD_SDK_AK"
	EnvSDKSecretKey     = "HUAWEICLOUD_SDK_SK"             //nolint:gosec // a variable's name, not a credential
	EnvSDKSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN" //nolint:gosec // a variable's name, not a credential
	EnvSDKProjectID     = "HUAWEICLOUD_SDK_PROJECT_ID"
)

// DefaultMaxRetries is max_retries when neither the attribute nor HW_MAX_RETRIES
// sets it.
const DefaultMaxRetries = 5

// MaxMaxConcurrency is the largest max_concurrency: more pages at once than this
// only invites throttling.
const MaxMaxConcurrency = 16

// setting is one provider attribute that falls back to an environment variable.
type setting struct {
	attr string
	env  string
}

func (s setting) path() path.Path { return path.Root(s.attr) }

// describe names the attribute and its variable, as every diagnostic does.
func (s setting) describe() string { return fmt.Sprintf("%q (or %s)", s.attr, s.env) }

var (
	settingRegion        = setting{"region", EnvRegion}
	settingAccessKey     = setting{"access_key", EnvAccessKey}
	settingSecretKey     = setting{"secret_key", EnvSecretKey}
	settingSecurityToken = setting{"security_token", EnvSecurityToken}
	settingProjectID     = setting{"project_id", EnvProjectID}
	settingCloud         = setting{"cloud", EnvCloud}
	settingAuthURL       = setting{"auth_url", EnvAuthURL}
	settingInsecure      = setting{"insecure", EnvInsecure}
	settingMaxRetries    = setting{"max_retries", EnvMaxRetries}
	settingConcurrency   = setting{"max_concurrency", EnvMaxConcurrency}
	settingSigning       = setting{"signing_algorithm", EnvSigningAlgorithm}

	// settingCACertFile falls back to HW_CACERT, then to OS_CACERT.
	settingCACertFile = setting{"cacert_file", EnvCACert + " or " + EnvOSCACert}

	settingSharedConfigFile = setting{"shared_config_file", EnvSharedConfigFile}
	settingProfile          = setting{"profile", EnvProfile}
)

// configError is a configuration error with a diagnostic summary of its own,
// pointing at attr when set. Its text never holds a secret.
type configError struct {
	summary string
	attr    string
	detail  string
}

func (e *configError) Error() string { return e.detail }

// addTo adds e to diags, on its attribute when it has one.
func (e *configError) addTo(diags *diag.Diagnostics) {
	if e.attr != "" {
		diags.AddAttributeError(path.Root(e.attr), e.summary, e.detail)
		return
	}
	diags.AddError(e.summary, e.detail)
}

// stringSetting returns the attribute's value when set, else the environment
// variable's (trimmed; empty counts as unset).
func stringSetting(v types.String, s setting) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	return strings.TrimSpace(os.Getenv(s.env))
}

// attrValue is the attribute's value, "" when null or unknown.
func attrValue(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

// boolSetting is stringSetting for a bool; a variable that is not a bool is an
// error naming it.
func boolSetting(v types.Bool, s setting) (bool, error) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool(), nil
	}
	raw := strings.TrimSpace(os.Getenv(s.env))
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, fmt.Errorf("%s=%q is not a boolean: set it to true or false, or unset it", s.env, raw)
	}
	return b, nil
}

// intSetting is stringSetting for a whole number within [lo, hi].
func intSetting(v types.Int64, s setting, def, lo, hi int64) (int64, error) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueInt64(), nil
	}
	raw := strings.TrimSpace(os.Getenv(s.env))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q is not a whole number from %d to %d: fix it, or unset it for the default %d", s.env, raw, lo, hi, def)
	}
	return n, nil
}

// checkEndpointURL says what is wrong with an endpoint base URL, or nil.
func checkEndpointURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http:// or https:// URL; use a base URL such as https://workspace.cn-north-4.myhuaweicloud.com or http://127.0.0.1:8080", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q has a query or fragment; use a base URL such as https://workspace.cn-north-4.myhuaweicloud.com", raw)
	}
	return nil
}
