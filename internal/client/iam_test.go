package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// iamServer answers every request with body.
func iamServer(t *testing.T, body string) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	})
}

const oneProject = `{"projects":[{"id":"05041fffa40025702f6dc009cc6f8f33","name":"cn-north-4","domain_id":"d1","enabled":true,"parent_id":"x"}],` +
	`"links":{"self":"https://iam.cn-north-4.myhuaweicloud.com/v3/projects?name=cn-north-4"}}`

func TestProjectIDRequest(t *testing.T) {
	for _, suffix := range []string{"", "/", "/v3", "/v3/", "/v3//", "  "} {
		t.Run("endpoint suffix "+suffix, func(t *testing.T) {
			rec := iamServer(t, oneProject)
			id, err := iam.ProjectID(context.Background(), testClient(testCreds), rec.URL+suffix, "cn-north-4")
			if err != nil {
				t.Fatal(err)
			}
			if id != "05041fffa40025702f6dc009cc6f8f33" {
				t.Errorf("ID %q", id)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodGet || r.URL.Path != "/v3/projects" || r.URL.RawQuery != "name=cn-north-4" {
				t.Errorf("request %s %s ? %s, want GET /v3/projects ? name=cn-north-4", r.Method, r.URL.Path, r.URL.RawQuery)
			}
			if _, ok := r.Header["X-Project-Id"]; ok {
				t.Errorf("X-Project-Id sent to IAM: %q", r.Header.Get("X-Project-Id"))
			}
			if got, want := r.Header.Get("Authorization"), "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature="; !strings.HasPrefix(got, want) {
				t.Errorf("Authorization = %q, want prefix %q", got, want)
			}
			if want := sdkAuthorization(t, r, testCreds); r.Header.Get("Authorization") != want {
				t.Errorf("Authorization %q, SDK gives %q", r.Header.Get("Authorization"), want)
			}
			if got := r.Header.Get("X-Sdk-Date"); got != fixedSdkDate {
				t.Errorf("X-Sdk-Date = %q", got)
			}
		})
	}
}

func TestProjectIDEndpointWithPrefix(t *testing.T) {
	rec := iamServer(t, oneProject)
	if _, err := iam.ProjectID(context.Background(), testClient(testCreds), rec.URL+"/iam-proxy/v3", "cn-north-4"); err != nil {
		t.Fatal(err)
	}
	if got := rec.requests()[0].URL.Path; got != "/iam-proxy/v3/projects" {
		t.Errorf("path %q, want /iam-proxy/v3/projects", got)
	}
}

func TestProjectIDTemporaryCredentials(t *testing.T) {
	rec := iamServer(t, oneProject)
	keys := sign.Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOKEN"}
	if _, err := iam.ProjectID(context.Background(), testClient(keys), rec.URL, "cn-north-4"); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if r.Header.Get("X-Security-Token") != "TOKEN" {
		t.Errorf("X-Security-Token = %q", r.Header.Get("X-Security-Token"))
	}
	if got, want := r.Header.Get("Authorization"), "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date;x-security-token, Signature="; !strings.HasPrefix(got, want) {
		t.Errorf("Authorization = %q, want prefix %q", got, want)
	}
}

func TestProjectIDChoice(t *testing.T) {
	for _, tc := range []struct {
		name     string
		body     string
		wantID   string
		wantErr  []string
		projects []iam.Project
	}{
		{name: "one", body: oneProject, wantID: "05041fffa40025702f6dc009cc6f8f33"},
		{
			name:   "one exact among others (filter ignored)",
			body:   `{"projects":[{"id":"aaa","name":"cn-north-4_sub"},{"id":"bbb","name":"cn-north-4"},{"id":"ccc","name":"cn-north-1"}]}`,
			wantID: "bbb",
		},
		{
			name:    "none",
			body:    `{"projects":[],"links":{}}`,
			wantErr: []string{`IAM lists no project named "cn-north-4" for these credentials`},
		},
		{
			name:    "projects missing",
			body:    `{}`,
			wantErr: []string{`no project named "cn-north-4"`},
		},
		{
			name:     "none exact",
			body:     `{"projects":[{"id":"aaa","name":"cn-north-4_sub"}]}`,
			wantErr:  []string{`no project named "cn-north-4"`},
			projects: nil,
		},
		{
			name:     "two",
			body:     `{"projects":[{"id":"id-one","name":"cn-north-4"},{"id":"id-two","name":"cn-north-4"}]}`,
			wantErr:  []string{`IAM lists 2 projects named "cn-north-4", expected exactly one: id-one (cn-north-4), id-two (cn-north-4)`},
			projects: []iam.Project{{ID: "id-one", Name: "cn-north-4"}, {ID: "id-two", Name: "cn-north-4"}},
		},
		{
			name:     "one without an id",
			body:     `{"projects":[{"name":"cn-north-4"}]}`,
			wantErr:  []string{`cn-north-4`},
			projects: []iam.Project{{Name: "cn-north-4"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := iamServer(t, tc.body)
			id, err := iam.ProjectID(context.Background(), testClient(testCreds), rec.URL, "cn-north-4")
			if tc.wantErr == nil {
				if err != nil || id != tc.wantID {
					t.Fatalf("got %q, %v; want %q", id, err, tc.wantID)
				}
				return
			}
			if err == nil || id != "" {
				t.Fatalf("got %q, %v; want an error", id, err)
			}
			var lookupErr *iam.ProjectLookupError
			if !errors.As(err, &lookupErr) {
				t.Fatalf("error %v (%T) is not a *ProjectLookupError", err, err)
			}
			if lookupErr.Region != "cn-north-4" || !reflect.DeepEqual(lookupErr.Projects, tc.projects) {
				t.Errorf("ProjectLookupError %#v", lookupErr)
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestProjectIDAPIError(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "iam-rid")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information"}`))
	})
	_, err := iam.ProjectID(context.Background(), testClient(testCreds), rec.URL, "cn-north-4")
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != "APIG.0301" || apiErr.StatusCode != 401 || apiErr.Path != "/v3/projects" {
		t.Fatalf("error %v, want the 401 APIError", err)
	}
	if !strings.Contains(err.Error(), `looking up the project of region "cn-north-4"`) {
		t.Errorf("error %q does not name the region", err)
	}
}
