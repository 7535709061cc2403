package provider

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
)

// Where credentials come from is credentialPlaces, in order, first match wins
// (the provider page lists the places for users).
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

func envKeySet(getenv environ, where, ak, sk, token string) keySet {
	return keySet{where: where, akName: ak, skName: sk, tokenName: token, ak: getenv(ak), sk: getenv(sk), token: getenv(token)}
}

// environ reads an environment variable, trimmed; "" when unset. The provider
// reads the environment only through the one its Provider holds (os.Getenv in
// production), so that tests can hand it another.
type environ func(name string) string

// trimmedEnv is lookup's values trimmed.
func trimmedEnv(lookup func(string) string) environ {
	return func(name string) string { return strings.TrimSpace(lookup(name)) }
}

// credentialPlace is one place the keys may come from.
type credentialPlace struct {
	// doc is how the provider page's list (templates/index.md.tmpl) and the
	// schema name the place: TestCredentialPlacesAreDocumentedInOrder finds
	// each there, in this order.
	doc string
	// lookedAt is the place's line in the error that lists every place
	// looked at when none held keys.
	lookedAt func(l *credentialLookup) string
	// find gives the place's keys; ok is false when it holds none, and then
	// the next place is looked at.
	find func(l *credentialLookup) (c credentials, ok bool, err error)
}

// credentialPlaces is the order in which the places are looked at; the first
// that holds keys wins. The comment above credentials says why this order.
var credentialPlaces = []credentialPlace{
	{doc: "`assume_role_with_oidc`", lookedAt: notSet("assume_role_with_oidc in the provider block"), find: (*credentialLookup).oidcBlock},
	{doc: "`access_key`", lookedAt: notSet("access_key, secret_key and security_token in the provider block"), find: (*credentialLookup).blockKeys},
	{doc: "`profile`", lookedAt: notSet("profile and shared_config_file in the provider block"), find: (*credentialLookup).blockProfile},
	{doc: "`" + EnvAssumeRoleIdpID + "`", lookedAt: notSet("the environment variable " + EnvAssumeRoleIdpID + " (OIDC federation)"), find: (*credentialLookup).variablesOIDC},
	{doc: "`" + EnvAccessKey + "`", lookedAt: func(l *credentialLookup) string { return "the environment variables " + l.env.names() + ": not set" },
		find: (*credentialLookup).variableKeys},
	{doc: "`" + EnvOSAccessKey + "`", lookedAt: notSet("the environment variables " + EnvOSAccessKey + " and " + EnvOSSecretKey), find: (*credentialLookup).osVariableKeys},
	{doc: "hcloud profile file", lookedAt: func(l *credentialLookup) string { return l.note }, find: (*credentialLookup).profileFile},
	{doc: "`" + EnvSDKAccessKey + "`", lookedAt: func(l *credentialLookup) string { return "the environment variables " + l.sdk.names() + ": not set" },
		find: (*credentialLookup).sdkVariableKeys},
	{doc: "metadata service", find: (*credentialLookup).metadataService},
}

func notSet(place string) func(*credentialLookup) string {
	return func(*credentialLookup) string { return place + ": not set" }
}

// credentialLookup is what the places are looked at with, and the warnings
// about places that were set but lost to a higher one.
type credentialLookup struct {
	m                      Model
	getenv                 environ
	block, env, osEnv, sdk keySet
	choice                 profileChoice
	envOIDC                *creds.OIDC
	// note says what the profile file held, when it held no keys.
	note     string
	warnings []string
}

