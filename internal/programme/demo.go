package programme

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/decode-attend/attend/internal/store"
)

// Synthetic names with each language's diacritics, so that every page and
// export shows from the first run that names survive unchanged. Surnames are
// given in every form a language has: Latvian, Lithuanian and Polish surnames
// agree with the person's gender (Zane Bērziņa, Jonas Kazlauskas, Rūta
// Kazlauskienė or Kazlauskaitė, Zofia Kowalska), so a local reads them as real.
type given struct {
	name   string
	female bool
}

// surname is a family name's masculine and feminine forms; Lithuanian has two
// feminine ones (married -ienė, unmarried -aitė/-ytė/-utė), maiden the second.
type surname struct{ m, f, maiden string }

// of is the surname a person with the given first name bears.
func (s surname) of(g given, seq int) string {
	switch {
	case !g.female:
		return s.m
	case s.maiden != "" && seq%2 == 1:
		return s.maiden
	case s.f != "":
		return s.f
	}
	return s.m
}

// he and she are first names of men and women.
func he(n string) given  { return given{n, false} }
func she(n string) given { return given{n, true} }

// same is a surname with one form for everyone.
func same(n string) surname { return surname{m: n} }

var names = map[string]struct {
	first []given
	last  []surname
}{
	"LV": {
		[]given{he("Jānis"), she("Anna"), he("Andris"), she("Līga"), she("Kristīne"), he("Mārtiņš"), she("Ilze"), he("Edgars"), she("Inese"),
			he("Dāvis"), she("Zane"), he("Aleksandrs"), she("Jeļena"), he("Sergejs"), he("Oļegs"), she("Natālija"), she("Ināra"), he("Raimonds")},
		[]surname{{m: "Bērziņš", f: "Bērziņa"}, {m: "Kalniņš", f: "Kalniņa"}, {m: "Ozoliņš", f: "Ozoliņa"}, {m: "Liepiņš", f: "Liepiņa"},
			{m: "Krūmiņš", f: "Krūmiņa"}, {m: "Vītols", f: "Vītola"}, {m: "Jansons", f: "Jansone"}, {m: "Petrovs", f: "Petrova"},
			{m: "Ivanovs", f: "Ivanova"}, {m: "Kozlovs", f: "Kozlova"}, {m: "Zariņš", f: "Zariņa"}, {m: "Pētersons", f: "Pētersone"},
			{m: "Grīnbergs", f: "Grīnberga"}, {m: "Ķiploks", f: "Ķiploka"}, same("Skuja"), same("Dzērve")},
	},
	// Daugavpils' Russian speakers, spelt as their Latvian documents spell them.
	"LV-ru": {
		[]given{he("Aleksejs"), she("Natālija"), he("Sergejs"), she("Olga"), he("Dmitrijs"), she("Irina")},
		[]surname{{m: "Ščukins", f: "Ščukina"}, {m: "Smirnovs", f: "Smirnova"}, {m: "Kuzņecovs", f: "Kuzņecova"},
			{m: "Popovs", f: "Popova"}, {m: "Sokolovs", f: "Sokolova"}, {m: "Lebedevs", f: "Lebedeva"}},
	},
	"LT": {
		[]given{she("Jūratė"), she("Rūta"), he("Mindaugas"), he("Tomas"), she("Eglė"), she("Gintarė"), he("Darius"), he("Žydrūnas"), she("Aistė"), he("Vytautas")},
		[]surname{{"Žemaitis", "Žemaitienė", "Žemaitytė"}, {"Kazlauskas", "Kazlauskienė", "Kazlauskaitė"},
			{"Petrauskas", "Petrauskienė", "Petrauskaitė"}, {"Jankauskas", "Jankauskienė", "Jankauskaitė"},
			{"Vasiliauskas", "Vasiliauskienė", "Vasiliauskaitė"}, {"Butkus", "Butkienė", "Butkutė"},
			{"Paulauskas", "Paulauskienė", "Paulauskaitė"}, {"Urbonas", "Urbonienė", "Urbonaitė"}},
	},
	"PL": {
		[]given{he("Łukasz"), she("Małgorzata"), he("Paweł"), she("Agnieszka"), he("Krzysztof"), she("Zofia"), he("Michał"), she("Katarzyna")},
		[]surname{same("Wójcik"), {m: "Kowalski", f: "Kowalska"}, same("Nowak"), {m: "Wiśniewski", f: "Wiśniewska"},
			{m: "Kamiński", f: "Kamińska"}, {m: "Lewandowski", f: "Lewandowska"}, {m: "Zieliński", f: "Zielińska"},
			{m: "Dąbrowski", f: "Dąbrowska"}},
	},
	"DE": {
		[]given{he("Jürgen"), she("Anke"), he("Tobias"), he("Sören"), she("Käthe"), he("Lukas"), she("Miriam"), he("Jörg")},
		[]surname{same("Müller"), same("Schäfer"), same("Weiß"), same("Köhler"), same("Groß"), same("Hoffmann"), same("Böhm"), same("Krüger")},
	},
	"RO": {
		[]given{he("Ștefan"), she("Ioana"), he("Andrei"), she("Mădălina"), he("Răzvan"), she("Elena"), he("Bogdan"), she("Oana")},
		[]surname{same("Țurcanu"), same("Popescu"), same("Ionescu"), same("Mureșan"), same("Stănescu"), same("Dumitrașcu"), same("Nistor"), same("Pop")},
	},
	"IT": {
		[]given{she("Giulia"), he("Francesco"), she("Chiara"), he("Salvatore"), she("Rosalia"), he("Niccolò"), she("Martina"), he("Giuseppe")},
		[]surname{same("Russo"), same("La Rosa"), same("Lo Bianco"), same("Caruso"), same("Greco"), same("Di Stefano"), same("Mancuso"), same("Ferrara")},
	},
	"DK": {
		[]given{he("Søren"), she("Mette"), he("Jørgen"), she("Anne"), he("Mads"), she("Signe"), he("Rasmus"), he("Bjørn"), she("Freja")},
		[]surname{same("Ærø"), same("Jørgensen"), same("Nielsen"), same("Sørensen"), same("Østergaard"), same("Kjær"), same("Madsen"), same("Lund")},
	},
	"ES": {
		[]given{he("José"), she("María"), she("Lucía"), he("Alejandro"), she("Begoña"), he("Íñigo"), she("Nuria"), he("Sergio")},
		[]surname{same("Núñez"), same("García"), same("Martínez"), same("Peña"), same("Ibáñez"), same("López"), same("Sánchez"), same("Muñoz")},
	},
	"PT": {[]given{he("João"), she("Inês"), he("Gonçalo"), she("Mariana")}, []surname{same("Gonçalves"), same("Conceição"), same("Simões"), same("Magalhães")}},
	"GB": {[]given{he("Oliver"), she("Emily"), he("Harry"), she("Sophie")}, []surname{same("Smith"), same("O'Brien"), same("Taylor"), same("Clarke")}},
	"UA": {[]given{he("Олександр"), she("Оксана"), he("Дмитро")}, []surname{same("Шевченко"), same("Коваленко"), same("Бондаренко")}},
	"GE": {[]given{he("Giorgi"), she("Nino"), he("Levan")}, []surname{same("Beridze"), same("Kapanadze"), same("Gelashvili")}},
}

