// Package provider is the huaweicloud provider: its schema, its configuration from
// attributes and environment variables, and the list of its data sources.
package provider

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/resources"
)

// TypeName is the provider's type name in configurations.
const TypeName = "huaweicloud"

// endpointServices are the keys the endpoints map accepts.
var endpointServices = []string{"workspace", "iam", "sts"}

var (
	_ provider.Provider                  = (*Provider)(nil)
	_ provider.ProviderWithActions       = (*Provider)(nil)
	_ provider.ProviderWithListResources = (*Provider)(nil)
)

// Provider is the huaweicloud provider.
type Provider struct {
	version string
	opts    Options
	// getenv is the environment every setting and place of keys is read
	// from.
	getenv environ

	mu      sync.Mutex
	session *client.Session // set by Configure
}

// configured is the session Configure made, or nil before it (or when it
// failed or deferred).
func (p *Provider) configured() *client.Session {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.session
}

// Options are settings users do not need, for tests and benchmarks: a zero
// field keeps the client's default.
type Options struct {
	// RetryBaseDelay and RetryMaxDelay replace the backoff's 0.5 s and 10 s, so
	// that tests of many retries do not sleep for seconds.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// RequestTimeout replaces the 60 s bound of one attempt.
	RequestTimeout time.Duration
}

// New returns a constructor of the provider at version, for providerserver.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions is New with Options.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	return func() provider.Provider { return newProvider(version, opts) }
}

// newProvider is a provider reading the process's environment: the one place
// the provider calls os.Getenv.
func newProvider(version string, opts Options) *Provider {
	return &Provider{version: version, opts: opts, getenv: trimmedEnv(os.Getenv)}
}

