package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The import API: a dry run stores nothing, a file with bad rows names each
// row and column and stores nothing, the file imports, and again changes nothing.
func TestImportAPI(t *testing.T) {
	f := newFixture(t, nil)
	ev := f.eventA // the demo's event that begins today
	today := ev.FirstDay.Format("2006-01-02")
	post := func(c caller, query, ctype, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/events/"+ev.Slug+"/imports"+query, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-File-Name", "people.csv")
		req.Header.Set("Authorization", "Bearer "+c.bearer)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	count := func() int {
		var n int
		f.st.DB.Get(&n, `SELECT count(*) FROM registrations WHERE event_id = $1 AND source = 'import'`, ev.ID)
		return n
	}
	type result struct {
		Rows, Created, Updated, Unchanged, Admissions int
		DryRun                                        bool `json:"dry_run"`
		Errors                                        []struct {
			Row                   int
			Column, Code, Message string
		}
	}
	c := f.as(t, "token-report")
	good := "\ufefffirst_name;last_name;email;city;country;participation;partner;attended\n" +
		"Agnieszka;Wiśniewska;agnieszka@example.pl;Łódź;PL;local;;" + today + "\n" +
		"Jonas;Petraitis;jonas.import@example.lt;Kaunas;Lithuania;invited;kaunas;" + today + "\n"

	if rec := post(c, "", "application/json", `{}`); rec.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("JSON body: %d", rec.Code)
	}
	rec := post(c, "?dry_run=true", "text/csv", good)
	var res result
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil || !res.DryRun || res.Created != 2 || res.Admissions != 2 {
		t.Fatalf("dry run: %d %s", rec.Code, rec.Body)
	}
	if n := count(); n != 0 {
		t.Fatalf("a dry run stored %d", n)
	}

	bad := "first_name,last_name,email,city,country,participation\nAin,Tamm,ain@example.ee,Tartu,EE,other\nLiis,Kask,liis@,Tartu,Narnia,other\n"
	rec = post(c, "", "text/csv; charset=utf-8", bad)
	var rej struct {
		Error  struct{ Code, Message string }
		Result result
	}
	if rec.Code != http.StatusUnprocessableEntity || json.Unmarshal(rec.Body.Bytes(), &rej) != nil || rej.Error.Code != "invalid_rows" ||
		len(rej.Result.Errors) != 2 || rej.Result.Errors[0].Row != 3 || rej.Result.Errors[0].Column != "C" || rej.Result.Errors[1].Column != "E" ||
		rej.Result.Errors[0].Message == "" {
		t.Fatalf("bad rows: %d %s", rec.Code, rec.Body)
	}
	if n := count(); n != 0 {
		t.Fatalf("a bad file stored %d", n)
	}

	rec = post(c, "", "text/csv", good)
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil || res.Created != 2 || res.Admissions != 2 {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	var actor string
	f.st.DB.Get(&actor, `SELECT actor FROM audit_log WHERE action = 'registrations.import' ORDER BY id DESC LIMIT 1`)
	if actor != "user:"+itoa(f.users["coordinator"].ID) {
		t.Errorf("audited as %q", actor)
	}
	var admittedBy int64
	f.st.DB.Get(&admittedBy, `SELECT user_id FROM admissions WHERE event_id = $1 AND method = 'import' LIMIT 1`, ev.ID)
	if admittedBy != f.users["coordinator"].ID {
		t.Errorf("admissions made by user %d", admittedBy)
	}
	rec = post(c, "", "text/csv", good)
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil || res.Created != 0 || res.Unchanged != 2 || res.Admissions != 0 {
		t.Fatalf("again: %d %s", rec.Code, rec.Body)
	}

	// A file larger than 1 MiB (the limit of other routes) is taken; over 10 MiB is not.
	var big bytes.Buffer
	big.WriteString("first_name,last_name,email,city,country,participation,notes\n")
	note := strings.Repeat("n", 3000)
	for i := 0; big.Len() < 1200*1024; i++ {
		big.WriteString("Person,Number" + itoa(int64(i)) + ",p" + itoa(int64(i)) + "@example.org,Tartu,EE,other," + note + "\n")
	}
	if rec := post(c, "?dry_run=1&over_capacity=true", "text/csv", big.String()); rec.Code != http.StatusOK {
		t.Fatalf("1.2 MiB file: %d %.300s", rec.Code, rec.Body)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/events/"+ev.Slug+"/imports", bytes.NewReader(make([]byte, 11<<20)))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+c.bearer)
	rec = httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("11 MiB: %d", rec.Code)
	}

	// A door device's token may not import.
	if rec := post(f.as(t, "token-scan"), "", "text/csv", good); rec.Code != http.StatusForbidden {
		t.Fatalf("scan token: %d", rec.Code)
	}
}
