// Package migrations embeds the numbered SQL files that build the schema.
// Each file NNNN_name.sql is applied once, in one transaction, in number order.
package migrations

import "embed"

//go:embed *.sql
var FS embed.FS