var languageOf = map[string]string{"LV": "lv", "LT": "lt", "PL": "pl", "DE": "de", "RO": "ro", "IT": "it",
	"DK": "da", "ES": "es", "PT": "en", "GB": "en", "UA": "en", "GE": "en"}

// townOrganisations are where people of a town work or study, named the way
// the town names them; an empty name is someone who gave none.
var townOrganisations = map[string][]string{
	"Daugavpils": {"", "", "Daugavpils valstspilsētas pašvaldība", "Daugavpils Universitāte", "Daugavpils Valsts ģimnāzija", "Latgales Centrālā bibliotēka", ""},
	"Rēzekne":    {"Rēzeknes Tehnoloģiju akadēmija", "Rēzeknes valstspilsētas pašvaldība", ""},
	"Rīga":       {"Latvijas Universitāte", ""},
	"Kaunas":     {"", "Kauno miesto savivaldybė", "Vytauto Didžiojo universitetas", "Kauno technologijos universitetas", ""},
	"Vilnius":    {"Vilniaus universitetas", ""},
	"Lodz":       {"", "Urząd Miasta Łodzi", "Uniwersytet Łódzki", "Politechnika Łódzka", ""},
	"Warszawa":   {"Uniwersytet Warszawski", ""},
	"Magdeburg":  {"Landeshauptstadt Magdeburg", "Otto-von-Guericke-Universität Magdeburg"},
	"Oradea":     {"Primăria Municipiului Oradea", "Universitatea din Oradea"},
	"Palermo":    {"", "Comune di Palermo", "Università degli Studi di Palermo", ""},
	"Vejle":      {"Vejle Kommune", "Vejle Bibliotekerne"},
	"Cuenca":     {"Ayuntamiento de Cuenca", "Universidad de Castilla-La Mancha"},
	"Tbilisi":    {"Tbilisi State University", ""},
	"Lviv":       {"Львівська міська рада", ""},
}

