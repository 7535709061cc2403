// Package provider is the huaweicloud provider: its schema, its configuration from
// attributes and environment variables, and the list of its data sources.
package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
)

// TypeName is the provider's type name in configurations.
const TypeName = "huaweicloud"

// endpointServices are the keys the endpoints map accepts.
var endpointServices = []string{"workspace", "iam"}

var _ provider.Provider = (*Provider)(nil)

// Provider is the huaweicloud provider.
type Provider struct {
	version string
}

// New returns a constructor of the provider at version, for providerserver.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &Provider{version: version} }
}

// Model is the provider block.
type Model struct {
	Region        types.String `tfsdk:"region"`
	AccessKey     types.String `tfsdk:"access_key"`
	SecretKey     types.String `tfsdk:"secret_key"`
	SecurityToken types.String `tfsdk:"security_token"`
	ProjectID     types.String `tfsdk:"project_id"`
	Cloud         types.String `tfsdk:"cloud"`
	AuthURL       types.String `tfsdk:"auth_url"`
	Endpoints     types.Map    `tfsdk:"endpoints"`
	Insecure      types.Bool   `tfsdk:"insecure"`
	MaxRetries    types.Int64  `tfsdk:"max_retries"`

	// The CA file to trust.
	CACertFile types.String `tfsdk:"cacert_file"`
}

// Metadata names the provider.
func (p *Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The huaweicloud provider reads Huawei Cloud Workspace (cloud desktop) resources. " +
			"Every attribute is optional and falls back to the environment variable the official huaweicloud provider reads; " +
			"a value set in the block wins over the variable.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				Validators:          nonEmpty,
				MarkdownDescription: "The region to use, such as `cn-north-4`; data sources may name another. Falls back to `HW_REGION_NAME`. Required in one of the two places.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				Validators:          nonEmpty,
				MarkdownDescription: "The access key (AK) that signs requests. Falls back to `HW_ACCESS_KEY`. Required in one of the two places.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				Validators:          nonEmpty,
				MarkdownDescription: "The secret key (SK) of `access_key`. Falls back to `HW_SECRET_KEY`. Required in one of the two places. Never logged.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "The security token of temporary credentials (an AK/SK pair obtained from IAM or STS), sent and signed as `X-Security-Token`. Falls back to `HW_SECURITY_TOKEN`. Never logged.",
			},
			"project_id": schema.StringAttribute{
				Optional:   true,
				Validators: nonEmpty,
				MarkdownDescription: "The project ID of `region`. Falls back to `HW_PROJECT_ID`. When neither is set, the provider looks it up once with " +
					"IAM's `GET /v3/projects?name={region}`, which needs IAM read permission.",
			},
			"cloud": schema.StringAttribute{
				Optional:            true,
				Validators:          nonEmpty,
				MarkdownDescription: "The domain suffix of the endpoints, so that the Workspace endpoint is `https://workspace.{region}.{cloud}`. Falls back to `HW_CLOUD`, then to `myhuaweicloud.com`.",
			},
			"auth_url": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{endpointURL{}},
				MarkdownDescription: "The IAM endpoint, such as `https://iam.cn-north-4.myhuaweicloud.com/v3`, used for the project lookup when `endpoints` has no `iam` key. Falls back to `HW_AUTH_URL`, then to `https://iam.{region}.{cloud}`.",
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(endpointServices...)),
					mapvalidator.ValueStringsAre(endpointURL{}),
				},
				MarkdownDescription: "Custom base URLs by service, replacing the ones built from `region` and `cloud`: keys `workspace` and `iam`, values such as " +
					"`https://workspace.cn-north-4.myhuaweicloud.com` or `http://127.0.0.1:8080`, with or without a trailing slash.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. Falls back to `HW_INSECURE`, then to `false`. Only for test endpoints.",
			},
			"cacert_file": schema.StringAttribute{
				Optional:   true,
				Validators: nonEmpty,
				MarkdownDescription: "A PEM file of CA certificates to trust besides the system's, for endpoints behind a private CA (a proxy or a private cloud). " +
					"Falls back to `HW_CACERT`, then to `OS_CACERT` (the variable the official huaweicloud provider reads).",
			},
			"max_retries": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
				MarkdownDescription: fmt.Sprintf("How many times a failed request may be retried, from 0 to 100. Falls back to `HW_MAX_RETRIES`, then to %d. "+
					"This version validates the setting but does not retry yet: a failed request fails the read.", DefaultMaxRetries),
			},
		},
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
			resp.Diagnostics.AddAttributeError(s.path(), "Unknown provider setting",
				fmt.Sprintf("The provider block's %q depends on a value that is only known after apply, so the provider cannot be configured to read data during plan. "+
					"Set %q to a value known at plan time or use the %s environment variable, or apply the resources it depends on first (terraform apply -target=...).", s.attr, s.attr, s.env))
		}
		return
	}

	cfg, err := m.resolve()
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	if missing := cfg.missing(); len(missing) > 0 {
		names := make([]string, len(missing))
		for i, s := range missing {
			names[i] = s.describe()
		}
		resp.Diagnostics.AddError("Missing Huawei Cloud credentials or region",
			fmt.Sprintf("The provider needs %s. Set them in the provider block, or export the environment variables. "+
				"Create an access key in the Huawei Cloud console under My Credentials > Access Keys.", strings.Join(names, ", ")))
		return
	}
	tlsCfg, err := tlsConfig(cfg.insecure, cfg.cacertFile, cfg.cacertFrom)
	var cfgErr *configError
	if errors.As(err, &cfgErr) {
		cfgErr.addTo(&resp.Diagnostics)
		return
	}

	ua := fmt.Sprintf("terraform-provider-huaweicloud/%s", p.version)
	if req.TerraformVersion != "" {
		ua += " Terraform/" + req.TerraformVersion
	}
	session := client.NewSession(client.SessionConfig{
		Client: client.New(client.Config{
			Credentials: client.Credentials{AccessKey: cfg.accessKey, SecretKey: cfg.secretKey, SecurityToken: cfg.securityToken},
			UserAgent:   ua,
			TLSConfig:   tlsCfg,
		}),
		Region:    cfg.region,
		ProjectID: cfg.projectID,
		Cloud:     cfg.cloud,
		AuthURL:   cfg.authURL,
		Endpoints: cfg.endpoints,
	})
	resp.DataSourceData = session
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
		{m.ProjectID.IsUnknown(), settingProjectID},
		{m.Cloud.IsUnknown(), settingCloud},
		{m.AuthURL.IsUnknown(), settingAuthURL},
		{m.Endpoints.IsUnknown(), setting{"endpoints", "(no variable)"}},
		{m.Insecure.IsUnknown(), settingInsecure},
		{m.CACertFile.IsUnknown(), settingCACertFile},
		{m.MaxRetries.IsUnknown(), settingMaxRetries},
	} {
		if u.unknown {
			out = append(out, u.s)
		}
	}
	// A known map may still hold unknown values.
	for _, v := range m.Endpoints.Elements() {
		if v.IsUnknown() {
			out = append(out, setting{"endpoints", "(no variable)"})
			break
		}
	}
	return out
}

