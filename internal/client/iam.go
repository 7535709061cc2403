package client

import (
	"context"
	"fmt"
	"strings"
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
//
// @API IAM GET /v3/projects
func (c *Client) ProjectID(ctx context.Context, iamEndpoint, region string) (string, error) {
	base := strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(iamEndpoint), "/"), "/v3")
	var q Query
	q.Add("name", region)
	list, err := getJSON[projectList](ctx, c, base, "/v3/projects", q, "", nil)
	if err != nil {
		return "", fmt.Errorf("looking up the project of region %q: %w", region, err)
	}
	// IAM's name filter is exact, but keep only exact matches in case a proxy or
	// an older IAM ignores it.
	var matches []Project
	for _, p := range list.Projects {
		if p.Name == region {
			matches = append(matches, p)
		}
	}
	if len(matches) != 1 || matches[0].ID == "" {
		return "", &ProjectLookupError{Region: region, Projects: matches}
	}
	return matches[0].ID, nil
}