// group is a block of synthetic participants of one kind for one event.
type group struct {
	country, city string
	partner       string // partner slug for invited participants
	participation string
	n             int
}

// demoGroups is who came to each event (by event number).
var demoGroups = map[int][]group{
	1: {
		{"LV", "Daugavpils", "", "local", 42},
		{"LT", "Kaunas", "kaunas", "invited", 5}, {"PL", "Lodz", "lodz", "invited", 4},
		{"DE", "Magdeburg", "magdeburg", "invited", 3}, {"RO", "Oradea", "oradea", "invited", 3},
		{"IT", "Palermo", "palermo", "invited", 3}, {"DK", "Vejle", "vejle", "invited", 3},
		{"ES", "Cuenca", "cuenca", "invited", 3},
		{"LV", "Rēzekne", "", "other", 3}, {"UA", "", "", "other", 1}, {"GE", "Tbilisi", "", "other", 2},
	},
	2: {
		{"LT", "Kaunas", "", "local", 30},
		{"LV", "Daugavpils", "daugavpils", "invited", 6}, {"PL", "Lodz", "lodz", "invited", 4},
		{"DE", "Magdeburg", "magdeburg", "invited", 3}, {"RO", "Oradea", "oradea", "invited", 3},
		{"IT", "Palermo", "palermo", "invited", 3}, {"DK", "Vejle", "vejle", "invited", 3},
		{"ES", "Cuenca", "cuenca", "invited", 3}, {"LT", "Vilnius", "", "other", 3},
	},
	3: {
		{"IT", "Palermo", "", "local", 35},
		{"LV", "Daugavpils", "daugavpils", "invited", 5}, {"LT", "Kaunas", "kaunas", "invited", 4},
		{"PL", "Lodz", "lodz", "invited", 4}, {"DE", "Magdeburg", "magdeburg", "invited", 3},
		{"RO", "Oradea", "oradea", "invited", 4}, {"DK", "Vejle", "vejle", "invited", 3},
		{"ES", "Cuenca", "cuenca", "invited", 4},
		{"PT", "", "", "other", 3}, {"GB", "", "", "other", 2},
	},
	4: {
		{"PL", "Lodz", "", "local", 50},
		{"LV", "Daugavpils", "daugavpils", "invited", 6}, {"LT", "Kaunas", "kaunas", "invited", 5},
		{"DE", "Magdeburg", "magdeburg", "invited", 5}, {"RO", "Oradea", "oradea", "invited", 5},
		{"IT", "Palermo", "palermo", "invited", 5}, {"DK", "Vejle", "vejle", "invited", 4},
		{"ES", "Cuenca", "cuenca", "invited", 5}, {"PL", "Warszawa", "", "other", 4}, {"UA", "Lviv", "", "other", 2},
	},
	5: {
		{"LV", "Daugavpils", "", "local", 38},
		{"LT", "Kaunas", "kaunas", "invited", 4}, {"PL", "Lodz", "lodz", "invited", 3},
		{"DK", "Vejle", "vejle", "invited", 2}, {"LV", "Rīga", "", "other", 2},
	},
}

var ageBands = []string{"under-18", "18-25", "26-35", "36-50", "51-65", "over-65"}

