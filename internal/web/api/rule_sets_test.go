package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

type ruleSetJSON struct {
	Code              string                         `json:"code"`
	Project           *string                        `json:"project"`
	Name              map[string]string              `json:"name"`
	Note              string                         `json:"note"`
	Editable          bool                           `json:"editable"`
	Thresholds        map[string]map[string]*float64 `json:"thresholds"`
	EligibleCountries []string                       `json:"eligible_countries"`
	LumpSum           *struct {
		Basis string `json:"basis"`
		Cells []struct {
			EUR float64 `json:"eur"`
		} `json:"cells"`
	} `json:"lump_sum"`
}

func ruleSetRows(t *testing.T, st *store.Store) string {
	t.Helper()
	var sum string
	if err := st.DB.Get(&sum, `SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r.id), '')) FROM rule_sets r`); err != nil {
		t.Fatal(err)
	}
	return sum
}

// Rule sets through the API: the presets listed and read-only, a copy made
// for one project and changed, refused when wrong with nothing stored; a
// coordinator of another project sees the presets but not that copy.
func TestRuleSetsAPI(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme})
	st, ctx := s.Store, context.Background()
	decode, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	_, adminTok := progUser(t, st, "admin@example.org", auth.RoleAdmin, auth.ScopeAdmin, nil)
	_, coordTok := progUser(t, st, "coord@daugavpils.example", auth.RoleCoordinator, auth.ScopeReport, &decode.ID)
	_, doorTok := progUser(t, st, "door@example.org", auth.RoleDoor, auth.ScopeScan, nil)
	as := progClient{t: t, url: s.URL + "/api/v1", token: adminTok}
	coord := progClient{t: t, url: s.URL + "/api/v1", token: coordTok}

	var list []ruleSetJSON
	as.want(http.StatusOK, "GET", "/rule-sets", nil).decode(t, &list)
	presets := map[string]ruleSetJSON{}
	for _, rs := range list {
		if rs.Project == nil && !rs.Editable {
			presets[rs.Code] = rs
		}
	}
	for _, code := range []string{"efc-not", "efc-tt", "cerv-tt", "cerv-not"} {
		if rs, ok := presets[code]; !ok || rs.Name["en"] == "" || rs.Name["lv"] == "" || len(rs.EligibleCountries) < 30 {
			t.Errorf("preset %s missing or incomplete: %+v", code, rs)
		}
	}
	if n := presets["cerv-not"].Note; n == "" {
		t.Error("CERV Networks of Towns carries no note on its call-year thresholds")
	}
	if v := presets["cerv-tt"].Thresholds["per_event"]["min_participants"]; v == nil || *v != 50 {
		t.Errorf("cerv-tt min participants = %v, want 50", v)
	}

	// A project of its own, with a copy of the CERV preset.
	as.want(http.StatusCreated, "POST", "/projects", map[string]any{"code": "tt-vejle", "title": map[string]string{"en": "Vejle twinning"}, "rule_set": "cerv-tt"})
	var rs ruleSetJSON
	a := as.want(http.StatusCreated, "POST", "/rule-sets", map[string]any{"code": "tt-vejle-rules", "project": "tt-vejle", "copy_of": "cerv-tt",
		"name": map[string]string{"en": "Vejle Town-Twinning 2024"}, "thresholds": map[string]any{"per_event": map[string]any{"max_days": 21}}})
	a.decode(t, &rs)
	if a.location != "/api/v1/rule-sets/tt-vejle-rules" || rs.Project == nil || *rs.Project != "tt-vejle" || !rs.Editable ||
		rs.Name["en"] != "Vejle Town-Twinning 2024" || rs.Name["lv"] == "" || *rs.Thresholds["per_event"]["max_days"] != 21 ||
		*rs.Thresholds["per_event"]["min_invited"] != 25 || len(rs.EligibleCountries) != len(presets["cerv-tt"].EligibleCountries) {
		t.Fatalf("copy: %s %+v", a.location, rs)
	}
	as.want(http.StatusOK, "PATCH", "/projects/tt-vejle", map[string]any{"rule_set": "tt-vejle-rules"})

	// Changed: a threshold removed, one changed, a lump-sum table entered.
	as.want(http.StatusOK, "PATCH", "/rule-sets/tt-vejle-rules", map[string]any{
		"thresholds": map[string]any{"per_event": map[string]any{"min_participants": nil, "min_invited": 30}},
		"lump_sum": map[string]any{"basis": "invited", "cells": []any{
			map[string]any{"participants": map[string]int{"min": 25, "max": 50}, "countries": map[string]int{"min": 0}, "eur": 5000},
			map[string]any{"participants": map[string]int{"min": 51}, "countries": map[string]int{"min": 0}, "eur": 10000}}},
	}).decode(t, &rs)
	if rs.Thresholds["per_event"]["min_participants"] != nil || *rs.Thresholds["per_event"]["min_invited"] != 30 ||
		rs.LumpSum == nil || rs.LumpSum.Basis != "invited" || len(rs.LumpSum.Cells) != 2 {
		t.Fatalf("patched: %+v", rs)
	}

	// Refused, nothing stored.
	before := ruleSetRows(t, st)
	for name, c := range map[string]struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		"preset read-only":  {"PATCH", "/rule-sets/cerv-tt", map[string]any{"note": "x"}, http.StatusForbidden, ""},
		"code fixed":        {"PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"code": "other"}, http.StatusUnprocessableEntity, "code"},
		"share over 1":      {"PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"thresholds": map[string]any{"per_project": map[string]any{"min_invited_share": 30}}}, http.StatusUnprocessableEntity, "thresholds.per_project.min_invited_share"},
		"unknown threshold": {"PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"thresholds": map[string]any{"per_event": map[string]any{"min_cats": 3}}}, http.StatusUnprocessableEntity, "thresholds.per_event.min_cats"},
		"overlapping bands": {"PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"lump_sum": map[string]any{"basis": "invited", "cells": []any{
			map[string]any{"participants": map[string]int{"min": 25, "max": 50}, "countries": map[string]int{"min": 0}, "eur": 5000},
			map[string]any{"participants": map[string]int{"min": 50}, "countries": map[string]int{"min": 0}, "eur": 9000}}}}, http.StatusUnprocessableEntity, "lump_sum"},
		"bad country":   {"PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"eligible_countries": []string{"XX1"}}, http.StatusUnprocessableEntity, "eligible_countries"},
		"no countries":  {"PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"eligible_countries": []string{}}, http.StatusUnprocessableEntity, "eligible_countries"},
		"code taken":    {"POST", "/rule-sets", map[string]any{"code": "cerv-tt", "copy_of": "cerv-tt"}, http.StatusConflict, "code"},
		"bad code":      {"POST", "/rule-sets", map[string]any{"code": "Not A Code", "copy_of": "cerv-tt"}, http.StatusUnprocessableEntity, "code"},
		"no name":       {"POST", "/rule-sets", map[string]any{"code": "empty", "eligible_countries": []string{"LV"}}, http.StatusUnprocessableEntity, "name.en"},
		"unknown copy":  {"POST", "/rule-sets", map[string]any{"code": "x", "copy_of": "nope"}, http.StatusUnprocessableEntity, "copy_of"},
		"unknown field": {"POST", "/rule-sets", map[string]any{"code": "x", "colour": "red"}, http.StatusBadRequest, ""},
		"huge number":   {"PATCH", "/rule-sets/tt-vejle-rules", `{"thresholds": {"per_event": {"min_invited": 1e400}}}`, http.StatusBadRequest, ""},
		"not json":      {"PATCH", "/rule-sets/tt-vejle-rules", `{"note": "x"`, http.StatusBadRequest, ""},
		"missing":       {"GET", "/rule-sets/nope", nil, http.StatusNotFound, ""},
	} {
		a := as.do(c.method, c.path, c.body)
		if a.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", name, a.status, c.status, a.body)
			continue
		}
		if c.field != "" {
			if _, f := a.fields(t); f[c.field] == "" {
				t.Errorf("%s: no message for %s: %s", name, c.field, a.body)
			}
		}
	}
	if ruleSetRows(t, st) != before {
		t.Fatal("a refused call changed the rule sets")
	}

	// A coordinator of DeCoDe: reads presets, not another project's copy;
	// changes nothing.
	var theirs []ruleSetJSON
	coord.want(http.StatusOK, "GET", "/rule-sets", nil).decode(t, &theirs)
	for _, r := range theirs {
		if r.Code == "tt-vejle-rules" {
			t.Fatal("another project's rule set listed for a coordinator")
		}
	}
	if len(theirs) < 4 {
		t.Fatalf("coordinator sees %d rule sets, want the presets", len(theirs))
	}
	coord.want(http.StatusOK, "GET", "/rule-sets/cerv-tt", nil)
	coord.want(http.StatusNotFound, "GET", "/rule-sets/tt-vejle-rules", nil)
	coord.want(http.StatusForbidden, "PATCH", "/rule-sets/tt-vejle-rules", map[string]any{"note": "x"})
	coord.want(http.StatusForbidden, "POST", "/rule-sets", map[string]any{"code": "mine", "copy_of": "cerv-tt"})
	door := progClient{t: t, url: s.URL + "/api/v1", token: doorTok}
	door.want(http.StatusForbidden, "GET", "/rule-sets", nil)
	(progClient{t: t, url: s.URL + "/api/v1"}).want(http.StatusUnauthorized, "GET", "/rule-sets", nil)

	// DeCoDe may not choose the Vejle project's own set.
	if _, f := as.want(http.StatusUnprocessableEntity, "PATCH", "/projects/decode", map[string]any{"rule_set": "tt-vejle-rules"}).fields(t); f["rule_set"] == "" {
		t.Fatal("another project's rule set chosen without a message")
	}
}

