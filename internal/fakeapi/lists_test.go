package fakeapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// A List is paged by offset and limit, filtered by the fields a query names,
// and total_count is the number that match; a list the project lacks is the
// API's 404, and bad paging is the snapshots' 400.
func TestLists(t *testing.T) {
	f := start(t, func(o *fakeapi.Options) {
		o.Projects[0].Lists = map[string]fakeapi.List{"gizmos": {ItemsKey: "gizmo_list", Items: []map[string]any{
			{"id": "g1", "kind": "a"}, {"id": "g2", "kind": "b"}, {"id": "g3", "kind": "a", "n": 2}, {"id": "g4", "kind": "a"},
		}}}
	})
	path := "/v1/" + fakeapi.ProjectID + "/gizmos"
	for _, tc := range []struct {
		query string
		total int
		ids   []string
	}{
		{"", 4, []string{"g1", "g2", "g3", "g4"}},
		{q("kind", "a"), 3, []string{"g1", "g3", "g4"}},
		{q("kind", "a", "offset", "1", "limit", "1"), 3, []string{"g3"}},
		{q("n", "2"), 1, []string{"g3"}},
		{q("kind", "c"), 0, []string{}},
		{q("offset", "9"), 4, []string{}},
	} {
		r := f.get(t, path, tc.query)
		var page struct {
			Total *int             `json:"total_count"`
			Items []map[string]any `json:"gizmo_list"`
		}
		if err := json.Unmarshal(r.Body, &page); r.Status != http.StatusOK || err != nil || page.Total == nil || page.Items == nil {
			t.Fatalf("%q: %d %s", tc.query, r.Status, r.Body)
		}
		ids := []string{}
		for _, it := range page.Items {
			ids = append(ids, it["id"].(string))
		}
		if *page.Total != tc.total || len(ids) != len(tc.ids) {
			t.Errorf("%q: total_count %d, items %v; want %d, %v", tc.query, *page.Total, ids, tc.total, tc.ids)
			continue
		}
		for i := range ids {
			if ids[i] != tc.ids[i] {
				t.Errorf("%q: items %v, want %v", tc.query, ids, tc.ids)
				break
			}
		}
	}
	f.get(t, path, q("limit", "0")).wantError(t, http.StatusBadRequest, "WKS.0001", "limit", `"0"`)
	f.get(t, "/v1/"+fakeapi.ProjectID+"/nothing", "").wantError(t, http.StatusNotFound, "APIG.0101", "does not exist")
}