// credentials resolves the keys, from the first of credentialPlaces that holds
// them. The warnings name places that were set but lost to a higher one.
func (m Model) credentials(getenv environ) (credentials, []string, error) {
	l := &credentialLookup{
		m: m, getenv: getenv,
		block: keySet{
			where: "The provider block", akName: "access_key", skName: "secret_key", tokenName: "security_token", attr: true,
			ak: attrValue(m.AccessKey), sk: attrValue(m.SecretKey), token: attrValue(m.SecurityToken),
		},
		env:   envKeySet(getenv, "The environment", EnvAccessKey, EnvSecretKey, EnvSecurityToken),
		osEnv: envKeySet(getenv, "The environment", EnvOSAccessKey, EnvOSSecretKey, ""),
		sdk:   envKeySet(getenv, "The environment", EnvSDKAccessKey, EnvSDKSecretKey, EnvSDKSecurityToken),
	}
	var err error
	if l.choice, err = m.profileChoice(getenv); err != nil {
		return credentials{}, nil, err
	}
	if l.envOIDC, err = envOIDC(getenv); err != nil {
		return credentials{}, nil, err
	}
	for i, p := range credentialPlaces {
		c, ok, err := p.find(l)
		if err != nil {
			return credentials{}, nil, err
		}
		if i == len(credentialPlaces)-1 {
			c.lookedAt = l.lookedAt()
		}
		if ok {
			return c, l.warnings, nil
		}
	}
	return credentials{}, nil, errors.New("no place of credentialPlaces gave keys") // the metadata service always does
}

// lookedAt lists the places before the metadata service, numbered, with what
// each held.
func (l *credentialLookup) lookedAt() string {
	var b strings.Builder
	for i, p := range credentialPlaces[:len(credentialPlaces)-1] {
		fmt.Fprintf(&b, "%d. %s\n", i+1, p.lookedAt(l))
	}
	return b.String()
}

func (l *credentialLookup) warn(format string, args ...any) {
	l.warnings = append(l.warnings, fmt.Sprintf(format, args...))
}

// oidcUnused warns that HW_ASSUME_ROLE_IDP_ID lost to winner.
func (l *credentialLookup) oidcUnused(winner string) {
	if l.envOIDC != nil {
		l.warn("%s is set but not used: %s wins over the OIDC variables.", EnvAssumeRoleIdpID, winner)
	}
}

// oidcBlock: 1. the assume_role_with_oidc block.
func (l *credentialLookup) oidcBlock() (credentials, bool, error) {
	if len(l.m.AssumeRoleWithOIDC) == 0 {
		return credentials{}, false, nil
	}
	o := l.m.AssumeRoleWithOIDC[0].spec()
	if !l.block.empty() {
		l.warn("%s", l.block.setNames()+" in the provider block but not used: assume_role_with_oidc wins over keys.")
	}
	if l.choice.explicit() {
		l.warn("%s is not used: assume_role_with_oidc in the provider block wins over any profile.", l.choice.describe())
	}
	l.oidcUnused("assume_role_with_oidc in the provider block")
	return credentials{oidc: &o, source: fmt.Sprintf("assume_role_with_oidc in the provider block (identity provider %s)", o.IdpID)}, true, nil
}

// blockKeys: 2. the provider block's keys.
func (l *credentialLookup) blockKeys() (credentials, bool, error) {
	if l.block.empty() {
		return credentials{}, false, nil
	}
	if err := l.block.complete(); err != nil {
		return credentials{}, false, err
	}
	if l.choice.explicit() {
		l.warn("%s is not used: access_key and secret_key in the provider block win over any profile.", l.choice.describe())
	}
	l.oidcUnused("access_key in the provider block")
	return l.block.credentials("access_key and secret_key in the provider block"), true, nil
}

// blockProfile: 3. a profile chosen in the provider block.
func (l *credentialLookup) blockProfile() (credentials, bool, error) {
	if !l.choice.inBlock() {
		return credentials{}, false, nil
	}
	c, err := l.choice.load(l.getenv)
	if err != nil {
		return credentials{}, false, err
	}
	if !l.env.empty() {
		l.warn("%s but not used: %s, chosen in the provider block, wins over environment variables.", l.env.setNames(), l.choice.describe())
	}
	l.oidcUnused(l.choice.describe() + ", chosen in the provider block,")
	return c, true, nil
}

// variablesOIDC: 4. OIDC from the variables.
func (l *credentialLookup) variablesOIDC() (credentials, bool, error) {
	if l.envOIDC == nil {
		return credentials{}, false, nil
	}
	if !l.env.empty() {
		l.warn("%s but not used: %s (OIDC federation) wins over access keys in variables.", l.env.setNames(), EnvAssumeRoleIdpID)
	}
	return credentials{oidc: l.envOIDC, source: fmt.Sprintf("%s (identity provider %s)", EnvAssumeRoleIdpID, l.envOIDC.IdpID)}, true, nil
}

