package fakeapi_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

func TestGenerateIsDeterministic(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100, fakeapi.LargeCount} {
		a, err := json.Marshal(fakeapi.Generate(n))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(fakeapi.Generate(n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("Generate(%d) differs between two calls", n)
		}
		if got := len(fakeapi.Generate(n)); got != n {
			t.Errorf("Generate(%d) has %d snapshots", n, got)
		}
	}
	// A prefix of a larger data set is not promised, but the first item is fixed.
	first := fakeapi.Generate(3)[0]
	if *first.SnapshotID != "00000000-0000-4000-8000-000000000000" || *first.CreateTime != "2026-11-27T23:00:00Z" {
		t.Errorf("first generated snapshot %s at %s", *first.SnapshotID, *first.CreateTime)
	}
}

func TestGenerateShape(t *testing.T) {
	gen := fakeapi.Generate(fakeapi.LargeCount)
	seen := map[string]bool{}
	var prev time.Time
	var processNull, processAbsent, processValue, system, data int
	statuses := map[string]int{}
	createTypes := map[string]int{}
	for i, s := range gen {
		if s.SnapshotID == nil || seen[*s.SnapshotID] {
			t.Fatalf("item %d: snapshot_id missing or repeated", i)
		}
		seen[*s.SnapshotID] = true
		if s.CreateTime == nil {
			t.Fatalf("item %d: no create_time", i)
		}
		ct, err := time.Parse("2006-01-02T15:04:05Z", *s.CreateTime)
		if err != nil {
			t.Fatalf("item %d: create_time %q is not the API's format: %v", i, *s.CreateTime, err)
		}
		if i > 0 && !ct.Before(prev) {
			t.Fatalf("item %d: create_time %s is not older than %s (want newest first)", i, ct, prev)
		}
		prev = ct
		switch {
		case s.ProcessNull && s.Process == nil:
			processNull++
		case s.Process == nil:
			processAbsent++
		default:
			processValue++
			if *s.Process < 0 || *s.Process > 100 {
				t.Errorf("item %d: process %d outside 0-100", i, *s.Process)
			}
		}
		if s.IsSystemDisk == nil {
			t.Fatalf("item %d: no is_system_disk", i)
		}
		if *s.IsSystemDisk {
			system++
		} else {
			data++
		}
		statuses[*s.Status]++
		createTypes[*s.CreateType]++
		if s.SnapshotName == nil || s.DesktopID == nil || s.DesktopName == nil {
			t.Fatalf("item %d: name or desktop missing", i)
		}
	}
	if processNull == 0 || processAbsent == 0 || processValue == 0 {
		t.Errorf("process: %d null, %d absent, %d values; want a mix", processNull, processAbsent, processValue)
	}
	if system == 0 || data == 0 {
		t.Errorf("%d system disks, %d data disks", system, data)
	}
	for _, st := range []string{"creating", "restoring", "create_success", "create_failed", "restore_success", "restore_failed"} {
		if statuses[st] == 0 {
			t.Errorf("no %s snapshot", st)
		}
	}
	if len(statuses) != 6 {
		t.Errorf("statuses %v, want only the API's six", statuses)
	}
	if createTypes["AUTO"] == 0 || createTypes["MANUALLY"] == 0 || len(createTypes) != 2 {
		t.Errorf("create types %v", createTypes)
	}

	// On the wire: process is null, absent and a number somewhere.
	raw, err := json.Marshal(gen[:10])
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatal(err)
	}
	var wire []string
	for _, it := range items {
		p, ok := it["process"]
		switch {
		case !ok:
			wire = append(wire, "absent")
		case string(p) == "null":
			wire = append(wire, "null")
		default:
			wire = append(wire, "number")
		}
	}
	for _, want := range []string{"absent", "null", "number"} {
		if !slices.Contains(wire, want) {
			t.Errorf("first 10 generated items: process is never %s on the wire (%q)", want, wire)
		}
	}
}

