package certificates

import "testing"

// BenchmarkPDF measures one certificate page: a send renders one per attendee.
func BenchmarkPDF(b *testing.B) {
	d := Document{Lang: "lv", Title: "Dalības apliecība", Certify: "Ar šo apliecina, ka", Name: "Jūratė Žemaitė",
		Attended: "piedalījās pasākumā", Event: "Noslēguma konference", Held: "Daugavpils, Latvija, 1.–3.12.2026.",
		Days: []string{"pirmd. 01.12.2026."}, Project: []string{"Projekts: DeCoDe"}, Signatory: "Inese Ozola",
		VerifyURL: "https://events.example.lv/verify/AQECUkEzU7OiAQEAAF3gQ5wXS7Ca7l"}
	for b.Loop() {
		if _, err := PDF(d); err != nil {
			b.Fatal(err)
		}
	}
}
