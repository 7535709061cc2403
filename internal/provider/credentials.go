package provider

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
)

// Where credentials come from, first match wins:
//
//  1. the assume_role_with_oidc block (an OIDC id token federated into an
//     agency's keys);
//  2. access_key, secret_key and security_token in the provider block;
//  3. a profile chosen in the provider block (profile or shared_config_file);
//  4. OIDC federation from HW_ASSUME_ROLE_IDP_ID with HW_ASSUME_ROLE_ID_TOKEN or
//     HW_ASSUME_ROLE_ID_TOKEN_FILE, HW_ASSUME_ROLE_AGENCY_NAME and
//     HW_ASSUME_ROLE_DOMAIN_ID;
//  5. HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN;
//  6. OS_ACCESS_KEY and OS_SECRET_KEY;
//  7. the hcloud profile file: HW_SHARED_CONFIG_FILE (default
//     ~/.hcloud/config.json), profile HW_PROFILE (default the file's current);
//     a profile of mode ecsAgency means the metadata service;
//  8. the SDK's HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and
//     HUAWEICLOUD_SDK_SECURITY_TOKEN;
//  9. the ECS metadata service (HW_METADATA_ENDPOINT, default
//     http://169.254.169.254), asked only when no place above holds keys.
//
// Then agencies are assumed on top of those keys, in order: a profile's
// agencyName (in agencyDomainName, through IAM), then the assume_role blocks, or
// without blocks the one the HW_ASSUME_ROLE_* variables describe.
//
// What is written in the configuration wins over what the environment holds,
// and within each, keys given outright win over a profile. Every place gives
// a complete set or nothing: the keys and token are never taken one from here
// and one from there, because a pair from two places fails only later, with a
// 401 that does not say which key was wrong.

// credentials is one complete set of keys and where it came from.
type credentials struct {
	accessKey, secretKey, securityToken string
	// region and projectID came with the keys (a profile's region and
	// projectId, or HUAWEICLOUD_SDK_PROJECT_ID); they fill only what the
	// region and project_id settings leave unset.
	region, projectID string
	// source names the place for logs and diagnostics; never a secret.
	source string

	// metadata, when set, is the metadata service's base URL: the keys come
	// from there. lookedAt, then, lists the places looked before it, for the
	// error when the service fails too.
	metadata, lookedAt string
	// oidc, when set, federates an OIDC token into the keys.
	oidc *creds.OIDC
	// agency is a profile's agencyName, assumed with its keys.
	agency *creds.AssumeRole
}

// setNote explains why credentials are taken as a set.
const setNote = "The provider takes the access key, secret key and security token together from one place and never pairs " +
	"a key from one place with a key from another: such a pair fails only later, with a 401 (APIG.0301) that does not say which key was wrong."

const summaryMissingCredentials = "Missing Huawei Cloud credentials" //nolint:gosec // a diagnostic's summary, not a credential

func incomplete(attr, format string, args ...any) error {
	return &configError{summary: "Incomplete Huawei Cloud credentials", attr: attr, detail: fmt.Sprintf(format, args...) + "\n\n" + setNote}
}

func profileError(attr, format string, args ...any) error {
	return &configError{summary: "Cannot use the hcloud profile", attr: attr, detail: fmt.Sprintf(format, args...)}
}

// keySet is what one place holds, and what that place calls each part.
type keySet struct {
	where                     string
	akName, skName, tokenName string
	attr                      bool // the names are provider block attributes
	ak, sk, token             string
}

func (k keySet) empty() bool { return k.ak == "" && k.sk == "" && k.token == "" }

// complete is nil when the set has both keys, and otherwise says which part
// is missing.
func (k keySet) complete() error {
	attr := func(name string) string {
		if k.attr {
			return name
		}
		return ""
	}
	switch {
	case k.ak != "" && k.sk != "":
		return nil
	case k.ak != "":
		return incomplete(attr(k.skName), "%s sets %s but not %s.", k.where, k.akName, k.skName)
	case k.sk != "":
		return incomplete(attr(k.akName), "%s sets %s but not %s.", k.where, k.skName, k.akName)
	default:
		return incomplete(attr(k.akName), "%s sets %s but not %s and %s: a security token works only with the temporary access key and secret key it was issued with.",
			k.where, k.tokenName, k.akName, k.skName)
	}
}

