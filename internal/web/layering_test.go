package web_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// shared are the packages under internal/web that every area may use.
var shared = map[string]bool{"httpx": true, "view": true, "webtest": true}

// No web area imports another: what several areas render lives in view,
// what they all need to answer in httpx.
func TestWebAreasImportNoOtherArea(t *testing.T) {
	const prefix = "github.com/decode-attend/attend/internal/web/"
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	areas := 0
	for _, d := range dirs {
		if !d.IsDir() || shared[d.Name()] {
			continue
		}
		areas++
		files, _ := filepath.Glob(filepath.Join(d.Name(), "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range file.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				rest, ok := strings.CutPrefix(path, prefix)
				if !ok {
					continue
				}
				if other := strings.SplitN(rest, "/", 2)[0]; !shared[other] && other != d.Name() {
					t.Errorf("%s imports the web area %s", f, other)
				}
			}
		}
	}
	if areas < 8 {
		t.Fatalf("found %d web areas", areas)
	}
}
