package config

import (
	"errors"
	"testing"
)

func TestMaxInflight(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxInflight != 256 {
		t.Fatalf("default ATTEND_MAX_INFLIGHT: got %d, want 256", c.MaxInflight)
	}
	c, err = FromEnv(env(map[string]string{"ATTEND_MAX_INFLIGHT": " 32 "}))
	if err != nil || c.MaxInflight != 32 {
		t.Fatalf("ATTEND_MAX_INFLIGHT=32: got %v, %v", c, err)
	}
	for _, bad := range []string{"0", "-1", "many", "100001", "1.5"} {
		_, err := FromEnv(env(map[string]string{"ATTEND_MAX_INFLIGHT": bad}))
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != "ATTEND_MAX_INFLIGHT" {
			t.Errorf("ATTEND_MAX_INFLIGHT=%q: got %v, want an error naming the variable", bad, err)
		}
	}
}
