package datasources

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// snapshotsTFValueReference is the list of snapshots as a tftypes.Value, field
// by field: what ReadProto built and gave tfprotov6.NewDynamicValue before
// encodeState wrote the msgpack itself. Absent fields are null, "" is kept.
func snapshotsTFValueReference(snapshots []workspace.DesktopSnapshot) tftypes.Value {
	str := func(p *string) tftypes.Value {
		if p == nil {
			return tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(tftypes.String, *p)
	}
	elems := make([]tftypes.Value, len(snapshots))
	for i, s := range snapshots {
		disk := tftypes.NewValue(tftypes.Bool, nil)
		if s.IsSystemDisk != nil {
			disk = tftypes.NewValue(tftypes.Bool, *s.IsSystemDisk)
		}
		process := tftypes.NewValue(tftypes.Number, nil)
		if s.Process != nil {
			process = tftypes.NewValue(tftypes.Number, *s.Process)
		}
		elems[i] = tftypes.NewValue(snapshotTFType, map[string]tftypes.Value{
			"snapshot_id":         str(s.SnapshotID),
			"snapshot_name":       str(s.SnapshotName),
			"desktop_id":          str(s.DesktopID),
			"desktop_name":        str(s.DesktopName),
			"desktop_sid":         str(s.DesktopSID),
			"desktop_pool_id":     str(s.DesktopPoolID),
			"is_system_disk":      disk,
			"status":              str(s.Status),
			"process":             process,
			"description":         str(s.Description),
			"create_time":         str(s.CreateTime),
			"create_type":         str(s.CreateType),
			"last_restore_time":   str(s.LastRestoreTime),
			"restore_fail_reason": str(s.RestoreFailReason),
		})
	}
	return tftypes.NewValue(tftypes.List{ElementType: snapshotTFType}, elems)
}

// encodeState writes the very bytes tfprotov6.NewDynamicValue writes for the
// same state: on the curated corners (null, "", process 0 and null), generated
// data, the lengths where msgpack changes its string and integer headers, and
// with the configuration's attributes null, set and unknown.
func TestEncodeStateMatchesTftypes(t *testing.T) {
	ctx := context.Background()
	var ps protoSchema
	if err := ps.load(ctx, NewDesktopSnapshotsDataSource()); err != nil {
		t.Fatal(err)
	}
	typ := ps.typ
	in := apiSnapshots(t, append(fakeapi.Sample(), fakeapi.Generate(300)...))
	in = append(in, workspace.DesktopSnapshot{}) // every field absent
	for _, n := range []int64{-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64,
		127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64} {
		in = append(in, workspace.DesktopSnapshot{Process: &n})
	}
	for _, l := range []int{0, 31, 32, 255, 256, 65535, 65536} {
		s := strings.Repeat("é", l/2) + strings.Repeat("x", l%2)
		in = append(in, workspace.DesktopSnapshot{Description: &s, SnapshotName: &s})
	}
	yes, no := true, false
	in = append(in, workspace.DesktopSnapshot{IsSystemDisk: &yes}, workspace.DesktopSnapshot{IsSystemDisk: &no})

	null := func(name string) tftypes.Value { return tftypes.NewValue(typ.AttributeTypes[name], nil) }
	configs := map[string]map[string]tftypes.Value{
		"null config": {},
		"filters and timeouts set": {
			"status":        tftypes.NewValue(tftypes.String, "AVAILABLE"),
			"desktop_names": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "a"), tftypes.NewValue(tftypes.String, "")}),
			"timeouts": tftypes.NewValue(typ.AttributeTypes["timeouts"], map[string]tftypes.Value{
				"read": tftypes.NewValue(tftypes.String, "5m"),
			}),
		},
		"unknown filter": {"desktop_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)},
	}
	for name, set := range configs {
		for _, snaps := range [][]workspace.DesktopSnapshot{nil, in[:1], in} {
			attrs := map[string]tftypes.Value{}
			for a := range typ.AttributeTypes {
				attrs[a] = null(a)
				if v, ok := set[a]; ok {
					attrs[a] = v
				}
			}
			attrs["region"] = tftypes.NewValue(tftypes.String, "cn-north-4")
			attrs["id"] = tftypes.NewValue(tftypes.String, "some-id")
			attrs["total_count"] = tftypes.NewValue(tftypes.Number, int64(len(snaps)))
			got, err := encodeState(typ, attrs, map[string]stateItems{"snapshots": itemList[workspace.DesktopSnapshot]{workspace.DesktopSnapshotObject, snaps}})
			if err != nil {
				t.Fatalf("%s, %d snapshots: %v", name, len(snaps), err)
			}
			attrs["snapshots"] = snapshotsTFValueReference(snaps)
			want, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.MsgPack, want.MsgPack) {
				t.Fatalf("%s, %d snapshots: encodeState's bytes differ from tftypes'", name, len(snaps))
			}
			// And it decodes to the same value.
			v, err := got.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			if !v.Equal(tftypes.NewValue(typ, attrs)) {
				t.Fatalf("%s, %d snapshots: decodes to another value", name, len(snaps))
			}
		}
	}
}

func TestEncodeStateWithoutAnAttribute(t *testing.T) {
	var ps protoSchema
	if err := ps.load(context.Background(), NewDesktopSnapshotsDataSource()); err != nil {
		t.Fatal(err)
	}
	if _, err := encodeState(ps.typ, map[string]tftypes.Value{}, nil); err == nil {
		t.Fatal("encodeState of a state without attributes succeeded")
	}
}

// TestSnapshotFieldsMatchTheSchema checks that the encoder writes exactly the
// attributes of a snapshot in the schema, with their types.
func TestSnapshotFieldsMatchTheSchema(t *testing.T) {
	if err := checkSnapshotFields(); err != nil {
		t.Fatal(err)
	}
}

// checkSnapshotFields reports whether the declared fields encode exactly the
// attributes of a snapshot in the schema, with their types.
func checkSnapshotFields() error {
	return checkFields(workspace.DesktopSnapshotObject, snapshotTFType)
}