// variableKeys: 5. HW_ACCESS_KEY and HW_SECRET_KEY.
func (l *credentialLookup) variableKeys() (credentials, bool, error) {
	return l.keysFrom(l.env, EnvAccessKey, EnvSecretKey)
}

// osVariableKeys: 6. OS_ACCESS_KEY and OS_SECRET_KEY.
func (l *credentialLookup) osVariableKeys() (credentials, bool, error) {
	return l.keysFrom(l.osEnv, EnvOSAccessKey, EnvOSSecretKey)
}

// keysFrom takes a complete set of variables, which wins over any profile.
func (l *credentialLookup) keysFrom(set keySet, ak, sk string) (credentials, bool, error) {
	if set.empty() {
		return credentials{}, false, nil
	}
	if err := set.complete(); err != nil {
		return credentials{}, false, err
	}
	if l.choice.explicit() {
		l.warn("%s is not used: %s and %s win over any profile.", l.choice.describe(), ak, sk)
	}
	return set.credentials(ak + " and " + sk), true, nil
}

// profileFile: 7. the profile file.
func (l *credentialLookup) profileFile() (credentials, bool, error) {
	c, err := l.choice.load(l.getenv)
	var none *noProfileKeys
	if errors.As(err, &none) {
		l.note = none.note
		return credentials{}, false, nil
	}
	return c, err == nil, err
}

// sdkVariableKeys: 8. the SDK's variables.
func (l *credentialLookup) sdkVariableKeys() (credentials, bool, error) {
	if l.sdk.empty() {
		return credentials{}, false, nil
	}
	if err := l.sdk.complete(); err != nil {
		return credentials{}, false, err
	}
	c := l.sdk.credentials(EnvSDKAccessKey + " and " + EnvSDKSecretKey)
	c.projectID = l.getenv(EnvSDKProjectID)
	return c, true, nil
}

// metadataService: 9. the metadata service, which always "has" keys: asking
// it is left to Configure, and its failure lists every place looked at
// (credentials sets lookedAt).
func (l *credentialLookup) metadataService() (credentials, bool, error) {
	endpoint, err := metadataEndpoint(l.getenv)
	if err != nil {
		return credentials{}, false, err
	}
	return credentials{metadata: endpoint, source: "the metadata service at " + endpoint}, true, nil
}