func TestSampleShape(t *testing.T) {
	sample := fakeapi.Sample()
	var prev string
	for i, s := range sample {
		if i > 0 && *s.CreateTime >= prev {
			t.Errorf("Sample()[%d] create_time %s not older than %s", i, *s.CreateTime, prev)
		}
		prev = *s.CreateTime
	}
	// Each call is a fresh copy.
	sample[0].SnapshotName = fakeapi.S("changed")
	if *fakeapi.Sample()[0].SnapshotName == "changed" {
		t.Error("Sample() shares its snapshots between calls")
	}
}

func TestServerSnapshotsAndIsolation(t *testing.T) {
	opts := fakeapi.DefaultOptions()
	srv := fakeapi.NewServer(opts)
	wantIDs(t, "Snapshots(ProjectID)", idsOf(srv.Snapshots(fakeapi.ProjectID)), sampleOrder)
	large := srv.Snapshots(fakeapi.LargeProjectID)
	a, _ := json.Marshal(large)
	b, _ := json.Marshal(fakeapi.Generate(fakeapi.LargeCount))
	if !bytes.Equal(a, b) {
		t.Error("the large project does not hold Generate(LargeCount)")
	}
	if got := srv.Snapshots(fakeapi.EmptyProjectID); len(got) != 0 {
		t.Errorf("empty project holds %d snapshots", len(got))
	}
	if got := srv.Snapshots("nope"); got != nil {
		t.Errorf("unknown project: %d snapshots", len(got))
	}

	// Changing the slices handed in or out does not change the server.
	opts.Projects[0].Snapshots[0] = fakeapi.Snapshot{SnapshotID: fakeapi.S("x")}
	got := srv.Snapshots(fakeapi.ProjectID)
	got[1] = fakeapi.Snapshot{SnapshotID: fakeapi.S("y")}
	wantIDs(t, "after changing copies", idsOf(srv.Snapshots(fakeapi.ProjectID)), sampleOrder)
}

func TestSnapshotMarshalJSON(t *testing.T) {
	cases := []struct {
		name string
		s    fakeapi.Snapshot
		want string
	}{
		{"empty", fakeapi.Snapshot{}, `{}`},
		{"process null", fakeapi.Snapshot{SnapshotID: fakeapi.S("a"), ProcessNull: true}, `{"snapshot_id":"a","process":null}`},
		{"process 0", fakeapi.Snapshot{Process: fakeapi.I(0)}, `{"process":0}`},
		{"process wins over ProcessNull", fakeapi.Snapshot{Process: fakeapi.I(7), ProcessNull: true}, `{"process":7}`},
		{"empty strings and false are present", fakeapi.Snapshot{Description: fakeapi.S(""), IsSystemDisk: fakeapi.B(false), RestoreFailReason: fakeapi.S("")},
			`{"is_system_disk":false,"description":"","restore_fail_reason":""}`},
		{"quotes and control characters", fakeapi.Snapshot{SnapshotName: fakeapi.S("a\"b\\c\nd")}, `{"snapshot_name":"a\"b\\c\nd"}`},
		{"order", fakeapi.Snapshot{
			RestoreFailReason: fakeapi.S("r"), LastRestoreTime: fakeapi.S("l"), CreateType: fakeapi.S("AUTO"), CreateTime: fakeapi.S("c"),
			Description: fakeapi.S("d"), Process: fakeapi.I(1), Status: fakeapi.S("s"), IsSystemDisk: fakeapi.B(true),
			DesktopPoolID: fakeapi.S("p"), DesktopSID: fakeapi.S("sid"), DesktopName: fakeapi.S("dn"), DesktopID: fakeapi.S("di"),
			SnapshotName: fakeapi.S("sn"), SnapshotID: fakeapi.S("id"),
		}, `{"snapshot_id":"id","snapshot_name":"sn","desktop_id":"di","desktop_name":"dn","desktop_sid":"sid","desktop_pool_id":"p",` +
			`"is_system_disk":true,"status":"s","process":1,"description":"d","create_time":"c","create_type":"AUTO","last_restore_time":"l","restore_fail_reason":"r"}`},
	}
	for _, c := range cases {
		got, err := json.Marshal(c.s)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
		// And it reads back as valid JSON.
		var v map[string]any
		if err := json.Unmarshal(got, &v); err != nil {
			t.Errorf("%s: %s is not valid JSON: %v", c.name, got, err)
		}
	}
}
