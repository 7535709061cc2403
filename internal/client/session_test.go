package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
)

func TestSessionEndpoints(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cfg       SessionConfig
		region    string
		workspace string
		iam       string
	}{
		{
			name: "defaults", cfg: SessionConfig{Region: "cn-north-4"}, region: "cn-north-4",
			workspace: "https://workspace.cn-north-4.myhuaweicloud.com", iam: "https://iam.cn-north-4.myhuaweicloud.com",
		},
		{
			name: "other region", cfg: SessionConfig{Region: "cn-north-4"}, region: "ap-southeast-1",
			workspace: "https://workspace.ap-southeast-1.myhuaweicloud.com", iam: "https://iam.ap-southeast-1.myhuaweicloud.com",
		},
		{
			name: "cloud", cfg: SessionConfig{Region: "eu-west-101", Cloud: "myhuaweicloud.eu"}, region: "eu-west-101",
			workspace: "https://workspace.eu-west-101.myhuaweicloud.eu", iam: "https://iam.eu-west-101.myhuaweicloud.eu",
		},
		{
			name: "endpoints", region: "cn-north-4",
			cfg: SessionConfig{Region: "cn-north-4", Cloud: "example.com", AuthURL: "https://auth.example.com/v3",
				Endpoints: map[string]string{"workspace": " https://ws.internal:8443/ ", "iam": "https://iam.internal/v3"}},
			workspace: "https://ws.internal:8443/", iam: "https://iam.internal/v3",
		},
		{
			name: "auth_url without endpoints.iam", region: "cn-south-1",
			cfg:       SessionConfig{Region: "cn-north-4", AuthURL: "https://iam.myhuaweicloud.com/v3", Endpoints: map[string]string{"workspace": "https://ws.internal"}},
			workspace: "https://ws.internal", iam: "https://iam.myhuaweicloud.com/v3",
		},
		{
			name: "blank endpoints.iam falls back to auth_url", region: "cn-north-4",
			cfg:       SessionConfig{Region: "cn-north-4", AuthURL: "https://auth.example/v3", Endpoints: map[string]string{"iam": "  ", "workspace": ""}},
			workspace: "https://workspace.cn-north-4.myhuaweicloud.com", iam: "https://auth.example/v3",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSession(tc.cfg)
			if got := s.WorkspaceEndpoint(tc.region); got != tc.workspace {
				t.Errorf("WorkspaceEndpoint(%q) = %q, want %q", tc.region, got, tc.workspace)
			}
			if got := s.IAMEndpoint(tc.region); got != tc.iam {
				t.Errorf("IAMEndpoint(%q) = %q, want %q", tc.region, got, tc.iam)
			}
			if s.Region() != tc.cfg.Region {
				t.Errorf("Region() = %q", s.Region())
			}
		})
	}
}

// iamByRegion is an IAM that knows one project per region, named after it.
func iamByRegion(t *testing.T) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "nowhere" {
			_, _ = w.Write([]byte(`{"projects":[]}`))
			return
		}
		_, _ = w.Write([]byte(`{"projects":[{"id":"id-of-` + name + `","name":"` + name + `"}]}`))
	})
}

func TestSessionProjectIDConfigured(t *testing.T) {
	rec := iamByRegion(t)
	c := testClient(testCreds)
	s := NewSession(SessionConfig{Client: c, Region: "cn-north-4", ProjectID: "configured-id", AuthURL: rec.URL})
	if s.Client() != c {
		t.Errorf("Client() is not the configured client")
	}
	for i := 0; i < 3; i++ {
		id, err := s.ProjectID(context.Background(), "cn-north-4")
		if err != nil || id != "configured-id" {
			t.Fatalf("ProjectID = %q, %v; want configured-id", id, err)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d requests for the configured region, want 0", rec.count())
	}

	// Another region is looked up once, then cached.
	for i := 0; i < 3; i++ {
		id, err := s.ProjectID(context.Background(), "ap-southeast-1")
		if err != nil || id != "id-of-ap-southeast-1" {
			t.Fatalf("ProjectID = %q, %v; want id-of-ap-southeast-1", id, err)
		}
	}
	if rec.count() != 1 {
		t.Errorf("%d requests, want 1", rec.count())
	}
	if got := rec.requests()[0].URL.RawQuery; got != "name=ap-southeast-1" {
		t.Errorf("lookup query %q", got)
	}
}

func TestSessionProjectIDLookedUpOnce(t *testing.T) {
	rec := iamByRegion(t)
	s := NewSession(SessionConfig{Client: testClient(testCreds), Region: "cn-north-4",
		Endpoints: map[string]string{"iam": rec.URL + "/v3"}})
	var wg sync.WaitGroup
	ids := make([]string, 8)
	errs := make([]error, 8)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ids[i], errs[i] = s.ProjectID(context.Background(), "cn-north-4")
		}(i)
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != "id-of-cn-north-4" {
			t.Errorf("caller %d: %q, %v", i, ids[i], errs[i])
		}
	}
	if rec.count() != 1 {
		t.Errorf("%d requests for 8 concurrent callers, want 1", rec.count())
	}
	if _, err := s.ProjectID(context.Background(), "cn-south-1"); err != nil {
		t.Fatal(err)
	}
	if rec.count() != 2 {
		t.Errorf("%d requests after a second region, want 2", rec.count())
	}
}

func TestSessionProjectIDErrorNotCached(t *testing.T) {
	rec := iamByRegion(t)
	s := NewSession(SessionConfig{Client: testClient(testCreds), Region: "cn-north-4", AuthURL: rec.URL})
	for i := 0; i < 2; i++ {
		_, err := s.ProjectID(context.Background(), "nowhere")
		var lookupErr *iam.ProjectLookupError
		if !errors.As(err, &lookupErr) {
			t.Fatalf("error %v, want a *ProjectLookupError", err)
		}
	}
	if rec.count() != 2 {
		t.Errorf("%d requests, want 2 (a failed lookup is retried)", rec.count())
	}
}