// metadataEndpoint is HW_METADATA_ENDPOINT, else the ECS metadata service.
func metadataEndpoint(getenv environ) (string, error) {
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

func (m Model) profileChoice(getenv environ) (profileChoice, error) {
	var p profileChoice
	switch v := attrValue(m.SharedConfigFile); {
	case v != "":
		p.path, p.pathFrom = v, settingSharedConfigFile.attr
	case getenv(EnvSharedConfigFile) != "":
		p.path, p.pathFrom = getenv(EnvSharedConfigFile), EnvSharedConfigFile
	}
	switch v := attrValue(m.Profile); {
	case v != "":
		p.name, p.nameFrom = v, settingProfile.attr
	case getenv(EnvProfile) != "":
		p.name, p.nameFrom = getenv(EnvProfile), EnvProfile
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
// whose current profile holds no keys is no place to fail at: load returns a
// *noProfileKeys, whose note is the file's line in the error that lists every
// place looked. Everything else that is wrong with the file is an error.
func (p profileChoice) load(getenv environ) (credentials, error) {
	strict := p.explicit()
	if p.path == "" {
		if strict {
			return credentials{}, profileError(p.nameAttr(), "Profile %q (from %s) was chosen, but there is no home directory to find ~/.hcloud/config.json in (%s). Set shared_config_file (or %s) to the file.",
				p.name, p.nameFrom, p.homeErr, EnvSharedConfigFile)
		}
		return credentials{}, &noProfileKeys{fmt.Sprintf("the hcloud profile file ~/.hcloud/config.json (the default, as %s and %s are not set): there is no home directory (%s)", EnvSharedConfigFile, EnvProfile, p.homeErr)}
	}
	data, err := os.ReadFile(p.path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !strict:
		return credentials{}, &noProfileKeys{p.defaultFile() + ": it does not exist"}
	case errors.Is(err, fs.ErrNotExist) && p.pathFrom == "":
		return credentials{}, profileError(p.nameAttr(), "Profile %q (from %s) was chosen, but %s does not exist. Create it with \"hcloud configure init\", or set shared_config_file (or %s) to the file that holds the profile.",
			p.name, p.nameFrom, p.file(), EnvSharedConfigFile)
	case errors.Is(err, fs.ErrNotExist):
		return credentials{}, profileError(p.pathAttr(), "%s does not exist.", capitalize(p.file()))
	case err != nil:
		return credentials{}, profileError(p.pathAttr(), "Cannot read %s: %s", p.file(), err)
	}
	cfg, err := parseHCloudConfig(p.path, data)
	if err != nil {
		return credentials{}, profileError(p.pathAttr(), "Cannot read %s: %s. Fix the file, or choose another with shared_config_file (or %s).", p.file(), err, EnvSharedConfigFile)
	}

	name, what := p.name, fmt.Sprintf("profile %q (from %s)", p.name, p.nameFrom)
	if p.nameFrom == "" {
		name, what = cfg.Current, fmt.Sprintf("its current profile %q", cfg.Current)
		if name == "" {
			if strict {
				return credentials{}, profileError("", "%s names no current profile. Choose one with profile (or %s): %s.", capitalize(p.file()), EnvProfile, cfg.profileNames())
			}
			return credentials{}, &noProfileKeys{p.defaultFile() + ": it names no current profile"}
		}
	}
	prof, ok := cfg.profile(name)
	if !ok {
		if p.nameFrom == "" {
			return credentials{}, profileError("", "%s names %q as its current profile, but has no profile of that name: %s. Choose one with profile (or %s).",
				capitalize(p.file()), name, cfg.profileNames(), EnvProfile)
		}
		return credentials{}, profileError(p.nameAttr(), "%s has no profile %q (from %s): %s.", capitalize(p.file()), name, p.nameFrom, cfg.profileNames())
	}
	if prof.ecsAgency() {
		endpoint, err := metadataEndpoint(getenv)
		if err != nil {
			return credentials{}, err
		}
		c := credentials{metadata: endpoint, source: fmt.Sprintf("the metadata service at %s (profile %q of %s has mode ecsAgency)", endpoint, name, p.file())}
		c.region, c.projectID = strings.TrimSpace(prof.Region), strings.TrimSpace(prof.ProjectID)
		c.agency = prof.agency()
		return c, nil
	}
	ak, sk, token, why := prof.keys()
	if why == nil && ak == "" && sk == "" && token == "" {
		why = errors.New("it has no accessKeyId and secretAccessKey")
	}
	if why != nil {
		if strict {
			return credentials{}, profileError(p.nameAttr(), "%s of %s has no access key: %s.", capitalize(what), p.file(), why)
		}
		return credentials{}, &noProfileKeys{fmt.Sprintf("%s: %s has no access key: %s", p.defaultFile(), what, why)}
	}
	set := keySet{
		where:  fmt.Sprintf("%s of %s", capitalize(what), p.file()),
		akName: "accessKeyId", skName: "secretAccessKey", tokenName: "securityToken",
		ak: ak, sk: sk, token: token,
	}
	if err := set.complete(); err != nil {
		return credentials{}, err
	}
	c := set.credentials(fmt.Sprintf("profile %q of %s", name, p.file()))
	c.region, c.projectID = strings.TrimSpace(prof.Region), strings.TrimSpace(prof.ProjectID)
	c.agency = prof.agency()
	return c, nil
}

// noProfileKeys says that the default profile file, which no setting chose,
// holds no keys: the next place is looked at.
type noProfileKeys struct{ note string }

func (e *noProfileKeys) Error() string { return e.note }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
