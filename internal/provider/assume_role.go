package provider

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
)

// Agency durations, in seconds, as IAM and STS accept them.
const (
	MinAssumeRoleDuration = 900
	MaxAssumeRoleDuration = 43200
)

// assumeRoleModel is one assume_role block.
type assumeRoleModel struct {
	AgencyName types.String `tfsdk:"agency_name"`
	DomainName types.String `tfsdk:"domain_name"`
	DomainID   types.String `tfsdk:"domain_id"`
	Duration   types.Int64  `tfsdk:"duration"`
}

// oidcModel is the assume_role_with_oidc block.
type oidcModel struct {
	AgencyName  types.String `tfsdk:"agency_name"`
	DomainID    types.String `tfsdk:"domain_id"`
	IdpID       types.String `tfsdk:"idp_id"`
	IDToken     types.String `tfsdk:"id_token"`
	IDTokenFile types.String `tfsdk:"id_token_file"`
	Duration    types.Int64  `tfsdk:"duration"`
}

func durationAttribute(env string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(MinAssumeRoleDuration, MaxAssumeRoleDuration)},
		MarkdownDescription: fmt.Sprintf("How long the agency's temporary keys live, in seconds, from %d to %d; sent as `duration_seconds`. Without it the API's default applies (900). "+
			"The provider renews the keys at least 5 minutes before they expire. Without a block: `%s`.", MinAssumeRoleDuration, MaxAssumeRoleDuration, env),
	}
}

func assumeRoleBlock() schema.ListNestedBlock {
	nonEmpty := stringvalidator.LengthAtLeast(1)
	return schema.ListNestedBlock{
		MarkdownDescription: "An IAM agency to assume; the blocks apply in order, each signed with the keys the one before produced (the first with the keys found as `access_key` describes, " +
			"the metadata service's included). With `domain_name`, through IAM (`POST /v3.0/OS-CREDENTIAL/securitytokens`); with `domain_id`, through STS (`POST /v5/agencies/assume` at `endpoints.sts`). " +
			"Without any block, `" + EnvAssumeRoleAgencyName + "` with `" + EnvAssumeRoleDomainName + "` or `" + EnvAssumeRoleDomainID + "` and `" + EnvAssumeRoleDuration + "` give one, unless `" + EnvAssumeRoleIdpID + "` makes them OIDC's.",
		NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{
				"agency_name": schema.StringAttribute{
					Required: true, Validators: []validator.String{nonEmpty},
					MarkdownDescription: "The agency's name. Without a block: `" + EnvAssumeRoleAgencyName + "`.",
				},
				"domain_name": schema.StringAttribute{
					Optional: true,
					Validators: []validator.String{nonEmpty, stringvalidator.ExactlyOneOf(
						path.MatchRelative().AtParent().AtName("domain_name"), path.MatchRelative().AtParent().AtName("domain_id"))},
					MarkdownDescription: "The name of the account (domain) that owns the agency; assumed through IAM. Set this or `domain_id`. Without a block: `" + EnvAssumeRoleDomainName + "`.",
				},
				"domain_id": schema.StringAttribute{
					Optional: true, Validators: []validator.String{nonEmpty},
					MarkdownDescription: "The ID of the account (domain) that owns the agency; assumed through STS. Set this or `domain_name`. Without a block: `" + EnvAssumeRoleDomainID + "`.",
				},
				"duration": durationAttribute(EnvAssumeRoleDuration),
			},
		},
	}
}

func oidcBlock() schema.ListNestedBlock {
	nonEmpty := stringvalidator.LengthAtLeast(1)
	oneToken := stringvalidator.ExactlyOneOf(path.MatchRelative().AtParent().AtName("id_token"), path.MatchRelative().AtParent().AtName("id_token_file"))
	return schema.ListNestedBlock{
		Validators: []validator.List{listvalidator.SizeAtMost(1)},
		MarkdownDescription: "Federate a CI system's OIDC token (GitHub Actions, GitLab): the id token is exchanged with IAM for a token of identity provider `idp_id`, that token for temporary keys, " +
			"and those keys assume `agency_name` in `domain_id` through STS. These keys win over every other place keys come from; `assume_role` blocks apply on top. " +
			"Without the block, `" + EnvAssumeRoleIdpID + "` with `" + EnvAssumeRoleIDToken + "` or `" + EnvAssumeRoleIDTokenFile + "`, `" + EnvAssumeRoleAgencyName + "`, `" + EnvAssumeRoleDomainID + "` and `" + EnvAssumeRoleDuration + "` give one.",
		NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{
				"agency_name": schema.StringAttribute{Required: true, Validators: []validator.String{nonEmpty},
					MarkdownDescription: "The agency the federated identity assumes. Without a block: `" + EnvAssumeRoleAgencyName + "`."},
				"domain_id": schema.StringAttribute{Required: true, Validators: []validator.String{nonEmpty},
					MarkdownDescription: "The ID of the account (domain) that owns the agency and the identity provider. Without a block: `" + EnvAssumeRoleDomainID + "`."},
				"idp_id": schema.StringAttribute{Required: true, Validators: []validator.String{nonEmpty},
					MarkdownDescription: "The IAM identity provider that trusts the CI system's tokens, sent as `X-Idp-Id`. Without a block: `" + EnvAssumeRoleIdpID + "`."},
				"id_token": schema.StringAttribute{Optional: true, Sensitive: true, Validators: []validator.String{nonEmpty, oneToken},
					MarkdownDescription: "The OIDC id token (a JWT). Set this or `id_token_file`. Without a block: `" + EnvAssumeRoleIDToken + "`. Never logged."},
				"id_token_file": schema.StringAttribute{Optional: true, Validators: []validator.String{nonEmpty},
					MarkdownDescription: "A file holding the OIDC id token, read again at every renewal of the keys because CI systems rotate it. Set this or `id_token`. Without a block: `" + EnvAssumeRoleIDTokenFile + "`."},
				"duration": durationAttribute(EnvAssumeRoleDuration),
			},
		},
	}
}