// An event's timetable through the API: set, read back, refused when wrong
// with nothing stored; another project's coordinator reaches none of it.
func TestTimetableAPI(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme})
	st, ctx := s.Store, context.Background()
	_, adminTok := progUser(t, st, "admin@example.org", auth.RoleAdmin, auth.ScopeAdmin, nil)
	other := store.Project{Code: "other", Title: store.Texts{"en": "Other"}}
	if err := st.CreateProject(ctx, st.DB, &other); err != nil {
		t.Fatal(err)
	}
	_, foreignTok := progUser(t, st, "coord@other.example", auth.RoleCoordinator, auth.ScopeReport, &other.ID)
	as := progClient{t: t, url: s.URL + "/api/v1", token: adminTok}
	foreign := progClient{t: t, url: s.URL + "/api/v1", token: foreignTok}
	type timetable struct {
		TimeZone string `json:"time_zone"`
		Days     []struct {
			Date     string  `json:"date"`
			StartsAt *string `json:"starts_at"`
			EndsAt   *string `json:"ends_at"`
		} `json:"days"`
	}
	var tt timetable
	as.want(http.StatusOK, "PUT", "/events/decode-1-daugavpils/timetable", map[string]any{"days": []any{
		map[string]any{"date": "2018-05-23", "starts_at": "09:30", "ends_at": "17:00"}}}).decode(t, &tt)
	if tt.TimeZone != "Europe/Riga" || len(tt.Days) != 2 || tt.Days[0].StartsAt == nil || *tt.Days[0].StartsAt != "09:30" ||
		*tt.Days[0].EndsAt != "17:00" || tt.Days[1].StartsAt != nil {
		t.Fatalf("timetable: %+v", tt)
	}
	before := string(as.want(http.StatusOK, "GET", "/events/decode-1-daugavpils/timetable", nil).body)
	for name, c := range map[string]struct {
		body  any
		field string
	}{
		"not a day":  {map[string]any{"days": []any{map[string]any{"date": "2018-06-01", "starts_at": "09:00", "ends_at": "10:00"}}}, "days.2018-06-01"},
		"end first":  {map[string]any{"days": []any{map[string]any{"date": "2018-05-23", "starts_at": "12:00", "ends_at": "11:00"}}}, "days.2018-05-23.ends_at"},
		"one of two": {map[string]any{"days": []any{map[string]any{"date": "2018-05-24", "starts_at": "12:00"}}}, "days.2018-05-24.ends_at"},
		"not a time": {map[string]any{"days": []any{map[string]any{"date": "2018-05-24", "starts_at": "25:99", "ends_at": "26:00"}}}, "days.2018-05-24.starts_at"},
	} {
		a := as.do("PUT", "/events/decode-1-daugavpils/timetable", c.body)
		if a.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d: %s", name, a.status, a.body)
			continue
		}
		if _, f := a.fields(t); f[c.field] == "" {
			t.Errorf("%s: no message for %s: %s", name, c.field, a.body)
		}
	}
	if after := string(as.want(http.StatusOK, "GET", "/events/decode-1-daugavpils/timetable", nil).body); after != before {
		t.Fatalf("a refused change was stored:\n%s\n%s", before, after)
	}
	foreign.want(http.StatusNotFound, "GET", "/events/decode-1-daugavpils/timetable", nil)
	foreign.want(http.StatusNotFound, "PUT", "/events/decode-1-daugavpils/timetable", map[string]any{"days": []any{}})
}
