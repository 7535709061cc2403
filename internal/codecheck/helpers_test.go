package codecheck

import (
	"go/ast"
	"os"
	"strconv"
)

func recvName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return recvName(x.X)
	case *ast.IndexExpr:
		return recvName(x.X)
	case *ast.IndexListExpr:
		return recvName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

func itoa(n int) string { return strconv.Itoa(n) }

func writeFile(path, src string) error { return os.WriteFile(path, []byte(src), 0o600) }