// Model is the provider block.
type Model struct {
	Region         types.String `tfsdk:"region"`
	AccessKey      types.String `tfsdk:"access_key"`
	SecretKey      types.String `tfsdk:"secret_key"`
	SecurityToken  types.String `tfsdk:"security_token"`
	ProjectID      types.String `tfsdk:"project_id"`
	ProjectName    types.String `tfsdk:"project_name"`
	DomainID       types.String `tfsdk:"domain_id"`
	DomainName     types.String `tfsdk:"domain_name"`
	Cloud          types.String `tfsdk:"cloud"`
	AuthURL        types.String `tfsdk:"auth_url"`
	Endpoints      types.Map    `tfsdk:"endpoints"`
	Insecure       types.Bool   `tfsdk:"insecure"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	MaxConcurrency types.Int64  `tfsdk:"max_concurrency"`

	// How requests are signed.
	SigningAlgorithm types.String `tfsdk:"signing_algorithm"`

	// The CA file to trust.
	CACertFile types.String `tfsdk:"cacert_file"`

	// An hcloud (KooCLI) profile to take credentials from.
	SharedConfigFile types.String `tfsdk:"shared_config_file"`
	Profile          types.String `tfsdk:"profile"`

	// Agencies to assume, and OIDC federation (assume_role.go).
	AssumeRole         []assumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC []oidcModel       `tfsdk:"assume_role_with_oidc"`
}

// Metadata names the provider.
func (p *Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The huaweicloud provider reads Huawei Cloud Workspace (cloud desktop) resources. " +
			"Every attribute is optional and falls back to the environment variable the official huaweicloud provider reads; " +
			"a value set in the block wins over the variable. Credentials come as a set from the first of nine places that has them: " +
			"the `assume_role_with_oidc` block, the block's keys, a profile chosen in the block, the `HW_ASSUME_ROLE_IDP_ID` (OIDC) variables, `HW_*` variables, `OS_*` variables, " +
			"the hcloud profile file, the SDK's `HUAWEICLOUD_SDK_*` variables, and last the ECS metadata service; `assume_role` blocks then assume agencies on top of them.",
		Blocks: map[string]schema.Block{
			"assume_role":           assumeRoleBlock(),
			"assume_role_with_oidc": oidcBlock(),
		},
		Attributes: providerAttributes(),
	}
}

// nonEmpty refuses "" for an optional string: unset it instead.
func nonEmpty() []validator.String { return []validator.String{stringvalidator.LengthAtLeast(1)} }

// providerAttributes are the provider block's attributes.
func providerAttributes() map[string]schema.Attribute {
	attrs := credentialAttributes()
	maps.Copy(attrs, accountAttributes())
	maps.Copy(attrs, transportAttributes())
	return attrs
}

// credentialAttributes are the attributes of the keys and the profile that may give them.
func credentialAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"region": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "The region to use, such as `cn-north-4`; data sources may name another. Falls back to `HW_REGION_NAME`, then `OS_REGION_NAME`, then to the `region` of the hcloud profile that gave the keys. Required in one of these places. " +
				"`region = \"\"` counts as not set, as in the official provider, so that a module passing `region = var.region` with an empty default uses `HW_REGION_NAME` or the profile's region.",
		},
		"access_key": schema.StringAttribute{
			Optional:   true,
			Sensitive:  true,
			Validators: nonEmpty(),
			MarkdownDescription: "The access key (AK) that signs requests. An `assume_role_with_oidc` block wins over it. Without it the provider takes the keys from, in order, a profile chosen with `profile` or `shared_config_file`, " +
				"OIDC federation from `HW_ASSUME_ROLE_IDP_ID`, `HW_ACCESS_KEY` and `HW_SECRET_KEY`, `OS_ACCESS_KEY` and `OS_SECRET_KEY`, the hcloud profile file (mode `ecsAgency`: the metadata service), `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`, " +
				"then the ECS metadata service (`HW_METADATA_ENDPOINT`, default `http://169.254.169.254`). " +
				"`access_key`, `secret_key` and `security_token` are taken together from one of these places, never one from here and one from there.",
		},
		"secret_key": schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			Validators:          nonEmpty(),
			MarkdownDescription: "The secret key (SK) of `access_key`, set together with it; see `access_key` for where else it comes from (`HW_SECRET_KEY`, a profile's `secretAccessKey`, `HUAWEICLOUD_SDK_SK`). Never logged.",
		},
		"security_token": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			MarkdownDescription: "The security token of temporary credentials (an AK/SK pair obtained from IAM or STS), sent and signed as `X-Security-Token`. " +
				"It comes from the same place as the keys: with them in the block, `HW_SECURITY_TOKEN`, a profile's `securityToken` or `HUAWEICLOUD_SDK_SECURITY_TOKEN` with keys from that place. Never logged.",
		},
		"shared_config_file": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "The hcloud (KooCLI) configuration file whose profile gives the keys, region and project ID when the block sets no keys, such as `~/.hcloud/config.json`. " +
				"Falls back to `HW_SHARED_CONFIG_FILE`, then to `~/.hcloud/config.json`, which may be missing unless a profile is chosen. " +
				"Setting it (or `profile`) in the block makes the profile win over `HW_ACCESS_KEY` and `HW_SECRET_KEY`. " +
				"The file must hold the keys unencrypted (`hcloud configure set --cli-auth-encrypt=false`).",
		},
		"profile": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "The profile of `shared_config_file` to use: its `accessKeyId`, `secretAccessKey`, `securityToken` (for mode `SSO`, those of `ssoAuth.stsToken`), " +
				"and, when `region` and `project_id` are not set elsewhere, its `region` and `projectId`. Falls back to `HW_PROFILE`, then to the file's `current` profile.",
		},
	}
}

