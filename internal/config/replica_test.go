package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReplicaSettings(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReplicaURL != "" || c.ReplicaMaxLag != 5*time.Second {
		t.Fatalf("defaults: %q %v", c.ReplicaURL, c.ReplicaMaxLag)
	}
	c, err = FromEnv(env(map[string]string{"ATTEND_REPLICA_URL": " postgres://r@replica:5432/attend ", "ATTEND_REPLICA_MAX_LAG": "1500ms"}))
	if err != nil || c.ReplicaURL != "postgres://r@replica:5432/attend" || c.ReplicaMaxLag != 1500*time.Millisecond {
		t.Fatalf("set: %v %q %v", err, c.ReplicaURL, c.ReplicaMaxLag)
	}
	for k, v := range map[string]string{
		"ATTEND_REPLICA_URL":     "mysql://x",
		"ATTEND_REPLICA_MAX_LAG": "five",
	} {
		_, err := FromEnv(env(map[string]string{k: v}))
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != k {
			t.Errorf("%s=%q: %v, want an error naming it", k, v, err)
		}
	}
	_, err = FromEnv(env(map[string]string{"ATTEND_REPLICA_MAX_LAG": "-1s"}))
	if err == nil || !strings.Contains(err.Error(), "ATTEND_REPLICA_MAX_LAG") {
		t.Errorf("negative lag accepted: %v", err)
	}
}
