// Package client is the top of the provider's API client: a Session holds one
// configured transport.Client with the region, the endpoints and a per-region
// project-ID cache. Below it, imported one way only (each package imports only
// those before it):
//
//	sign       the canonical request and the four signing algorithms
//	transport  the one signed request path (Do, GetJSON, PostJSON, Credential), retries, errors
//	listing    fields declared once, the page decoder, the pager and its pool
//	iam        project and domain lookups
//	creds      renewing sources and the metadata, agency and OIDC fetches
//	workspace  the Workspace API's listed objects and calls
//
// layers_test.go fails when an import runs the other way.
package client

import (
	"context"
	"strings"
	"sync"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// DefaultCloud is the domain suffix of Huawei Cloud's public endpoints.
const DefaultCloud = "myhuaweicloud.com"

// SessionConfig is the provider's resolved configuration.
type SessionConfig struct {
	// Client signs and sends the requests.
	Client *transport.Client
	// Region is the provider's region; data sources may name another.
	Region string
	// ProjectID, when set, is the project of Region; other regions are looked up.
	ProjectID string
	// Cloud is the endpoint domain suffix (HW_CLOUD).
	Cloud string
	// AuthURL is the IAM endpoint (HW_AUTH_URL), used when Endpoints has no "iam".
	AuthURL string
	// ProjectName, when set, is the name of Region's project to look up
	// instead of Region (a sub-project such as cn-north-4_sub).
	ProjectName string
	// DomainID, when set, is sent as X-Domain-Id on IAM calls; DomainName,
	// when DomainID is not set, is the account whose ID is looked up for it.
	DomainID, DomainName string
	// Endpoints maps a service name ("workspace", "iam", "sts") to a base URL that
	// replaces the one built from region and cloud.
	Endpoints map[string]string
}

// Session is what the provider hands its data sources: a signing client, where to
// send requests, and the per-region project IDs, looked up once each.
type Session struct {
	cfg SessionConfig

	mu       sync.Mutex
	projects map[string]string
	domainID string // DomainID, or the one found for DomainName
}

// NewSession returns a Session for cfg.
func NewSession(cfg SessionConfig) *Session {
	if cfg.Cloud == "" {
		cfg.Cloud = DefaultCloud
	}
	s := &Session{cfg: cfg, projects: map[string]string{}, domainID: cfg.DomainID}
	if cfg.ProjectID != "" {
		s.projects[cfg.Region] = cfg.ProjectID
	}
	return s
}

// Client returns the signing client.
func (s *Session) Client() *transport.Client { return s.cfg.Client }

// Region is the provider's region.
func (s *Session) Region() string { return s.cfg.Region }

// endpoint is the base URL of service in region: the configured one, or
// https://{service}.{region}.{cloud}.
func (s *Session) endpoint(service, region string) string {
	if e := strings.TrimSpace(s.cfg.Endpoints[service]); e != "" {
		return e
	}
	return "https://" + service + "." + region + "." + s.cfg.Cloud
}

// WorkspaceEndpoint is the Workspace base URL for region.
func (s *Session) WorkspaceEndpoint(region string) string { return s.endpoint("workspace", region) }

// STSEndpoint is the STS base URL for region: endpoints.sts, else
// https://sts.{region}.{cloud}.
func (s *Session) STSEndpoint(region string) string { return s.endpoint("sts", region) }

// IAMEndpoint is the IAM base URL for region: endpoints.iam, else auth_url, else
// https://iam.{region}.{cloud}.
func (s *Session) IAMEndpoint(region string) string {
	if strings.TrimSpace(s.cfg.Endpoints["iam"]) == "" && s.cfg.AuthURL != "" {
		return s.cfg.AuthURL
	}
	return s.endpoint("iam", region)
}

// ProjectID returns the project of region: the configured project_id for the
// provider's own region, else the one IAM lists under project_name (for the
// provider's region) or the region's name. A found ID is kept for the life of
// the session; concurrent callers share one lookup. With domain_id or
// domain_name, the lookup carries X-Domain-Id; domain_name is resolved to its
// ID once, before the first lookup.
func (s *Session) ProjectID(ctx context.Context, region string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.projects[region]; ok {
		return id, nil
	}
	iamURL := s.IAMEndpoint(region)
	if s.domainID == "" && s.cfg.DomainName != "" {
		id, err := iam.DomainIDByName(ctx, s.cfg.Client, iamURL, s.cfg.DomainName)
		if err != nil {
			return "", err
		}
		s.domainID = id
	}
	name := region
	if region == s.cfg.Region && s.cfg.ProjectName != "" {
		name = s.cfg.ProjectName
	}
	id, err := iam.ProjectIDByName(ctx, s.cfg.Client, iamURL, region, name, s.domainID)
	if err != nil {
		return "", err
	}
	s.projects[region] = id
	return id, nil
}
