package fakeapi

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
)

// listSnapshots answers from the project's slice without copying it, which is
// safe because nothing changes that slice in place: Insert replaces it. A page
// taken before an Insert keeps what it had.
func TestInsertLeavesAHeldSliceAlone(t *testing.T) {
	s := NewServer(Options{Projects: []Project{{ID: ProjectID, Snapshots: Sample()}}})
	held := Filter(s.projects[ProjectID].Snapshots, url.Values{})
	if &held[0] != &s.projects[ProjectID].Snapshots[0] {
		t.Fatal("Filter without filters or sorting copied the snapshots")
	}
	before := slices.Clone(held)
	s.Insert(ProjectID, 3)
	if !reflect.DeepEqual(held, before) {
		t.Fatal("Insert changed a slice of snapshots a request held")
	}
	if got := len(s.Snapshots(ProjectID)); got != len(before)+3 {
		t.Fatalf("after Insert of 3, %d snapshots, want %d", got, len(before)+3)
	}
}