func (k keySet) names() string {
	return fmt.Sprintf("%s, %s and %s", k.akName, k.skName, k.tokenName)
}

// setNames names the parts that are set: "X is set", "X and Y are set".
func (k keySet) setNames() string {
	var set []string
	for _, p := range [][2]string{{k.akName, k.ak}, {k.skName, k.sk}, {k.tokenName, k.token}} {
		if p[1] != "" {
			set = append(set, p[0])
		}
	}
	switch len(set) {
	case 1:
		return set[0] + " is set"
	case 2:
		return set[0] + " and " + set[1] + " are set"
	default:
		return strings.Join(set[:len(set)-1], ", ") + " and " + set[len(set)-1] + " are set"
	}
}

func (k keySet) credentials(source string) credentials {
	return credentials{accessKey: k.ak, secretKey: k.sk, securityToken: k.token, source: source}
}

func envKeySet(where, ak, sk, token string) keySet {
	return keySet{
		where: where, akName: ak, skName: sk, tokenName: token,
		ak: strings.TrimSpace(os.Getenv(ak)), sk: strings.TrimSpace(os.Getenv(sk)), token: strings.TrimSpace(os.Getenv(token)),
	}
}

// credentials resolves the keys, in the order above. The warnings name places
// that were set but lost to a higher one.
func (m Model) credentials() (credentials, []string, error) {
	var warnings []string
	block := keySet{
		where: "The provider block", akName: "access_key", skName: "secret_key", tokenName: "security_token", attr: true,
		ak: attrValue(m.AccessKey), sk: attrValue(m.SecretKey), token: attrValue(m.SecurityToken),
	}
	env := envKeySet("The environment", EnvAccessKey, EnvSecretKey, EnvSecurityToken)
	choice, err := m.profileChoice()
	if err != nil {
		return credentials{}, nil, err
	}
	envOIDC, err := envOIDC()
	if err != nil {
		return credentials{}, nil, err
	}
	oidcUnused := func(winner string) {
		if envOIDC != nil {
			warnings = append(warnings, fmt.Sprintf("%s is set but not used: %s wins over the OIDC variables.", EnvAssumeRoleIdpID, winner))
		}
	}

	// 1. the assume_role_with_oidc block
	if len(m.AssumeRoleWithOIDC) > 0 {
		o := m.AssumeRoleWithOIDC[0].spec()
		if !block.empty() {
			warnings = append(warnings, block.setNames()+" in the provider block but not used: assume_role_with_oidc wins over keys.")
		}
		if choice.explicit() {
			warnings = append(warnings, fmt.Sprintf("%s is not used: assume_role_with_oidc in the provider block wins over any profile.", choice.describe()))
		}
		oidcUnused("assume_role_with_oidc in the provider block")
		return credentials{oidc: &o, source: fmt.Sprintf("assume_role_with_oidc in the provider block (identity provider %s)", o.IdpID)}, warnings, nil
	}
	// 2. the provider block's keys
	if !block.empty() {
		if err := block.complete(); err != nil {
			return credentials{}, nil, err
		}
		if choice.explicit() {
			warnings = append(warnings, fmt.Sprintf("%s is not used: access_key and secret_key in the provider block win over any profile.", choice.describe()))
		}
		oidcUnused("access_key in the provider block")
		return block.credentials("access_key and secret_key in the provider block"), warnings, nil
	}
	// 3. a profile chosen in the provider block
	if choice.inBlock() {
		c, _, err := choice.load()
		if err != nil {
			return credentials{}, nil, err
		}
		if !env.empty() {
			warnings = append(warnings, fmt.Sprintf("%s but not used: %s, chosen in the provider block, wins over environment variables.", env.setNames(), choice.describe()))
		}
		oidcUnused(choice.describe() + ", chosen in the provider block,")
		return c, warnings, nil
	}
	// 4. OIDC from the variables
	if envOIDC != nil {
		if !env.empty() {
			warnings = append(warnings, fmt.Sprintf("%s but not used: %s (OIDC federation) wins over access keys in variables.", env.setNames(), EnvAssumeRoleIdpID))
		}
		return credentials{oidc: envOIDC, source: fmt.Sprintf("%s (identity provider %s)", EnvAssumeRoleIdpID, envOIDC.IdpID)}, warnings, nil
	}
	// 5. HW_ACCESS_KEY and HW_SECRET_KEY
	if !env.empty() {
		if err := env.complete(); err != nil {
			return credentials{}, nil, err
		}
		if choice.explicit() {
			warnings = append(warnings, fmt.Sprintf("%s is not used: %s and %s win over any profile.", choice.describe(), EnvAccessKey, EnvSecretKey))
		}
		return env.credentials(EnvAccessKey + " and " + EnvSecretKey), warnings, nil
	}
	// 6. OS_ACCESS_KEY and OS_SECRET_KEY
	osEnv := envKeySet("The environment", EnvOSAccessKey, EnvOSSecretKey, "")
	if !osEnv.empty() {
		if err := osEnv.complete(); err != nil {
			return credentials{}, nil, err
		}
		if choice.explicit() {
			warnings = append(warnings, fmt.Sprintf("%s is not used: %s and %s win over any profile.", choice.describe(), EnvOSAccessKey, EnvOSSecretKey))
		}
		return osEnv.credentials(EnvOSAccessKey + " and " + EnvOSSecretKey), warnings, nil
	}
	// 7. the profile file
	c, note, err := choice.load()
	if err != nil {
		return credentials{}, nil, err
	}
	if note == "" {
		return c, nil, nil
	}
	// 8. the SDK's variables
	sdk := envKeySet("The environment", EnvSDKAccessKey, EnvSDKSecretKey, EnvSDKSecurityToken)
	if !sdk.empty() {
		if err := sdk.complete(); err != nil {
			return credentials{}, nil, err
		}
		c := sdk.credentials(EnvSDKAccessKey + " and " + EnvSDKSecretKey)
		c.projectID = strings.TrimSpace(os.Getenv(EnvSDKProjectID))
		return c, nil, nil
	}
	// 9. the metadata service
	endpoint, err := metadataEndpoint()
	if err != nil {
		return credentials{}, nil, err
	}
	return credentials{metadata: endpoint, source: "the metadata service at " + endpoint, lookedAt: fmt.Sprintf(
		"1. assume_role_with_oidc in the provider block: not set\n"+
			"2. access_key, secret_key and security_token in the provider block: not set\n"+
			"3. profile and shared_config_file in the provider block: not set\n"+
			"4. the environment variable %s (OIDC federation): not set\n"+
			"5. the environment variables %s: not set\n"+
			"6. the environment variables %s and %s: not set\n"+
			"7. %s\n"+
			"8. the environment variables %s: not set\n",
		EnvAssumeRoleIdpID, env.names(), EnvOSAccessKey, EnvOSSecretKey, note, sdk.names())}, nil, nil
}

