package store

import "github.com/lib/pq"

func pqArray(v any) any { return pq.Array(v) }
