package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/web/webtest"
)

// Every API route of the route table is in the OpenAPI document, with its
// request body (for POST) and its answers given a schema.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	s := webtest.New(t, webtest.Options{})
	resp, err := http.Get(s.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
			Responses map[string]map[string]any `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:(\w+)`)
	n := 0
	for _, rt := range s.Web.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") || rt.Path == "/api/v1/openapi.json" {
			continue
		}
		n++
		p := param.ReplaceAllString(strings.TrimPrefix(rt.Path, "/api/v1"), "{$1}")
		op, ok := doc.Paths[p][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, p)
			continue
		}
		if rt.Method == http.MethodPost {
			// JSON mostly; a file upload documents its media types instead.
			schema := false
			if op.RequestBody != nil {
				for _, c := range op.RequestBody.Content {
					schema = schema || c.Schema != nil
				}
			}
			if !schema {
				t.Errorf("%s %s has no request schema", rt.Method, p)
			}
		}
		answered := false
		for code, r := range op.Responses {
			answered = answered || (code[0] == '2' && r["content"] != nil)
		}
		if !answered {
			t.Errorf("%s %s has no documented answer", rt.Method, p)
		}
	}
	if n < 10 {
		t.Fatalf("only %d API routes in the table", n)
	}
	// The signature capture: named request and answer schemas.
	for name, fields := range map[string][]string{
		"SignatureRequest": {"registration_id", "image"},
		"SignatureCreated": {"id", "sha256", "captured_at"},
	} {
		props, _ := doc.Components.Schemas[name]["properties"].(map[string]any)
		for _, f := range fields {
			if props[f] == nil {
				t.Errorf("schema %s lacks %s", name, f)
			}
		}
	}
}
