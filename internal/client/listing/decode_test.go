package listing_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// probe is a test-only listed object with every kind, to fuzz the decoder on
// floats too, which no Workspace field has yet.
type probe struct {
	Name  *string
	On    *bool
	Count *int64
	Ratio *float64
	Kind  *string
}

var probeObject = listing.NewObject(
	listing.String("name", func(p *probe) **string { return &p.Name }, "A name."),
	listing.Bool("on", func(p *probe) **bool { return &p.On }, "On or off."),
	listing.Int64("count", func(p *probe) **int64 { return &p.Count }, "A count."),
	listing.Float64("ratio", func(p *probe) **float64 { return &p.Ratio }, "A ratio."),
	listing.String("kind", func(p *probe) **string { return &p.Kind }, "A kind: its name folds to Unicode (K, U+212A)."),
)

// checkSameAsJSON fails unless decodePage and encoding/json both refuse body,
// or both accept it with equal pages.
func checkSameAsJSON[T any](t *testing.T, o *listing.Object[T], itemsKey string, body []byte) {
	t.Helper()
	got, err := (&listing.Listing[T]{Object: o, ItemsKey: itemsKey}).DecodePage(body)
	want, wantErr := listing.JSONPage(o, itemsKey, body)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%q: decodePage error %v, encoding/json error %v", body, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: decodePage gave\n%s\nencoding/json\n%s", body, dumpAny(got), dumpAny(want))
	}
}

func dumpAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