// resolved is the provider configuration after environment fallbacks.
type resolved struct {
	region, accessKey, secretKey, securityToken string
	projectID, cloud, authURL                   string
	endpoints                                   map[string]string
	insecure                                    bool
	maxRetries                                  int64

	// cacertFile is the CA file, set by cacertFrom (cacert_file or a variable).
	cacertFile, cacertFrom string
}

func (m Model) resolve() (resolved, error) {
	r := resolved{
		region:        stringSetting(m.Region, settingRegion),
		accessKey:     stringSetting(m.AccessKey, settingAccessKey),
		secretKey:     stringSetting(m.SecretKey, settingSecretKey),
		securityToken: stringSetting(m.SecurityToken, settingSecurityToken),
		projectID:     stringSetting(m.ProjectID, settingProjectID),
		cloud:         stringSetting(m.Cloud, settingCloud),
		authURL:       stringSetting(m.AuthURL, settingAuthURL),
		endpoints:     map[string]string{},
	}
	r.cacertFile, r.cacertFrom = cacertSetting(m.CACertFile)
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
	if r.insecure, err = boolSetting(m.Insecure, settingInsecure); err != nil {
		return r, err
	}
	if r.maxRetries, err = intSetting(m.MaxRetries, settingMaxRetries, DefaultMaxRetries, 0, 100); err != nil {
		return r, err
	}
	return r, nil
}

// missing lists the required settings that neither attribute nor variable gave.
func (r resolved) missing() []setting {
	var out []setting
	if r.accessKey == "" {
		out = append(out, settingAccessKey)
	}
	if r.secretKey == "" {
		out = append(out, settingSecretKey)
	}
	if r.region == "" {
		out = append(out, settingRegion)
	}
	return out
}

// DataSources lists the provider's data sources.
func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		datasources.NewDesktopSnapshotsDataSource,
	}
}

// Resources lists the provider's resources: none yet.
func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return nil
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
