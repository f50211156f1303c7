package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"--devices", "2"}, {"nope"}, {"door", "extra"}, {"door", "--devices", "x"}} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
		if !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
		if out.Len() != 0 {
			t.Errorf("%q printed %q on stdout", args, out.String())
		}
	}
	var errOut bytes.Buffer
	_ = run(context.Background(), nil, func(string) string { return "" }, new(bytes.Buffer), &errOut)
	if !strings.Contains(errOut.String(), "door|rush|report") {
		t.Errorf("usage text: %q", errOut.String())
	}
}
