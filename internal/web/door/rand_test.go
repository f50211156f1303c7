package door_test

import (
	"crypto/rand"
	"strconv"
)

type cryptoRand struct{}

func (cryptoRand) Read(b []byte) (int, error) { return rand.Read(b) }

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
