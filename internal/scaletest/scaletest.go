// Package scaletest holds the tests of attend beyond one machine that run in
// make test: two real instances behind HAProxy on one PostgreSQL with one
// killed under load, and the reports' replica against a real streaming
// replica. `make scale` runs the larger version (three instances, a replica).
package scaletest
