package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/plaintext"
)

// multiLine are the fields typed in a textarea (registration needs, event
// descriptions, rule sets with their notes and lump-sum tables, privacy
// notice controller, the sites that may frame the results): line breaks and tabs
// are their content. Every other field is one line.
func multiLine(field string) bool {
	switch field {
	case "needs", "needs_access", "needs_diet", "rules", "countries", "controller", "note", "lump_sum", "option_values", "embed_origins":
		return true
	}
	// Messages' bodies (body, body_lv ...) and feedback answers (q_comment ...).
	if field == "body" || strings.HasPrefix(field, "body_") || strings.HasPrefix(field, "q_") {
		return true
	}
	// An event's question options, one per line, and answers to its own
	// questions (a long text; the use case refuses line breaks in the others).
	return strings.HasPrefix(field, "description_") || strings.HasPrefix(field, "options_") ||
		strings.HasPrefix(field, "answers.") || strings.Contains(field, ".answers.")
}

// selfChecked are fields that never reach the database and have their own
// stricter rule: a redirect target (next) that is not a safe same-site path
// falls back to the home page (httpx.SafePath), so that a doctored link still
// lets a person sign in.
func selfChecked(field string) bool { return field == "next" }

// hostile is the refusal of a request carrying bytes no field accepts: a
// 400, or a 422 naming the body field when there is one.
func hostile(field ...string) error {
	if len(field) == 1 && field[0] != "" {
		return &apperr.Invalid{Fields: map[string]string{field[0]: "reg.error.text"}}
	}
	return &apperr.Invalid{}
}

// input is the one guard every request's input passes before its handler:
// the path and its parameters, query values, url-encoded and multipart form
// values and JSON bodies must be valid UTF-8 without control characters
// (line breaks and tabs only in multi-line fields), and JSON numbers must fit
// a 64-bit integer or be finite. Otherwise the answer is 400, before any of
// it reaches PostgreSQL (which refuses NUL and invalid UTF-8 with an error
// that would otherwise surface as a 500). A body over the limit, announced
// or not, is 413.
func (s *Server) input() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkInput(c); err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				c.Header("Connection", "close")
			}
			s.env.Fail(c, err)
			return
		}
		c.Next()
	}
}

func checkInput(c *gin.Context) error {
	r := c.Request
	if !plaintext.Valid(r.URL.Path, false) {
		return hostile()
	}
	for _, p := range c.Params {
		if !plaintext.Valid(p.Value, false) || !fitsInt64(p.Value) {
			return hostile()
		}
	}
	// Values that decode are checked; a malformed escape is left to the
	// handler, which sees it dropped.
	q, _ := url.ParseQuery(r.URL.RawQuery)
	if err := checkValues(q, false); err != nil {
		return err
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return bodyErr(err)
		}
		return checkValues(r.PostForm, true)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return bodyErr(err)
		}
		return checkValues(r.MultipartForm.Value, true)
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return bodyErr(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		return checkJSON(body)
	}
	return nil
}

// bodyErr keeps a cut-off body a 413; any other unreadable body is a 400.
func bodyErr(err error) error {
	if errors.As(err, new(*http.MaxBytesError)) {
		return err
	}
	return hostile()
}

func checkValues(vs url.Values, body bool) error {
	for k, list := range vs {
		if !plaintext.Valid(k, false) {
			return hostile()
		}
		if selfChecked(k) {
			continue
		}
		multi := body && multiLine(k)
		for _, v := range list {
			switch {
			case body && !plaintext.Valid(v, multi):
				return hostile(k)
			case !body && (!plaintext.Valid(v, false) || !fitsInt64(v)):
				return hostile()
			}
		}
	}
	return nil
}

// fitsInt64 is false for a decimal integer beyond 64 bits: ids, pages and
// versions in paths and queries are never that long. (Form fields may hold
// long digit strings, such as phone numbers; their handlers check them.)
func fitsInt64(s string) bool {
	d := strings.TrimLeft(s, "+-")
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return true // not an integer
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// checkJSON checks every key, string and number of a JSON body. A body that
// is not JSON at all is left to the handler's own answer.
func checkJSON(body []byte) error {
	// Invalid UTF-8, which encoding/json would quietly turn into U+FFFD, is
	// blamed on the field whose text holds a U+FFFD; a raw control
	// character is not JSON at all.
	raw := !plaintext.Valid(string(body), true)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		if raw {
			return hostile()
		}
		return nil
	}
	if obj, ok := v.(map[string]any); ok {
		for k, e := range obj {
			if !plaintext.Valid(k, false) {
				return hostile()
			}
			if s, ok := e.(string); ok && raw && strings.ContainsRune(s, '\uFFFD') {
				return hostile(k)
			}
			if !cleanJSON(e, k) {
				if _, ok := e.(string); ok {
					return hostile(k)
				}
				return hostile()
			}
		}
	} else if !cleanJSON(v, "") {
		return hostile()
	}
	if raw {
		return hostile()
	}
	return nil
}

func cleanJSON(v any, field string) bool {
	switch x := v.(type) {
	case string:
		return plaintext.Valid(x, multiLine(field))
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return true
		}
		if !strings.ContainsAny(string(x), ".eE") {
			return false // an integer beyond 64 bits
		}
		f, err := strconv.ParseFloat(string(x), 64)
		return err == nil && !math.IsInf(f, 0)
	case []any:
		for _, e := range x {
			if !cleanJSON(e, field) {
				return false
			}
		}
	case map[string]any:
		for k, e := range x {
			// The values of a multi-line object ("body": {"lv": ...}) are multi-line.
			child := k
			if multiLine(field) {
				child = field
			}
			if !plaintext.Valid(k, false) || !cleanJSON(e, child) {
				return false
			}
		}
	}
	return true
}