// metadataEndpoint is HW_METADATA_ENDPOINT, else the ECS metadata service.
func metadataEndpoint() (string, error) {
	v := getenv(EnvMetadataEndpoint)
	if v == "" {
		return creds.DefaultMetadataEndpoint, nil
	}
	if err := checkEndpointURL(v); err != nil {
		return "", &configError{summary: "Invalid metadata service endpoint", detail: fmt.Sprintf("%s: %s", EnvMetadataEndpoint, err)}
	}
	return strings.TrimRight(v, "/"), nil
}

// missingCredentials is the error when no place held keys and the metadata
// service, the last place, failed too.
func missingCredentials(c credentials, err error) *configError {
	return &configError{summary: summaryMissingCredentials, detail: fmt.Sprintf(
		"No access key was found. The provider looked, in this order, at:\n%s9. the metadata service at %s: %s\n\n"+
			"Set access_key and secret_key in the provider block, export %s and %s, create an hcloud (KooCLI) profile with \"hcloud configure init\", "+
			"or run on an ECS or CCE node with an agency bound. "+
			"Create an access key in the Huawei Cloud console under My Credentials > Access Keys.",
		c.lookedAt, c.metadata, err, EnvAccessKey, EnvSecretKey)}
}

// profileChoice is which hcloud profile file and profile the settings name.
type profileChoice struct {
	// path is the file; "" when it is the default and there is no home
	// directory (homeErr says why).
	path    string
	homeErr error
	// pathFrom and nameFrom name the attribute or variable that set the path
	// and the profile name; "" for the defaults.
	pathFrom, nameFrom string
	name               string
}

