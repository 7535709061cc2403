// Package iam looks up IAM facts the provider needs: the project ID of a
// region, by name, and the account ID of a domain name, through transport.
package iam

import (
	"context"
	"fmt"
	"strings"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// Project is one entry of IAM's project list.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  *bool  `json:"enabled"`
}

type projectList struct {
	Projects []Project `json:"projects"`
}

// ProjectLookupError says why a region's project ID could not be chosen.
type ProjectLookupError struct {
	// Region is the project name looked up: the region's, or project_name.
	Region   string
	Projects []Project
}

func (e *ProjectLookupError) Error() string {
	if len(e.Projects) == 0 {
		return fmt.Sprintf("IAM lists no project named %q for these credentials", e.Region)
	}
	ids := make([]string, len(e.Projects))
	for i, p := range e.Projects {
		ids[i] = fmt.Sprintf("%s (%s)", p.ID, p.Name)
	}
	return fmt.Sprintf("IAM lists %d projects named %q, expected exactly one: %s", len(e.Projects), e.Region, strings.Join(ids, ", "))
}

// ProjectID returns the ID of the one project named region, looked up with a
// signed GET {iam}/v3/projects?name={region}. iamEndpoint is the IAM base URL,
// with or without a trailing "/v3".
func ProjectID(ctx context.Context, c *transport.Client, iamEndpoint, region string) (string, error) {
	return ProjectIDByName(ctx, c, iamEndpoint, region, region, "")
}

// Base is the IAM base URL without a trailing "/" or the "/v3" that auth_url
// often has: the project APIs live under /v3, the credential APIs under /v3.0.
func Base(iamEndpoint string) string {
	return strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(iamEndpoint), "/"), "/v3")
}

// ProjectIDByName returns the ID of the one project called name: a region's
// default project is named after the region, a sub-project such as
// cn-north-4_sub (project_name) has a name of its own. region is for the error
// text. domainID, when set, is sent as X-Domain-Id.
//
// @API IAM GET /v3/projects
func ProjectIDByName(ctx context.Context, c *transport.Client, iamEndpoint, region, name, domainID string) (string, error) {
	var q sign.Query
	q.Add("name", name)
	list, err := transport.GetJSON[projectList](ctx, c, transport.Request{Endpoint: Base(iamEndpoint), Path: "/v3/projects", Query: q,
		Header: map[string]string{sign.HeaderDomainID: domainID}})
	if err != nil {
		if name != region {
			return "", fmt.Errorf("looking up the project %q of region %q: %w", name, region, err)
		}
		return "", fmt.Errorf("looking up the project of region %q: %w", region, err)
	}
	// IAM's name filter is exact, but keep only exact matches in case a proxy or
	// an older IAM ignores it.
	var matches []Project
	for _, p := range list.Projects {
		if p.Name == name {
			matches = append(matches, p)
		}
	}
	if len(matches) != 1 || matches[0].ID == "" {
		return "", &ProjectLookupError{Region: name, Projects: matches}
	}
	return matches[0].ID, nil
}

// Domain is one entry of IAM's list of the caller's accounts.
type Domain struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Enabled *bool  `json:"enabled"`
}

type domainList struct {
	Domains []Domain `json:"domains"`
}

// DomainLookupError says why the account named in domain_name could not be used.
type DomainLookupError struct {
	Name    string
	Domains []Domain
}

func (e *DomainLookupError) Error() string {
	if len(e.Domains) == 0 {
		return fmt.Sprintf("IAM lists no account for these credentials, so domain_name %q cannot be checked", e.Name)
	}
	names := make([]string, len(e.Domains))
	for i, d := range e.Domains {
		names[i] = fmt.Sprintf("%q (%s)", d.Name, d.ID)
	}
	return fmt.Sprintf("the credentials belong to the account %s, not to domain_name %q", strings.Join(names, ", "), e.Name)
}

// DomainIDByName returns the ID of the credentials' account, which IAM's
// GET {iam}/v3/auth/domains lists, after checking that its name is name, as
// the official provider does.
//
// @API IAM GET /v3/auth/domains
func DomainIDByName(ctx context.Context, c *transport.Client, iamEndpoint, name string) (string, error) {
	list, err := transport.GetJSON[domainList](ctx, c, transport.Request{Endpoint: Base(iamEndpoint), Path: "/v3/auth/domains"})
	if err != nil {
		return "", fmt.Errorf("looking up the account of domain_name %q: %w", name, err)
	}
	for _, d := range list.Domains {
		if d.Name == name && d.ID != "" {
			return d.ID, nil
		}
	}
	return "", &DomainLookupError{Name: name, Domains: list.Domains}
}
