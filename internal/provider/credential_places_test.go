package provider

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
)

// TestCredentialPlacesAreDocumentedInOrder ties the places keys come from,
// declared once in credentialPlaces, to the prose that names them: the
// provider page's numbered list has one item per place, in this order, each
// naming its place; the access_key description and DESIGN.md name them in
// the same order.
func TestCredentialPlacesAreDocumentedInOrder(t *testing.T) {
	tmpl, err := os.ReadFile("../../templates/index.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	items := numberedList(t, string(tmpl), "### Where the keys come from")
	if len(items) != len(credentialPlaces) {
		t.Fatalf("the provider page lists %d places, credentialPlaces %d:\n%s", len(items), len(credentialPlaces), strings.Join(items, "\n"))
	}
	for i, p := range credentialPlaces {
		if !strings.Contains(items[i], p.doc) {
			t.Errorf("item %d of the provider page's list does not name %s:\n%s", i+1, p.doc, items[i])
		}
	}

	var resp fwprovider.SchemaResponse
	(&Provider{}).Schema(context.Background(), fwprovider.SchemaRequest{}, &resp)
	accessKey := resp.Schema.Attributes["access_key"].(schema.StringAttribute).MarkdownDescription
	// access_key's own place is the one its description does not name.
	checkInOrder(t, "the access_key description", accessKey, "`access_key`")

	design, err := os.ReadFile("../../DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(design)
	start := strings.Index(text, "- **Where they come from**")
	if start < 0 {
		t.Fatal("DESIGN.md has no \"Where they come from\"")
	}
	end := strings.Index(text[start:], "\n- **")
	checkInOrder(t, "DESIGN.md", text[start:start+end], "")
}

// checkInOrder fails unless text names every place but skip, each after the
// one before it.
func checkInOrder(t *testing.T, what, text, skip string) {
	t.Helper()
	at := 0
	for _, p := range credentialPlaces {
		if p.doc == skip {
			continue
		}
		i := strings.Index(text[at:], p.doc)
		if i < 0 {
			t.Errorf("%s does not name %s after %q", what, p.doc, text[:at])
			return
		}
		at += i + len(p.doc)
	}
}

// numberedList is the items of the first numbered list after heading, each
// with its continuation lines.
func numberedList(t *testing.T, text, heading string) []string {
	t.Helper()
	i := strings.Index(text, heading)
	if i < 0 {
		t.Fatalf("no %q", heading)
	}
	var items []string
	for _, line := range strings.Split(text[i:], "\n") {
		switch {
		case len(items) == len(credentialPlaces)+1:
			return items
		case strings.HasPrefix(line, itemPrefix(len(items)+1)):
			items = append(items, line)
		case len(items) > 0 && strings.HasPrefix(line, "   "):
			items[len(items)-1] += "\n" + line
		case len(items) > 0:
			return items
		}
	}
	return items
}

func itemPrefix(n int) string { return strconv.Itoa(n) + ". " }