// accountAttributes are the attributes of the project, the account and the endpoints.
func accountAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"project_id": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "The project ID of `region`. Falls back to `HW_PROJECT_ID`, then `OS_PROJECT_ID`, then to the project ID that came with the keys " +
				"(the hcloud profile's `projectId` when the profile's `region` is `region`, or `HUAWEICLOUD_SDK_PROJECT_ID` with the SDK's keys). When none is set, the provider looks it up once with " +
				"IAM's `GET /v3/projects?name={region}`, which needs IAM read permission.",
		},
		"project_name": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "The name of the IAM project of `region` to use when it is not the region's default project, such as the sub-project `cn-north-4_sub`. " +
				"Falls back to `HW_PROJECT_NAME`, then to `OS_PROJECT_NAME`. Without `project_id`, the provider looks up the project of the provider's region by this name " +
				"(`GET /v3/projects?name={project_name}`) instead of by the region's name; a data source that names another region uses that region's default project. Ignored when `project_id` is set.",
		},
		"domain_id": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "The ID of the account (IAM domain) the keys belong to. Falls back to `HW_DOMAIN_ID`, then to `OS_DOMAIN_ID`, `OS_USER_DOMAIN_ID` and `OS_PROJECT_DOMAIN_ID`. " +
				"Sent, signed, as `X-Domain-Id` on the IAM calls, which are account-level (the project lookup); IAM refuses a call whose `X-Domain-Id` is not the keys' account. " +
				"Workspace calls are project-level and do not send it. Not needed with `project_id`.",
		},
		"domain_name": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "The name of the account (IAM domain) the keys belong to, for when `domain_id` is not known. Falls back to `HW_DOMAIN_NAME`, then to `OS_DOMAIN_NAME`, `OS_USER_DOMAIN_NAME` and `OS_PROJECT_DOMAIN_NAME`. " +
				"Before the first IAM project lookup, the provider reads the keys' account with `GET /v3/auth/domains`, fails when its name is not `domain_name`, and sends its ID as `X-Domain-Id`. " +
				"Ignored when `domain_id` is set.",
		},
		"cloud": schema.StringAttribute{
			Optional:            true,
			Validators:          nonEmpty(),
			MarkdownDescription: "The domain suffix of the endpoints, so that the Workspace endpoint is `https://workspace.{region}.{cloud}`. Falls back to `HW_CLOUD`, then to `myhuaweicloud.com`.",
		},
		"auth_url": schema.StringAttribute{
			Optional:            true,
			Validators:          []validator.String{endpointURL{}},
			MarkdownDescription: "The IAM endpoint, such as `https://iam.cn-north-4.myhuaweicloud.com/v3`, used for the project lookup and the credential requests when `endpoints` has no `iam` key. Falls back to `HW_AUTH_URL`, then `OS_AUTH_URL`, then to `https://iam.{region}.{cloud}`.",
		},
		"endpoints": schema.MapAttribute{
			Optional:    true,
			ElementType: types.StringType,
			Validators:  []validator.Map{endpointKeys{}},
			MarkdownDescription: "Custom base URLs by service, replacing the ones built from `region` and `cloud`: keys " + markdownList(endpointServices) + " (`sts` for agencies assumed by `domain_id` and for OIDC; default `https://sts.{region}.{cloud}`), values such as " +
				"`https://workspace.cn-north-4.myhuaweicloud.com` or `http://127.0.0.1:8080`, with or without a trailing slash. " +
				"Other keys, such as those of an endpoints map copied from the official provider's configuration, are ignored with a warning that lists the keys used; " +
				"a key that looks like a misspelt one of them (`worksapce`) is an error.",
		},
	}
}

// transportAttributes are the attributes of TLS, retries, concurrency and signing.
func transportAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"insecure": schema.BoolAttribute{
			Optional:            true,
			MarkdownDescription: "Skip TLS certificate verification. Falls back to `HW_INSECURE`, then `OS_INSECURE`, then to `false`. Only for test endpoints.",
		},
		"cacert_file": schema.StringAttribute{
			Optional:   true,
			Validators: nonEmpty(),
			MarkdownDescription: "A PEM file of CA certificates to trust besides the system's, for endpoints behind a private CA (a proxy or a private cloud). " +
				"Falls back to `HW_CACERT`, then to `OS_CACERT` (the variable the official huaweicloud provider reads).",
		},
		"max_retries": schema.Int64Attribute{
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(0, 100)},
			MarkdownDescription: fmt.Sprintf("How many times a failed request is retried, from 0 to 100: `max_retries = 2` means at most 3 attempts of each request, the credential requests (metadata service, IAM, STS) included. "+
				"Falls back to `HW_MAX_RETRIES`, then to %d. Retried are HTTP 429, 500, 502, 503 and 504, connection errors, and answers whose body is cut off or is not the expected JSON; "+
				"other errors fail at once. Retries wait with exponential backoff and full jitter (0.5 s doubling up to 10 s), or as long as a `Retry-After` header asks (up to 30 s), "+
				"and never past the data source's read timeout.", DefaultMaxRetries),
		},
		"max_concurrency": schema.Int64Attribute{
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(1, MaxMaxConcurrency)},
			MarkdownDescription: fmt.Sprintf("How many pages of one listing are fetched at once, from 1 to %d. Falls back to `HW_MAX_CONCURRENCY`, then to %d. "+
				"The first page tells how many there are; the rest are fetched concurrently and kept in the API's order. "+
				"When the API throttles (HTTP 429), the provider halves the pages in flight and pauses new ones for the wait the API asks.", MaxMaxConcurrency, transport.DefaultMaxConcurrency),
		},
		"signing_algorithm": signingAlgorithmAttribute(),
	}
}