func (m Model) profileChoice() (profileChoice, error) {
	var p profileChoice
	switch v := attrValue(m.SharedConfigFile); {
	case v != "":
		p.path, p.pathFrom = v, settingSharedConfigFile.attr
	case strings.TrimSpace(os.Getenv(EnvSharedConfigFile)) != "":
		p.path, p.pathFrom = strings.TrimSpace(os.Getenv(EnvSharedConfigFile)), EnvSharedConfigFile
	}
	switch v := attrValue(m.Profile); {
	case v != "":
		p.name, p.nameFrom = v, settingProfile.attr
	case strings.TrimSpace(os.Getenv(EnvProfile)) != "":
		p.name, p.nameFrom = strings.TrimSpace(os.Getenv(EnvProfile)), EnvProfile
	}
	if p.path == "" {
		p.path, p.homeErr = defaultSharedConfigFile()
		return p, nil
	}
	path, err := expandHome(p.path)
	if err != nil {
		return p, profileError(p.pathAttr(), "%s: %s", p.pathFrom, err)
	}
	p.path = path
	return p, nil
}

// explicit: a setting chose the file or the profile.
func (p profileChoice) explicit() bool { return p.pathFrom != "" || p.nameFrom != "" }

// inBlock: the provider block chose the file or the profile.
func (p profileChoice) inBlock() bool {
	return p.pathFrom == settingSharedConfigFile.attr || p.nameFrom == settingProfile.attr
}

func (p profileChoice) pathAttr() string {
	if p.pathFrom == settingSharedConfigFile.attr {
		return p.pathFrom
	}
	return ""
}

func (p profileChoice) nameAttr() string {
	if p.nameFrom == settingProfile.attr {
		return p.nameFrom
	}
	return ""
}

// file names the file and what chose it.
func (p profileChoice) file() string {
	if p.pathFrom != "" {
		return fmt.Sprintf("the hcloud profile file %q (from %s)", p.path, p.pathFrom)
	}
	return fmt.Sprintf("the hcloud profile file %q (the default)", p.path)
}

// defaultFile names the default file for the error that lists every place
// looked.
func (p profileChoice) defaultFile() string {
	return fmt.Sprintf("the hcloud profile file %q (the default, as %s and %s are not set)", p.path, EnvSharedConfigFile, EnvProfile)
}

// describe names the profile for the warnings.
func (p profileChoice) describe() string {
	if p.nameFrom != "" {
		return fmt.Sprintf("profile %q (from %s) in %s", p.name, p.nameFrom, p.file())
	}
	return "the current profile of " + p.file()
}

