package client

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// A session with project_name, domain_name: the account's ID is looked up once
// (GET /v3/auth/domains) and sent, signed, as X-Domain-Id on the lookup of the
// project named project_name, which the fake verifies; another region uses
// its own name.
func TestSessionProjectNameAndDomain(t *testing.T) {
	opts := fakeapi.DefaultOptions()
	opts.Projects = append(opts.Projects, fakeapi.Project{ID: "sub-project-id", Name: fakeapi.Region + "_sub"})
	f := startFake(t, opts)
	s := NewSession(SessionConfig{
		Client: fakeClient(transport.Config{}), Region: fakeapi.Region,
		ProjectName: fakeapi.Region + "_sub", DomainName: fakeapi.DomainName,
		Endpoints: map[string]string{"iam": f.URL},
	})
	ctx := context.Background()
	// In this order, which the requests below follow (a map's would vary).
	for _, c := range [][2]string{{fakeapi.Region, "sub-project-id"}, {fakeapi.EmptyRegion, fakeapi.EmptyProjectID}} {
		if id, err := s.ProjectID(ctx, c[0]); err != nil || id != c[1] {
			t.Fatalf("ProjectID(%s) = %q, %v; want %q", c[0], id, err, c[1])
		}
	}
	var got []string
	for _, r := range f.api.Requests() {
		got = append(got, r.Path+"?"+r.RawQuery+" X-Domain-Id="+r.Header.Get("X-Domain-Id"))
		if r.Status != 200 {
			t.Errorf("%s answered %d %s", r.Path, r.Status, r.ErrorCode)
		}
		if r.Path == "/v3/projects" && !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=x-domain-id;x-sdk-date,") {
			t.Errorf("x-domain-id not signed: %s", r.Header.Get("Authorization"))
		}
	}
	want := []string{
		"/v3/auth/domains? X-Domain-Id=",
		"/v3/projects?name=cn-north-4_sub X-Domain-Id=" + fakeapi.DomainID,
		"/v3/projects?name=" + fakeapi.EmptyRegion + " X-Domain-Id=" + fakeapi.DomainID,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A domain_name that is not the keys' account fails before any project lookup.
func TestDomainIDByNameMismatch(t *testing.T) {
	f := startDefaultFake(t)
	_, err := iam.DomainIDByName(context.Background(), fakeClient(transport.Config{}), f.URL+"/v3", "someone-else")
	var de *iam.DomainLookupError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), `the credentials belong to the account "`+fakeapi.DomainName+`" (`+fakeapi.DomainID+`), not to domain_name "someone-else"`) {
		t.Fatalf("error %v", err)
	}
}

// Another account's X-Domain-Id is refused by the fake, as by IAM.
func TestProjectIDByNameWrongDomain(t *testing.T) {
	f := startDefaultFake(t)
	_, err := iam.ProjectIDByName(context.Background(), fakeClient(transport.Config{}), f.URL, fakeapi.Region, fakeapi.Region, "not-the-account")
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || apiErr.ErrorCode != "IAM.0003" {
		t.Fatalf("error %v, want the fake's 403 IAM.0003", err)
	}
}