// Configure resolves attributes and environment variables into a client.Session
// for the data sources.
func (p *Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m Model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := m.unknownSettings(); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, s := range unknown {
			resp.Diagnostics.AddAttributeError(s.path(), "Unknown provider setting", unknownSettingDetail(s))
		}
		return
	}

	cfg, err := m.resolve(p.getenv)
	var cfgErr *configError
	switch {
	case errors.As(err, &cfgErr):
		cfgErr.addTo(&resp.Diagnostics)
	case err != nil:
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	// Say so when the region is missing too, unless the keys' place was
	// broken (a profile may have held the region).
	if err == nil || cfgErr.summary == summaryMissingCredentials {
		reportMissingRegion(cfg, err == nil, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	for _, w := range cfg.credWarnings {
		resp.Diagnostics.AddWarning("Credentials set but not used", w)
	}
	tlsCfg, err := tlsConfig(cfg.insecure, cfg.cacertFile, cfg.cacertFrom)
	if errors.As(err, &cfgErr) {
		cfgErr.addTo(&resp.Diagnostics)
		return
	}

	ua := fmt.Sprintf("terraform-provider-huaweicloud/%s", p.version)
	if req.TerraformVersion != "" {
		ua += " Terraform/" + req.TerraformVersion
	}
	src, ok := p.credentialSource(ctx, cfg, ua, tlsCfg, &resp.Diagnostics)
	if !ok {
		return
	}
	session := p.newSession(cfg, src, ua, tlsCfg)
	resp.DataSourceData = session
	resp.ResourceData, resp.ListResourceData, resp.ActionData = session, session, session
	p.mu.Lock()
	p.session = session
	p.mu.Unlock()
}

// reportMissingRegion adds the error for a missing region; keysLooked says
// that the keys' places were all looked at without an error, so that the
// error for missing keys is added too when none held any.
func reportMissingRegion(cfg resolved, keysLooked bool, diags *diag.Diagnostics) {
	missing := cfg.missing()
	if len(missing) == 0 {
		return
	}
	if keysLooked && cfg.creds.lookedAt != "" {
		// No keys anywhere either: say so, without asking the metadata
		// service for keys the provider cannot use.
		missingCredentials(cfg.creds, errors.New("not asked, as the region is missing too")).addTo(diags)
	}
	names := make([]string, len(missing))
	for i, s := range missing {
		names[i] = s.describe()
	}
	diags.AddError("Missing Huawei Cloud region",
		fmt.Sprintf("The provider needs %s. Set it in the provider block, export the environment variable, or use an hcloud profile that has a region.", strings.Join(names, ", ")))
}

// newSession is the data sources' Session: one client for every request, with
// the keys of src.
func (p *Provider) newSession(cfg resolved, src transport.Source, ua string, tlsCfg *tls.Config) *client.Session {
	return client.NewSession(client.SessionConfig{
		Client: transport.New(transport.Config{
			Source:         src,
			UserAgent:      ua,
			TLSConfig:      tlsCfg,
			MaxRetries:     int(cfg.maxRetries),
			MaxConcurrency: int(cfg.maxConcurrency),
			RetryBaseDelay: p.opts.RetryBaseDelay,
			RetryMaxDelay:  p.opts.RetryMaxDelay,
			RequestTimeout: p.opts.RequestTimeout,

			SigningAlgorithm: cfg.signingAlgorithm,
		}),
		Region:      cfg.region,
		ProjectID:   cfg.projectID,
		ProjectName: cfg.projectName,
		DomainID:    cfg.domainID,
		DomainName:  cfg.domainName,
		Cloud:       cfg.cloud,
		AuthURL:     cfg.authURL,
		Endpoints:   cfg.endpoints,
	})
}

// unknownSettingDetail says what to do about a setting that is unknown at plan
// time; the variables are offered only for a setting that has any.
func unknownSettingDetail(s setting) string {
	instead := fmt.Sprintf("Set %q to a value known at plan time", s.attr)
	if len(s.envs) > 0 {
		instead += fmt.Sprintf(" or use its environment variable (%s)", s.envNames())
	}
	return fmt.Sprintf("The provider block's %q depends on a value that is only known after apply, so the provider cannot be configured to read data during plan. "+
		"%s, or apply the resources it depends on first (terraform apply -target=...).", s.attr, instead)
}

// unknownSettings lists the attributes whose value is not known yet.
func (m Model) unknownSettings() []setting {
	var out []setting
	for _, u := range []struct {
		unknown bool
		s       setting
	}{
		{m.Region.IsUnknown(), settingRegion},
		{m.AccessKey.IsUnknown(), settingAccessKey},
		{m.SecretKey.IsUnknown(), settingSecretKey},
		{m.SecurityToken.IsUnknown(), settingSecurityToken},
		{m.SharedConfigFile.IsUnknown(), settingSharedConfigFile},
		{m.Profile.IsUnknown(), settingProfile},
		{m.ProjectID.IsUnknown(), settingProjectID},
		{m.ProjectName.IsUnknown(), settingProjectName},
		{m.DomainID.IsUnknown(), settingDomainID},
		{m.DomainName.IsUnknown(), settingDomainName},
		{m.Cloud.IsUnknown(), settingCloud},
		{m.AuthURL.IsUnknown(), settingAuthURL},
		{m.Endpoints.IsUnknown(), settingEndpoints},
		{m.Insecure.IsUnknown(), settingInsecure},
		{m.CACertFile.IsUnknown(), settingCACertFile},
		{m.MaxRetries.IsUnknown(), settingMaxRetries},
		{m.MaxConcurrency.IsUnknown(), settingConcurrency},
		{slices.ContainsFunc(m.AssumeRole, assumeRoleModel.unknown), settingAssumeRole},
		{slices.ContainsFunc(m.AssumeRoleWithOIDC, oidcModel.unknown), settingOIDC},
		{m.SigningAlgorithm.IsUnknown(), settingSigning},
	} {
		if u.unknown {
			out = append(out, u.s)
		}
	}
	// A known map may still hold unknown values.
	for _, v := range m.Endpoints.Elements() {
		if v.IsUnknown() {
			out = append(out, settingEndpoints)
			break
		}
	}
	return out
}

// resolved is the provider configuration after environment fallbacks.
type resolved struct {
	region, accessKey, secretKey, securityToken string
	projectID, cloud, authURL                   string
	projectName, domainID, domainName           string
	endpoints                                   map[string]string
	insecure                                    bool
	maxRetries                                  int64
	maxConcurrency                              int64
	signingAlgorithm                            sign.Algorithm

	// creds is where the keys come from, and roles the agencies assumed on
	// top of them, in order.
	creds credentials
	roles []creds.AssumeRole
	// credSource names where the keys came from; credWarnings name places
	// that were set but not used.
	credSource   string
	credWarnings []string
	// cacertFile is the CA file, set by cacertFrom (cacert_file or a variable).
	cacertFile, cacertFrom string
}

func (m Model) resolve(getenv environ) (resolved, error) {
	region := m.Region
	if attrValue(region) == "" {
		// region = "" means the provider's region from elsewhere, as unset.
		region = types.StringNull()
	}
	r := resolved{
		region:      stringSetting(region, settingRegion, getenv),
		projectID:   stringSetting(m.ProjectID, settingProjectID, getenv),
		projectName: stringSetting(m.ProjectName, settingProjectName, getenv),
		domainID:    stringSetting(m.DomainID, settingDomainID, getenv),
		domainName:  stringSetting(m.DomainName, settingDomainName, getenv),
		cloud:       stringSetting(m.Cloud, settingCloud, getenv),
		authURL:     stringSetting(m.AuthURL, settingAuthURL, getenv),
		endpoints:   map[string]string{},
	}
	r.cacertFile, r.cacertFrom = cacertSetting(m.CACertFile, getenv)
	if r.cloud == "" {
		r.cloud = client.DefaultCloud
	}
	if r.authURL != "" {
		if err := checkEndpointURL(r.authURL); err != nil {
			return r, fmt.Errorf("%s: %w", settingAuthURL.describe(), err)
		}
	}
	for k, v := range m.Endpoints.Elements() {
		if s, ok := v.(types.String); ok && !s.IsNull() {
			r.endpoints[k] = s.ValueString()
		}
	}
	var err error
	if r.insecure, err = boolSetting(m.Insecure, settingInsecure, getenv); err != nil {
		return r, err
	}
	if r.maxRetries, err = intSetting(m.MaxRetries, settingMaxRetries, getenv, DefaultMaxRetries, 0, 100); err != nil {
		return r, err
	}
	if r.maxConcurrency, err = intSetting(m.MaxConcurrency, settingConcurrency, getenv, transport.DefaultMaxConcurrency, 1, MaxMaxConcurrency); err != nil {
		return r, err
	}
	if r.signingAlgorithm, err = signingAlgorithmSetting(m.SigningAlgorithm, getenv); err != nil {
		return r, err
	}
	return r, r.resolveCredentials(m, getenv)
}

// resolveCredentials sets the keys from the first place that has them, and the
// region and project ID that came with them where nothing else set those.
func (r *resolved) resolveCredentials(m Model, getenv environ) error {
	c, warnings, err := m.credentials(getenv)
	if err != nil {
		return err
	}
	r.accessKey, r.secretKey, r.securityToken = c.accessKey, c.secretKey, c.securityToken
	r.credSource, r.credWarnings = c.source, warnings
	r.creds = c
	if c.agency != nil {
		r.roles = append(r.roles, *c.agency)
	}
	for _, b := range m.AssumeRole {
		r.roles = append(r.roles, b.spec())
	}
	if len(m.AssumeRole) == 0 {
		envRole, err := envAssumeRole(getenv)
		if err != nil {
			return err
		}
		if envRole != nil {
			r.roles = append(r.roles, *envRole)
		}
	}
	if r.region == "" {
		r.region = c.region
	}
	// A project ID belongs to one region: a profile's only to its own.
	if r.projectID == "" && (c.region == "" || c.region == r.region) {
		r.projectID = c.projectID
	}
	return nil
}

// missing lists the required settings that no place gave; the keys have a
// diagnostic of their own (credentials).
func (r resolved) missing() []setting {
	var out []setting
	if r.region == "" {
		out = append(out, settingRegion)
	}
	return out
}

// DataSources lists the provider's data sources: those their spec files
// register (datasources.All).
func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return datasources.All()
}

// Resources lists the provider's resources.
func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		resources.NewDesktopSnapshotResource,
	}
}

// ListResources lists the provider's list resources (Terraform 1.14+).
func (p *Provider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		resources.NewDesktopSnapshotListResource,
	}
}

// Actions lists the provider's actions (Terraform 1.14+).
func (p *Provider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		resources.NewDesktopSnapshotCreateAction,
		resources.NewDesktopSnapshotRestoreAction,
		resources.NewDesktopSnapshotDeleteAction,
	}
}

// markdownList is `a`, `b` and `c`.
func markdownList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "`" + s + "`"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// endpointURL validates a base URL attribute.
type endpointURL struct{}

func (endpointURL) Description(context.Context) string {
	return "value must be an absolute http:// or https:// base URL"
}

func (v endpointURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointURL) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkEndpointURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint URL", err.Error())
	}
}
