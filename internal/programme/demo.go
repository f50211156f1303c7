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
// export shows from the first run that names survive unchanged.
var names = map[string]struct{ first, last []string }{
	"LV": {
		[]string{"Jānis", "Anna", "Andris", "Līga", "Kristīne", "Mārtiņš", "Ilze", "Edgars", "Inese", "Dāvis", "Zane", "Aleksandrs", "Jeļena", "Sergejs", "Oļegs", "Natālija", "Ināra", "Raimonds"},
		[]string{"Bērziņš", "Kalniņa", "Ozoliņš", "Liepiņa", "Krūmiņš", "Vītola", "Jansons", "Petrovs", "Ivanova", "Kozlovs", "Zariņa", "Pētersons", "Grīnberga", "Ķiploks", "Skuja", "Dzērve"},
	},
	"LV-ru": {
		[]string{"Алексей", "Наталья", "Сергей", "Ольга", "Дмитрий", "Ирина"},
		[]string{"Щукин", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева"},
	},
	"LT": {
		[]string{"Jūratė", "Rūta", "Mindaugas", "Tomas", "Eglė", "Gintarė", "Darius", "Žydrūnas", "Aistė", "Vytautas"},
		[]string{"Žemaitė", "Kazlauskas", "Petrauskienė", "Jankauskas", "Vasiliauskaitė", "Butkus", "Paulauskas", "Urbonaitė"},
	},
	"PL": {
		[]string{"Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Krzysztof", "Zofia", "Michał", "Katarzyna"},
		[]string{"Wójcik", "Kowalska", "Nowak", "Wiśniewski", "Kamińska", "Lewandowski", "Zieliński", "Dąbrowska"},
	},
	"DE": {
		[]string{"Jürgen", "Anke", "Tobias", "Sören", "Käthe", "Lukas", "Miriam", "Jörg"},
		[]string{"Müller", "Schäfer", "Weiß", "Köhler", "Groß", "Hoffmann", "Böhm", "Krüger"},
	},
	"RO": {
		[]string{"Ștefan", "Ioana", "Andrei", "Mădălina", "Răzvan", "Elena", "Bogdan", "Oana"},
		[]string{"Țurcanu", "Popescu", "Ionescu", "Mureșan", "Stănescu", "Dumitrașcu", "Nistor", "Pop"},
	},
	"IT": {
		[]string{"Giulia", "Francesco", "Chiara", "Salvatore", "Rosalia", "Niccolò", "Martina", "Giuseppe"},
		[]string{"Russo", "La Rosa", "Lo Bianco", "Caruso", "Greco", "Di Stefano", "Mancuso", "Ferrara"},
	},
	"DK": {
		[]string{"Søren", "Mette", "Jørgen", "Anne", "Mads", "Signe", "Rasmus", "Bjørn", "Freja"},
		[]string{"Ærø", "Jørgensen", "Nielsen", "Sørensen", "Østergaard", "Kjær", "Madsen", "Lund"},
	},
	"ES": {
		[]string{"José", "María", "Lucía", "Alejandro", "Begoña", "Íñigo", "Nuria", "Sergio"},
		[]string{"Núñez", "García", "Martínez", "Peña", "Ibáñez", "López", "Sánchez", "Muñoz"},
	},
	"PT": {[]string{"João", "Inês", "Gonçalo", "Mariana"}, []string{"Gonçalves", "Conceição", "Simões", "Magalhães"}},
	"GB": {[]string{"Oliver", "Emily", "Harry", "Sophie"}, []string{"Smith", "O'Brien", "Taylor", "Clarke"}},
	"UA": {[]string{"Олександр", "Оксана", "Дмитро"}, []string{"Шевченко", "Коваленко", "Бондаренко"}},
	"GE": {[]string{"Giorgi", "Nino", "Levan"}, []string{"Beridze", "Kapanadze", "Gelashvili"}},
}

var languageOf = map[string]string{"LV": "lv", "LT": "lt", "PL": "pl", "DE": "de", "RO": "ro", "IT": "it",
	"DK": "da", "ES": "es", "PT": "en", "GB": "en", "UA": "en", "GE": "en"}

var organisations = map[string][]string{
	"local":   {"", "", "Daugavpils University", "Local NGO", "Secondary school", "Youth centre", "Retired", ""},
	"invited": {"City council", "Municipal development agency", "Youth council", "Regional NGO"},
	"other":   {"University", "Independent researcher", "Civic association", ""},
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
		{"ES", "Cuenca", "cuenca", "invited", 5}, {"PL", "Warsaw", "", "other", 4}, {"UA", "Lviv", "", "other", 2},
	},
	5: {
		{"LV", "Daugavpils", "", "local", 38},
		{"LT", "Kaunas", "kaunas", "invited", 4}, {"PL", "Lodz", "lodz", "invited", 3},
		{"DK", "Vejle", "vejle", "invited", 2}, {"LV", "Riga", "", "other", 2},
	},
}

var ageBands = []string{"under-18", "18-25", "26-35", "36-50", "51-65", "over-65"}
var genders = []string{"female", "male", "other"}

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
	first, last := nl.first[rng.IntN(len(nl.first))], nl.last[rng.IntN(len(nl.last))]
	email := fmt.Sprintf("%s.%s.%d@example.org", asciiSlug(first, "participant"), asciiSlug(last, "demo"), seq)
	lang := languageOf[g.country]
	if key == "LV-ru" {
		lang = "ru"
	}
	orgs := organisations[g.participation]
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
		r.Gender = genders[rng.IntN(len(genders))]
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
