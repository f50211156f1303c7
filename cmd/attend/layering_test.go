package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The server binary carries no load generator: attend-bench writes synthetic
// people into whatever database it is given, so it is built apart.
func TestBinaryLinksNoLoadTool(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps gave %d packages", len(deps))
	}
	for _, d := range deps {
		if strings.HasSuffix(d, "/internal/bench") || strings.Contains(d, "/internal/faults") {
			t.Errorf("attend links %s", d)
		}
	}
}