// load reads the chosen profile's keys. When no setting chose the file or the
// profile, a default file that does not exist, names no current profile, or
// whose current profile holds no keys is not an error: load returns a note
// saying so, for the error that lists every place looked. Everything else that
// is wrong with the file is an error.
func (p profileChoice) load() (credentials, string, error) {
	strict := p.explicit()
	if p.path == "" {
		if strict {
			return credentials{}, "", profileError(p.nameAttr(), "Profile %q (from %s) was chosen, but there is no home directory to find ~/.hcloud/config.json in (%s). Set shared_config_file (or %s) to the file.",
				p.name, p.nameFrom, p.homeErr, EnvSharedConfigFile)
		}
		return credentials{}, fmt.Sprintf("the hcloud profile file ~/.hcloud/config.json (the default, as %s and %s are not set): there is no home directory (%s)", EnvSharedConfigFile, EnvProfile, p.homeErr), nil
	}
	data, err := os.ReadFile(p.path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !strict:
		return credentials{}, p.defaultFile() + ": it does not exist", nil
	case errors.Is(err, fs.ErrNotExist) && p.pathFrom == "":
		return credentials{}, "", profileError(p.nameAttr(), "Profile %q (from %s) was chosen, but %s does not exist. Create it with \"hcloud configure init\", or set shared_config_file (or %s) to the file that holds the profile.",
			p.name, p.nameFrom, p.file(), EnvSharedConfigFile)
	case errors.Is(err, fs.ErrNotExist):
		return credentials{}, "", profileError(p.pathAttr(), "%s does not exist.", capitalize(p.file()))
	case err != nil:
		return credentials{}, "", profileError(p.pathAttr(), "Cannot read %s: %s", p.file(), err)
	}
	cfg, err := parseHCloudConfig(p.path, data)
	if err != nil {
		return credentials{}, "", profileError(p.pathAttr(), "Cannot read %s: %s. Fix the file, or choose another with shared_config_file (or %s).", p.file(), err, EnvSharedConfigFile)
	}

	name, what := p.name, fmt.Sprintf("profile %q (from %s)", p.name, p.nameFrom)
	if p.nameFrom == "" {
		name, what = cfg.Current, fmt.Sprintf("its current profile %q", cfg.Current)
		if name == "" {
			if strict {
				return credentials{}, "", profileError("", "%s names no current profile. Choose one with profile (or %s): %s.", capitalize(p.file()), EnvProfile, cfg.profileNames())
			}
			return credentials{}, p.defaultFile() + ": it names no current profile", nil
		}
	}
	prof, ok := cfg.profile(name)
	if !ok {
		if p.nameFrom == "" {
			return credentials{}, "", profileError("", "%s names %q as its current profile, but has no profile of that name: %s. Choose one with profile (or %s).",
				capitalize(p.file()), name, cfg.profileNames(), EnvProfile)
		}
		return credentials{}, "", profileError(p.nameAttr(), "%s has no profile %q (from %s): %s.", capitalize(p.file()), name, p.nameFrom, cfg.profileNames())
	}
	if prof.ecsAgency() {
		endpoint, err := metadataEndpoint()
		if err != nil {
			return credentials{}, "", err
		}
		c := credentials{metadata: endpoint, source: fmt.Sprintf("the metadata service at %s (profile %q of %s has mode ecsAgency)", endpoint, name, p.file())}
		c.region, c.projectID = strings.TrimSpace(prof.Region), strings.TrimSpace(prof.ProjectID)
		c.agency = prof.agency()
		return c, "", nil
	}
	ak, sk, token, why := prof.keys()
	if why == nil && ak == "" && sk == "" && token == "" {
		why = errors.New("it has no accessKeyId and secretAccessKey")
	}
	if why != nil {
		if strict {
			return credentials{}, "", profileError(p.nameAttr(), "%s of %s has no access key: %s.", capitalize(what), p.file(), why)
		}
		return credentials{}, fmt.Sprintf("%s: %s has no access key: %s", p.defaultFile(), what, why), nil
	}
	set := keySet{
		where:  fmt.Sprintf("%s of %s", capitalize(what), p.file()),
		akName: "accessKeyId", skName: "secretAccessKey", tokenName: "securityToken",
		ak: ak, sk: sk, token: token,
	}
	if err := set.complete(); err != nil {
		return credentials{}, "", err
	}
	c := set.credentials(fmt.Sprintf("profile %q of %s", name, p.file()))
	c.region, c.projectID = strings.TrimSpace(prof.Region), strings.TrimSpace(prof.ProjectID)
	c.agency = prof.agency()
	return c, "", nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