var decodeSeeds = []string{
	`{"total_count":2,"desktop_snapshots":[{"snapshot_id":"a","process":null},{"snapshot_id":"b","process":42,"is_system_disk":true}]}`,
	`{}`, `null`, `[]`, `""`, `1`, `true`, ` {"total_count": 3 } `, `{"total_count":"2"}`, `{"total_count":1e3}`, `{"total_count":1.0}`,
	`{"total_count":-0}`, `{"total_count":9223372036854775807}`, `{"total_count":9223372036854775808}`, `{"total_count":-9223372036854775808}`,
	`{"total_count":01}`, `{"total_count":-}`, `{"total_count":1.}`, `{"total_count":1e}`, `{"total_count":.5}`,
	`{"desktop_snapshots":[{"process":1.5}]}`, `{"desktop_snapshots":{}}`, `{"desktop_snapshots":null}`, `{"desktop_snapshots":[]}`,
	`{"desktop_snapshots":[null,{"status":"x"},null]}`, `{"desktop_snapshots":[1]}`,
	`{"total_count":1,"desktop_snapshots":[`, `{"desktop_snapshots":[{"snapshot_name":"\ud800"}]}`,
	`{"desktop_snapshots":[{"snapshot_name":"\ud83d\ude00 \u00e9\n\t\"\\\/\b\f\r"}]}`, `{"desktop_snapshots":[{"snapshot_name":"\ud800\u0041\udc00x"}]}`,
	"{\"desktop_snapshots\":[{\"snapshot_name\":\"\xff\xed\xa0\x80ok\"}]}", "{\"desktop_snapshots\":[{\"snapshot_name\":\"a\x01\"}]}",
	`{"DESKTOP_SNAPSHOTS":[{"SNAPSHOT_ID":"a","Snapshot_Id":"b","snapshot_id":"c"}],"Total_Count":4}`,
	`{"desktop_snapshots":[{"snapshot_id":"c","SNAPSHOT_ID":"d"}]}`, `{"desktop_snapshot\u0073":[{"snapshot\u005fid":"e"}]}`,
	`{"desktop_snapshots":[{"snapshot_id":"a","process":1,"process":null,"is_system_disk":false,"extra":{"x":[1,2,{"y":null}]}}]}`,
	`{"desktop_snapshots":[{"snapshot_id":"a","description":"x"},{"snapshot_id":"b"},{"snapshot_id":"c","description":"z"}],"desktop_snapshots":[{"status":"s"}],"desktop_snapshots":[null,null,{"process":3}]}`,
	`{"desktop_snapshots":[{"is_system_disk":"true"}]}`, `{"desktop_snapshots":[{"snapshot_id":1}]}`, `{"desktop_snapshots":[{"snapshot_id":{}}]}`,
	`{"desktop_snapshots":[{"snapshot_id":"a"},]}`, `{"desktop_snapshots":[{"snapshot_id":"a",}]}`, `{"a":1} trailing`, `{"a":tru}`, `{"a":nul}`,
	`{"a" 1}`, `{1:1}`, `{"a":[1 2]}`, "{\"a\":\"\\x\"}", `{"a":"\u12"}`, `{"a":"\u12g4"}`, "\t\r\n{}\n", `{}{}`,
	`{"desktop_snapshots":[{"snapshot_id":"a","process":-12,"process":"1"}]}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `{"a":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
	`{"a":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
}

var probeSeeds = []string{
	`{"items":[{"name":"a","on":true,"count":3,"ratio":0.5,"kind":"k"}]}`,
	`{"items":[{"ratio":1e308},{"ratio":1e309},{"ratio":-0.0},{"ratio":5e-324},{"ratio":1E+2}]}`,
	`{"items":[{"KIND":"upper"},{"` + "\u212a" + `ind":"kelvin"},{"Kind":"title"}]}`,
	`{"items":[{"count":123456789012345678},{"count":1234567890123456789},{"count":-1234567890123456789}]}`,
}

// TestDecodePageMatchesJSON runs the fuzz seeds on every plain go test.
func TestDecodePageMatchesJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		checkSameAsJSON(t, workspace.DesktopSnapshots.Object, workspace.DesktopSnapshots.ItemsKey, []byte(s))
	}
	for _, s := range probeSeeds {
		checkSameAsJSON(t, probeObject, "items", []byte(s))
	}
}

// FuzzDecodePageMatchesJSON holds the reflection-free page decoder to
// encoding/json: both accept and refuse the same bodies and give equal pages,
// for the snapshots and for a probe object with a field of every kind:
//
//	go test -run='^$' -fuzz='^FuzzDecodePageMatchesJSON$' -fuzztime=60s ./internal/client/listing/
func FuzzDecodePageMatchesJSON(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s), false)
	}
	for _, s := range probeSeeds {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, probed bool) {
		if probed {
			checkSameAsJSON(t, probeObject, "items", body)
			return
		}
		checkSameAsJSON(t, workspace.DesktopSnapshots.Object, workspace.DesktopSnapshots.ItemsKey, body)
	})
}

// BenchmarkDecodePage decodes one full page (1000 snapshots, as the fake writes
// them) into the client's typed structs, with encoding/json's reflection (into
// the tagged mirror, without the copy into DesktopSnapshot) and with decodePage:
//
//	go test -run '^$' -bench DecodePage -benchmem ./internal/client/listing/
func BenchmarkDecodePage(b *testing.B) {
	body, err := json.Marshal(map[string]any{"total_count": 50000, "desktop_snapshots": fakeapi.Generate(listing.PageLimit)})
	if err != nil {
		b.Fatal(err)
	}
	mirror := reflect.StructOf([]reflect.StructField{
		{Name: "TotalCount", Type: reflect.TypeFor[*int64](), Tag: `json:"total_count"`},
		{Name: "Items", Type: reflect.SliceOf(listing.MirrorType(workspace.DesktopSnapshots.Object)), Tag: `json:"desktop_snapshots"`},
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			pv := reflect.New(mirror)
			if err := json.Unmarshal(body, pv.Interface()); err != nil || pv.Elem().Field(1).Len() != listing.PageLimit {
				b.Fatal(err)
			}
		}
	})
	b.Run("declared", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			p, err := workspace.DesktopSnapshots.DecodePage(body)
			if err != nil || len(p.Items) != listing.PageLimit {
				b.Fatal(err)
			}
		}
	})
}
