package api_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/decode-attend/attend/internal/web/webtest"
)

// The whole document as served is valid OpenAPI 3: a standard validator
// (kin-openapi) checks the structure, every $ref, and that each example
// matches its schema, so a client generator or a viewer can rely on it.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	s := webtest.New(t, webtest.Options{})
	resp, err := http.Get(s.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaFormatValidation(), openapi3.EnableSchemaPatternValidation(), openapi3.EnableSchemaDefaultsValidation(), openapi3.EnableMultiError()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if len(doc.Paths.Map()) < 10 {
		t.Fatalf("only %d paths", len(doc.Paths.Map()))
	}
}

// The validator does catch what the test above relies on it to catch: an
// example that does not match its schema, and a reference to nothing.
func TestOpenAPIValidatorCatchesMistakes(t *testing.T) {
	for name, doc := range map[string]string{
		"example": `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},
			"components":{"schemas":{"N":{"type":"integer","example":"ten"}}}}`,
		"ref": `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},
			"components":{"schemas":{"N":{"$ref":"#/components/schemas/Missing"}}}}`,
		"required": `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},
			"components":{"schemas":{"N":{"type":"object","required":["a"],"properties":{"a":{"type":"string"}},"example":{"b":1}}}}}`,
	} {
		loader := openapi3.NewLoader()
		d, err := loader.LoadFromData([]byte(doc))
		if err == nil {
			err = d.Validate(context.Background(), openapi3.EnableExamplesValidation())
		}
		if err == nil {
			t.Errorf("%s: a broken document passed", name)
		}
	}
}
