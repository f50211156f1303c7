// Package assets embeds the static files served under /assets/. Front-end
// packages from npm are copied into static/vendor/ by the build (see Makefile).
package assets

import "embed"

//go:embed all:static
var FS embed.FS