// GenerateDemo adds synthetic registrations and attendance to the seeded
// project: past events fully attended, event 4 (today) partly admitted, event 5
// open for registration. The random source is fixed so every demo looks alike.
func GenerateDemo(ctx context.Context, st *store.Store, q sqlx.ExtContext, p store.Project, now time.Time) error {
	rng := rand.New(rand.NewPCG(2018, 2020))
	evs, err := st.ProjectEvents(ctx, q, p.ID)
	if err != nil {
		return err
	}
	parts, err := st.Partners(ctx, q, p.ID)
	if err != nil {
		return err
	}
	partnerID := map[string]int64{}
	for _, pt := range parts {
		partnerID[pt.Slug] = pt.ID
	}
	seq := 0
	for _, ev := range evs {
		loc, err := time.LoadLocation(ev.TimeZone)
		if err != nil {
			return err
		}
		days := ev.Days()
		today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, time.UTC)
		for _, g := range demoGroups[ev.Number] {
			for i := 0; i < g.n; i++ {
				seq++
				r, regDays := demoPerson(rng, seq, ev, g, days, partnerID, now)
				if err := st.InsertRegistration(ctx, q, &r, regDays); err != nil {
					return fmt.Errorf("demo registration: %w", err)
				}
				if r.Status != "confirmed" {
					continue
				}
				for _, d := range regDays {
					past := d.Before(today)
					isToday := d.Equal(today)
					// Past days: most came. Today: about a third are in already.
					if !(past && rng.Float64() < 0.92) && !(isToday && rng.Float64() < 0.33) {
						continue
					}
					at := time.Date(d.Year(), d.Month(), d.Day(), 8, 30, 0, 0, loc).Add(time.Duration(rng.IntN(120)) * time.Minute)
					if isToday {
						at = now.Add(-time.Duration(1+rng.IntN(90)) * time.Minute)
					}
					a := store.Admission{EventID: ev.ID, RegistrationID: r.ID, Day: d, AdmittedAt: at, Method: "qr"}
					if err := st.InsertAdmission(ctx, q, &a); err != nil {
						return fmt.Errorf("demo admission: %w", err)
					}
				}
			}
		}
		if err := st.RecountSeats(ctx, q, ev.ID); err != nil {
			return err
		}
	}
	return nil
}

func demoPerson(rng *rand.Rand, seq int, ev store.Event, g group, days []time.Time, partnerID map[string]int64, now time.Time) (store.Registration, []time.Time) {
	key := g.country
	if g.country == "LV" && rng.IntN(4) == 0 {
		key = "LV-ru" // Daugavpils has many Russian speakers
	}
	nl := names[key]
	person := nl.first[rng.IntN(len(nl.first))]
	first, last := person.name, nl.last[rng.IntN(len(nl.last))].of(person, seq)
	email := fmt.Sprintf("%s.%s.%d@example.org", asciiSlug(first, "participant"), asciiSlug(last, "demo"), seq)
	lang := languageOf[g.country]
	if key == "LV-ru" {
		lang = "ru"
	}
	orgs := townOrganisations[g.city]
	if len(orgs) == 0 {
		orgs = []string{""}
	}
	r := store.Registration{
		EventID: ev.ID, Status: store.StatusConfirmed, FirstName: first, LastName: last, Email: &email,
		Country: g.country, City: g.city, Organisation: orgs[rng.IntN(len(orgs))],
		Participation: store.Participation(g.participation), Language: lang, Source: "demo",
	}
	if g.partner != "" {
		id := partnerID[g.partner]
		r.PartnerID = &id
	}
	if rng.IntN(3) == 0 {
		r.AgeBand = ageBands[rng.IntN(len(ageBands))]
	}
	if rng.IntN(3) == 0 {
		// Those who state a gender mostly state the one their name suggests.
		r.Gender = "male"
		if person.female {
			r.Gender = "female"
		}
		if rng.IntN(20) == 0 {
			r.Gender = "other"
		}
	}
	if rng.IntN(12) == 0 {
		r.NeedsDiet = "Vegetarian"
	}
	created := ev.FirstDay.AddDate(0, 0, -10-rng.IntN(50)).Add(time.Duration(rng.IntN(12*60)) * time.Minute)
	if created.After(now) {
		created = now.Add(-time.Duration(1+rng.IntN(72)) * time.Hour)
	}
	r.CreatedAt = created
	// Every registration has its private-link nonce (see registration.ManageURL).
	r.ManageNonce = make([]byte, 16)
	crand.Read(r.ManageNonce)
	r.ConfirmedAt = &created
	r.PrivacyAcceptedAt = &created
	r.PhotoConsent = rng.IntN(2) == 0
	if rng.IntN(30) == 0 {
		r.Status = "cancelled"
		c := created.Add(48 * time.Hour)
		r.CancelledAt = &c
	}
	regDays := days
	if len(days) > 1 && rng.IntN(5) == 0 {
		// Some come for one day only.
		regDays = []time.Time{days[rng.IntN(len(days))]}
	}
	return r, regDays
}

// asciiSlug strips diacritics for a synthetic e-mail local part.
func asciiSlug(s, fallback string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, _ := transform.String(t, s)
	out = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 32
		case r == 'ł' || r == 'Ł':
			return 'l'
		case r == 'ø' || r == 'Ø':
			return 'o'
		case r == 'æ' || r == 'Æ':
			return 'a'
		case r == 'ß':
			return 's'
		}
		return -1
	}, out)
	if out == "" {
		return fallback
	}
	return out
}
