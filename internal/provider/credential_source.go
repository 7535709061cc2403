package provider

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// credentialSource builds the keys' source from the resolved configuration:
// static keys, or the metadata service or OIDC federation, with the agencies on
// top, each a refreshing source signed by the one below. Temporary keys are
// fetched once here, so that a broken setup fails in Configure with the step
// that failed, before any data source reads.
func (p *Provider) credentialSource(ctx context.Context, cfg resolved, ua string, tlsCfg *tls.Config, diags *diag.Diagnostics) (transport.Source, bool) {
	c := cfg.creds
	// The credential requests go through a client of their own (it has no
	// Source: each call brings its keys), with the API client's TLS, user
	// agent, per-request timeout and retry policy: the same max_retries and
	// backoff.
	cc := transport.New(transport.Config{
		UserAgent: ua, TLSConfig: tlsCfg, RequestTimeout: p.opts.RequestTimeout, SigningAlgorithm: cfg.signingAlgorithm,
		MaxRetries: int(cfg.maxRetries), RetryBaseDelay: p.opts.RetryBaseDelay, RetryMaxDelay: p.opts.RetryMaxDelay,
	})
	endpoints := client.NewSession(client.SessionConfig{Region: cfg.region, Cloud: cfg.cloud, AuthURL: cfg.authURL, Endpoints: cfg.endpoints})
	iam, sts := endpoints.IAMEndpoint(cfg.region), endpoints.STSEndpoint(cfg.region)
	refreshing := func(f creds.Fetch) transport.Source {
		return creds.NewRefreshingSource(creds.RefreshingConfig{Fetch: f})
	}

	var src transport.Source
	steps := []string{c.source}
	switch {
	case c.oidc != nil:
		src = refreshing(creds.OIDCFetch(cc, iam, sts, *c.oidc))
		steps = append(steps, fmt.Sprintf("agency %s in domain %s", c.oidc.AgencyName, c.oidc.DomainID))
	case c.metadata != "":
		src = refreshing(creds.MetadataFetch(cc, c.metadata))
	default:
		src = transport.Static{AccessKey: c.accessKey, SecretKey: c.secretKey, SecurityToken: c.securityToken}
	}
	for _, r := range cfg.roles {
		src = refreshing(creds.AssumeRoleFetch(cc, src, iam, sts, r))
		steps = append(steps, strings.TrimPrefix(r.Step(), "assuming "))
	}
	tflog.Info(ctx, "Huawei Cloud credentials", map[string]any{"source": strings.Join(steps, ", then "), "temporary": src.Renewable() || c.securityToken != ""})
	if !src.Renewable() {
		return src, true
	}
	if _, err := src.Credentials(ctx); err != nil {
		var ce *creds.CredentialError
		switch {
		case c.lookedAt != "" && errors.As(err, &ce) && ce.Step == creds.MetadataStep(c.metadata):
			missingCredentials(c, err).addTo(diags)
		default:
			diags.AddError("Cannot get Huawei Cloud credentials", fmt.Sprintf("The provider takes its keys from %s. Failed %s.\n\n%s",
				strings.Join(steps, ", then "), err, credentialAdvice(err)))
		}
		return nil, false
	}
	return src, true
}

// credentialAdvice says what to do about a failed credential step.
func credentialAdvice(err error) string {
	var apiErr *transport.APIError
	var te *transport.NetworkError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == 403:
		return "The identity that asked may not assume this agency: check the agency's trust (who may assume it) and the caller's permissions, and the agency and domain names."
	case errors.As(err, &apiErr) && apiErr.StatusCode == 404:
		return "Check the agency name and the domain name or ID (or the identity provider ID): IAM or STS does not know them."
	case errors.As(err, &apiErr) && apiErr.StatusCode == 401:
		return "The keys or token that signed this step were refused: check them, and the clock of this machine."
	case errors.As(err, &te):
		return "Check that the endpoint is reachable from here (endpoints.iam, endpoints.sts, auth_url or " + EnvMetadataEndpoint + ")."
	}
	return "Check the settings of this step."
}
