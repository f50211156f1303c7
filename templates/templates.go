// Package templates embeds the HTML templates. layout/*.html holds the page
// frame and partials; every other file is a page named by its path
// ("public/home.html").
package templates

import "embed"

//go:embed layout/*.html */*.html
var FS embed.FS
