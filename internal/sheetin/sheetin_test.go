package sheetin_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/decode-attend/attend/internal/sheetin"
)

func TestReadCSV(t *testing.T) {
	for name, tc := range map[string]struct {
		in   string
		head []string
		rows []sheetin.Row
	}{
		"comma": {"a,b\n1,2\n", []string{"a", "b"}, []sheetin.Row{{Line: 2, Cells: []string{"1", "2"}}}},
		"semicolon, BOM, CRLF, quoted separator": {"\ufeffa;b\r\n\"1;5\";2\r\n", []string{"a", "b"},
			[]sheetin.Row{{Line: 2, Cells: []string{"1;5", "2"}}}},
		"blank lines keep their numbers, short rows are padded": {"a,b,\n\n1\n,\n3,4\n", []string{"a", "b"},
			[]sheetin.Row{{Line: 3, Cells: []string{"1", ""}}, {Line: 5, Cells: []string{"3", "4"}}}},
		"a neutralised export cell reads as written": {"phone\n'+371 2000\n'x\n", []string{"phone"},
			[]sheetin.Row{{Line: 2, Cells: []string{"+371 2000"}}, {Line: 3, Cells: []string{"'x"}}}},
	} {
		sh, err := sheetin.Read([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(sh.Header, tc.head) || !reflect.DeepEqual(sh.Rows, tc.rows) || sh.Format != sheetin.CSV {
			t.Errorf("%s: %q %+v", name, sh.Header, sh.Rows)
		}
	}
	for in, want := range map[string]error{"": sheetin.ErrEmpty, "\n\n": sheetin.ErrEmpty, "a\xff,b\n": sheetin.ErrEncoding, "a\x00\n": sheetin.ErrEncoding} {
		if _, err := sheetin.Read([]byte(in)); !errors.Is(err, want) {
			t.Errorf("%q: %v, want %v", in, err, want)
		}
	}
}

func TestReadXLSX(t *testing.T) {
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "First name")
	x.SetCellValue("Sheet1", "B1", "Days")
	x.SetCellValue("Sheet1", "A2", "Anna")
	x.SetCellValue("Sheet1", "B4", "2019-11-14") // rows 3 is empty, row 4 has only B
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sh, err := sheetin.Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []sheetin.Row{{Line: 2, Cells: []string{"Anna", ""}}, {Line: 4, Cells: []string{"", "2019-11-14"}}}
	if sh.Format != sheetin.XLSX || !reflect.DeepEqual(sh.Header, []string{"First name", "Days"}) || !reflect.DeepEqual(sh.Rows, want) {
		t.Fatalf("%+v", sh)
	}
	if _, err := sheetin.Read([]byte("PK\x03\x04not a zip")); !errors.Is(err, sheetin.ErrFormat) {
		t.Fatalf("broken workbook: %v", err)
	}
}

func TestNormalize(t *testing.T) {
	for _, s := range []string{"First name", "first_name", " FIRST-NAME ", "First\u00a0Name"} {
		if got := sheetin.Normalize(s); got != "firstname" {
			t.Errorf("%q -> %q", s, got)
		}
	}
	if sheetin.Normalize("E-pasts") != "epasts" || sheetin.Normalize("Vārds") != "vārds" {
		t.Error("letters beyond ASCII")
	}
}
