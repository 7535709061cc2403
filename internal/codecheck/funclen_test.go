// Package codecheck holds tests about the code itself rather than its
// behaviour: the limits the developers' guide sets on production code.
package codecheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuncLines is the longest a production function may be, from its func
// line to its closing brace.
const maxFuncLines = 80

// TestNoLongFunctions fails on every function of the provider's production
// code longer than maxFuncLines lines: the non-test files of every package of
// this module that the provider binary links (go list -deps of main.go), so
// that the fake, the tools under cmd/ and the test helpers are not counted.
func TestNoLongFunctions(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{end}}{{end}}", "../..").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var files int
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		for _, name := range fields[1:] {
			files++
			for _, long := range longFunctions(t, filepath.Join(fields[0], name)) {
				t.Errorf("%s", long)
			}
		}
	}
	if files < 20 {
		t.Fatalf("read %d production files: is go list rooted at the module?", files)
	}
}

// TestLongFunctionIsFound checks the check on a function one line too long.
func TestLongFunctionIsFound(t *testing.T) {
	body := strings.Repeat("\t_ = 0\n", maxFuncLines-2)
	src := "package p\n\nfunc ok() {\n" + body + "}\n\nfunc long() {\n" + body + "\t_ = 1\n}\n"
	file := filepath.Join(t.TempDir(), "p.go")
	if err := writeFile(file, src); err != nil {
		t.Fatal(err)
	}
	got := longFunctions(t, file)
	if len(got) != 1 || !strings.Contains(got[0], ": long is 81 lines") {
		t.Fatalf("found %q, want long alone at 81 lines", got)
	}
}

func longFunctions(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if ast.IsGenerated(f) {
		return nil
	}
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		start, end := fset.Position(fn.Pos()), fset.Position(fn.End())
		if n := end.Line - start.Line + 1; n > maxFuncLines {
			name := fn.Name.Name
			if fn.Recv != nil && len(fn.Recv.List) == 1 {
				name = recvName(fn.Recv.List[0].Type) + "." + name
			}
			out = append(out, filepath.ToSlash(start.Filename)+":"+itoa(start.Line)+": "+name+" is "+itoa(n)+" lines, over "+itoa(maxFuncLines))
		}
	}
	return out
}