func (m assumeRoleModel) spec() creds.AssumeRole {
	return creds.AssumeRole{AgencyName: attrValue(m.AgencyName), DomainName: attrValue(m.DomainName), DomainID: attrValue(m.DomainID), Duration: m.Duration.ValueInt64()}
}

func (m oidcModel) spec() creds.OIDC {
	return creds.OIDC{
		AgencyName: attrValue(m.AgencyName), DomainID: attrValue(m.DomainID), IdpID: attrValue(m.IdpID),
		IDToken: attrValue(m.IDToken), IDTokenFile: attrValue(m.IDTokenFile), Duration: m.Duration.ValueInt64(),
	}
}

func (m assumeRoleModel) unknown() bool {
	return m.AgencyName.IsUnknown() || m.DomainName.IsUnknown() || m.DomainID.IsUnknown() || m.Duration.IsUnknown()
}

func (m oidcModel) unknown() bool {
	return m.AgencyName.IsUnknown() || m.DomainID.IsUnknown() || m.IdpID.IsUnknown() || m.IDToken.IsUnknown() || m.IDTokenFile.IsUnknown() || m.Duration.IsUnknown()
}

func variableError(format string, args ...any) error {
	return &configError{summary: "Invalid agency variables", detail: fmt.Sprintf(format, args...)}
}

// envDuration reads HW_ASSUME_ROLE_DURATION; the official provider logs and
// ignores a bad value, this one says so.
func envDuration(getenv environ) (int64, error) {
	raw := getenv(EnvAssumeRoleDuration)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < MinAssumeRoleDuration || n > MaxAssumeRoleDuration {
		return 0, variableError("%s=%q is not a whole number of seconds from %d to %d: fix it, or unset it for the API's default.", EnvAssumeRoleDuration, raw, MinAssumeRoleDuration, MaxAssumeRoleDuration)
	}
	return n, nil
}

// envOIDC is the OIDC federation the variables describe, when
// HW_ASSUME_ROLE_IDP_ID is set.
func envOIDC(getenv environ) (*creds.OIDC, error) {
	idp := getenv(EnvAssumeRoleIdpID)
	if idp == "" {
		return nil, nil
	}
	o := &creds.OIDC{IdpID: idp, AgencyName: getenv(EnvAssumeRoleAgencyName), DomainID: getenv(EnvAssumeRoleDomainID),
		IDToken: getenv(EnvAssumeRoleIDToken), IDTokenFile: getenv(EnvAssumeRoleIDTokenFile)}
	var missing []string
	if o.AgencyName == "" {
		missing = append(missing, EnvAssumeRoleAgencyName)
	}
	if o.DomainID == "" {
		missing = append(missing, EnvAssumeRoleDomainID)
	}
	if len(missing) > 0 {
		return nil, variableError("%s is set, so the provider federates an OIDC token, but %s not set: export it, or unset %s.",
			EnvAssumeRoleIdpID, strings.Join(missing, " and ")+map[bool]string{true: " is", false: " are"}[len(missing) == 1], EnvAssumeRoleIdpID)
	}
	if (o.IDToken == "") == (o.IDTokenFile == "") {
		return nil, variableError("%s is set, so the provider federates an OIDC token: set exactly one of %s and %s.", EnvAssumeRoleIdpID, EnvAssumeRoleIDToken, EnvAssumeRoleIDTokenFile)
	}
	var err error
	if o.Duration, err = envDuration(getenv); err != nil {
		return nil, err
	}
	return o, nil
}

// envAssumeRole is the agency the variables describe, when
// HW_ASSUME_ROLE_AGENCY_NAME is set and HW_ASSUME_ROLE_IDP_ID is not.
func envAssumeRole(getenv environ) (*creds.AssumeRole, error) {
	name := getenv(EnvAssumeRoleAgencyName)
	if name == "" || getenv(EnvAssumeRoleIdpID) != "" {
		return nil, nil
	}
	r := &creds.AssumeRole{AgencyName: name, DomainName: getenv(EnvAssumeRoleDomainName), DomainID: getenv(EnvAssumeRoleDomainID)}
	if (r.DomainName == "") == (r.DomainID == "") {
		return nil, variableError("%s is set: set exactly one of %s (assumed through IAM) and %s (through STS) to name the account that owns agency %q.",
			EnvAssumeRoleAgencyName, EnvAssumeRoleDomainName, EnvAssumeRoleDomainID, name)
	}
	var err error
	if r.Duration, err = envDuration(getenv); err != nil {
		return nil, err
	}
	return r, nil
}
