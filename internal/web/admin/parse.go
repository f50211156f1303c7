package admin

import (
	"strconv"
	"strings"
)

// parseOptionalID reads an optional numeric id from a form value.
func parseOptionalID(s string) (*int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return nil, strconv.ErrSyntax
	}
	return &n, nil
}
