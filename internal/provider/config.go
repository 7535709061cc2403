package provider

import (
	"fmt"
	"net/url"
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

	EnvProjectName = "HW_PROJECT_NAME"
	EnvDomainID    = "HW_DOMAIN_ID"
	EnvDomainName  = "HW_DOMAIN_NAME"
)

// The OpenStack-style fallbacks the official huaweicloud provider reads after
// the HW_* variable, in its order.
const (
	EnvOSProjectName       = "OS_PROJECT_NAME"
	EnvOSDomainID          = "OS_DOMAIN_ID"
	EnvOSUserDomainID      = "OS_USER_DOMAIN_ID"
	EnvOSProjectDomainID   = "OS_PROJECT_DOMAIN_ID"
	EnvOSDomainName        = "OS_DOMAIN_NAME"
	EnvOSUserDomainName    = "OS_USER_DOMAIN_NAME"
	EnvOSProjectDomainName = "OS_PROJECT_DOMAIN_NAME"
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

// The official huaweicloud provider's OpenStack-style fallbacks, read after the
// HW_* variable of the same setting (see the settings below; the keys are a
// place of their own in credentials.go).
const (
	EnvOSRegion    = "OS_REGION_NAME"
	EnvOSAccessKey = "OS_ACCESS_KEY"
	EnvOSSecretKey = "OS_SECRET_KEY" //nolint:gosec // a variable's name, not a credential
	EnvOSProjectID = "OS_PROJECT_ID"
	EnvOSAuthURL   = "OS_AUTH_URL"
	EnvOSInsecure  = "OS_INSECURE"
)

// Agencies and OIDC federation, as the official huaweicloud provider reads them
// when the provider block has no assume_role or assume_role_with_oidc block.
const (
	EnvAssumeRoleAgencyName  = "HW_ASSUME_ROLE_AGENCY_NAME"
	EnvAssumeRoleDomainName  = "HW_ASSUME_ROLE_DOMAIN_NAME"
	EnvAssumeRoleDomainID    = "HW_ASSUME_ROLE_DOMAIN_ID"
	EnvAssumeRoleDuration    = "HW_ASSUME_ROLE_DURATION"
	EnvAssumeRoleIdpID       = "HW_ASSUME_ROLE_IDP_ID"
	EnvAssumeRoleIDToken     = "HW_ASSUME_ROLE_ID_TOKEN"
	EnvAssumeRoleIDTokenFile = "HW_ASSUME_ROLE_ID_TOKEN_FILE"
)

// EnvMetadataEndpoint replaces the metadata service's base URL,
// http://169.254.169.254, for proxies and tests.
const EnvMetadataEndpoint = "HW_METADATA_ENDPOINT"

// DefaultMaxRetries is max_retries when neither the attribute nor HW_MAX_RETRIES
// sets it.
const DefaultMaxRetries = 5

// MaxMaxConcurrency is the largest max_concurrency: more pages at once than this
// only invites throttling.
const MaxMaxConcurrency = 16

// setting is one provider attribute and the environment variables it falls
// back to, read in order. This list of declarations is the one place an
// attribute's name and its variables are written: Configure reads the
// variables through it, diagnostics name them from it, and a test checks the
// provider page's settings table (templates/index.md.tmpl) against it and
// against the schema.
type setting struct {
	attr string
	envs []string // none for endpoints
}

func (s setting) path() path.Path { return path.Root(s.attr) }

// envNames is the variables as prose, in the order they are read:
// "HW_CACERT, then OS_CACERT".
func (s setting) envNames() string { return strings.Join(s.envs, ", then ") }

// describe names the attribute and its variables, as every diagnostic does.
func (s setting) describe() string {
	if len(s.envs) == 0 {
		return fmt.Sprintf("%q", s.attr)
	}
	return fmt.Sprintf("%q (or %s)", s.attr, s.envNames())
}

// env is the first of the setting's variables that is set (trimmed), and its
// name; "", "" when none is.
func (s setting) env(getenv environ) (value, name string) {
	for _, e := range s.envs {
		if v := getenv(e); v != "" {
			return v, e
		}
	}
	return "", ""
}

func vars(names ...string) []string { return names }

var (
	settingRegion        = setting{"region", vars(EnvRegion, EnvOSRegion)}
	settingAccessKey     = setting{"access_key", vars(EnvAccessKey, EnvOSAccessKey)}
	settingSecretKey     = setting{"secret_key", vars(EnvSecretKey, EnvOSSecretKey)}
	settingSecurityToken = setting{"security_token", vars(EnvSecurityToken)}
	settingProjectID     = setting{"project_id", vars(EnvProjectID, EnvOSProjectID)}
	settingProjectName   = setting{"project_name", vars(EnvProjectName, EnvOSProjectName)}
	settingDomainID      = setting{"domain_id", vars(EnvDomainID, EnvOSDomainID, EnvOSUserDomainID, EnvOSProjectDomainID)}
	settingDomainName    = setting{"domain_name", vars(EnvDomainName, EnvOSDomainName, EnvOSUserDomainName, EnvOSProjectDomainName)}
	settingCloud         = setting{"cloud", vars(EnvCloud)}
	settingAuthURL       = setting{"auth_url", vars(EnvAuthURL, EnvOSAuthURL)}
	settingEndpoints     = setting{"endpoints", nil}
	settingInsecure      = setting{"insecure", vars(EnvInsecure, EnvOSInsecure)}
	settingMaxRetries    = setting{"max_retries", vars(EnvMaxRetries)}
	settingConcurrency   = setting{"max_concurrency", vars(EnvMaxConcurrency)}
	settingCACertFile    = setting{"cacert_file", vars(EnvCACert, EnvOSCACert)}
	settingSigning       = setting{"signing_algorithm", vars(EnvSigningAlgorithm)}

	settingSharedConfigFile = setting{"shared_config_file", vars(EnvSharedConfigFile)}
	settingProfile          = setting{"profile", vars(EnvProfile)}

	// The blocks: their variables describe one block when none is written.
	settingAssumeRole = setting{"assume_role", vars(EnvAssumeRoleAgencyName, EnvAssumeRoleDomainName, EnvAssumeRoleDomainID, EnvAssumeRoleDuration)}
	settingOIDC       = setting{"assume_role_with_oidc", vars(EnvAssumeRoleIdpID, EnvAssumeRoleIDToken, EnvAssumeRoleIDTokenFile,
		EnvAssumeRoleAgencyName, EnvAssumeRoleDomainID, EnvAssumeRoleDuration)}
)

// settings is every setting of the provider block, in the provider page's order.
var settings = []setting{
	settingRegion, settingAccessKey, settingSecretKey, settingSecurityToken,
	settingSharedConfigFile, settingProfile,
	settingProjectID, settingProjectName, settingDomainID, settingDomainName,
	settingCloud, settingAuthURL, settingEndpoints, settingInsecure, settingCACertFile,
	settingMaxRetries, settingConcurrency, settingSigning,
	settingAssumeRole, settingOIDC,
}

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
func stringSetting(v types.String, s setting, getenv environ) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	env, _ := s.env(getenv)
	return env
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
func boolSetting(v types.Bool, s setting, getenv environ) (bool, error) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool(), nil
	}
	raw, name := s.env(getenv)
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, fmt.Errorf("%s=%q is not a boolean: set it to true or false, or unset it", name, raw)
	}
	return b, nil
}

// intSetting is stringSetting for a whole number within [lo, hi].
func intSetting(v types.Int64, s setting, getenv environ, def, lo, hi int64) (int64, error) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueInt64(), nil
	}
	raw, name := s.env(getenv)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q is not a whole number from %d to %d: fix it, or unset it for the default %d", name, raw, lo, hi, def)
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
