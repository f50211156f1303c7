// Package programme loads the DeCoDe programme (project, partners, rule sets,
// events) as data, and the demo data set built on it.
package programme

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
)

// ProjectCode is the DeCoDe project's code in URLs, the CLI and the API.
const ProjectCode = "decode"

// EU member states in 2014-2020 (28, the United Kingdom included).
var eu28 = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
	"LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB"}

// Countries with an agreement with Europe for Citizens.
var efcAgreement = []string{"AL", "BA", "MK", "ME", "RS"}

// RuleSets are what the seed adds beside the funders' presets (shipped by
// migration 0085): one editable set administrators may change.
func RuleSets() []store.RuleSet {
	return []store.RuleSet{
		{
			Code: "custom", Name: "Custom rules", Names: store.Texts{"en": "Custom rules"},
			Rules: store.JSON(`[
				{"rule": "min_events", "min": 4},
				{"rule": "invited_share_per_event", "min": 0.30}
			]`),
			EligibleCountries: append(append([]string{}, eu28...), efcAgreement...),
			Editable:          true,
		},
	}
}

// EnsureRuleSets adds the seed's rule sets that are not there yet and returns
// the id of the DeCoDe project's own (the Networks of Towns preset).
func EnsureRuleSets(ctx context.Context, st *store.Store, q sqlx.ExtContext) (int64, error) {
	for _, rs := range RuleSets() {
		if _, err := st.RuleSetByCode(ctx, q, rs.Code); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		if err := st.CreateRuleSet(ctx, q, &rs); err != nil {
			return 0, fmt.Errorf("seed rule set %s: %w", rs.Code, err)
		}
	}
	efc, err := st.RuleSetByCode(ctx, q, "efc-not")
	return efc.ID, err
}

type partnerSeed struct {
	slug, org, city, country string
	orgs                     store.Texts // see store.Partner.OrganisationTexts
	names                    store.Texts // see store.Partner.CityTexts
}

// Partners are named as their towns name them (the organisation in its own
// language, and as the other languages would render it); the towns' names are each
// language's own (exonyms where a language has one: Kowno, Dyneburg, Lodzė),
// with the genitive after "from" for the languages that decline them.
// Forms not certain are left out: the text then says "from the city of X".
var partners = []partnerSeed{
	{"daugavpils", "Daugavpils valstspilsētas pašvaldība", "Daugavpils", "LV", store.Texts{"en": "Daugavpils City Council", "lv": "Daugavpils valstspilsētas pašvaldība", "ru": "Самоуправление государственного города Даугавпилс", "lt": "Daugpilio valstybinio miesto savivaldybė", "pl": "Samorząd miasta Dyneburg", "de": "Stadtverwaltung Daugavpils", "ro": "Municipalitatea Daugavpils", "it": "Comune di Daugavpils", "da": "Daugavpils Kommune", "es": "Ayuntamiento de Daugavpils"}, store.Texts{
		"en": "Daugavpils", "lv": "Daugavpils", "lv-gen": "Daugavpils", "lt": "Daugpilis", "lt-gen": "Daugpilio",
		"pl": "Dyneburg", "pl-gen": "Dyneburga", "ru": "Даугавпилс", "ru-gen": "Даугавпилса",
		"de": "Daugavpils", "ro": "Daugavpils", "it": "Daugavpils", "da": "Daugavpils", "es": "Daugavpils"}},
	{"kaunas", "Kauno miesto savivaldybė", "Kaunas", "LT", store.Texts{"en": "Kaunas City Municipality", "lt": "Kauno miesto savivaldybė", "lv": "Kauņas pilsētas pašvaldība", "ru": "Самоуправление города Каунаса", "pl": "Samorząd miasta Kowna", "de": "Stadtverwaltung Kaunas", "ro": "Municipalitatea Kaunas", "it": "Comune di Kaunas", "da": "Kaunas Kommune", "es": "Ayuntamiento de Kaunas"}, store.Texts{
		"en": "Kaunas", "lv": "Kauņa", "lv-gen": "Kauņas", "lt": "Kaunas", "lt-gen": "Kauno",
		"pl": "Kowno", "pl-gen": "Kowna", "ru": "Каунас", "ru-gen": "Каунаса",
		"de": "Kaunas", "ro": "Kaunas", "it": "Kaunas", "da": "Kaunas", "es": "Kaunas"}},
	{"lodz", "Urząd Miasta Łodzi", "Lodz", "PL", store.Texts{"en": "City of Łódź Office", "pl": "Urząd Miasta Łodzi", "lv": "Lodzas pilsētas dome", "lt": "Lodzės miesto savivaldybė", "ru": "Мэрия города Лодзи", "de": "Stadtverwaltung Łódź", "ro": "Primăria orașului Łódź", "it": "Comune di Łódź", "da": "Łódź Kommune", "es": "Ayuntamiento de Lodz"}, store.Texts{
		"en": "Łódź", "lv": "Lodza", "lv-gen": "Lodzas", "lt": "Lodzė", "lt-gen": "Lodzės",
		"pl": "Łódź", "pl-gen": "Łodzi", "ru": "Лодзь", "ru-gen": "Лодзи",
		"de": "Lodz", "ro": "Łódź", "it": "Łódź", "da": "Łódź", "es": "Lodz"}},
	{"magdeburg", "Landeshauptstadt Magdeburg", "Magdeburg", "DE", store.Texts{"en": "City of Magdeburg", "de": "Landeshauptstadt Magdeburg", "lv": "Magdeburgas pilsētas pašvaldība", "lt": "Magdeburgo miesto savivaldybė", "pl": "Urząd Miasta Magdeburga", "ru": "Администрация города Магдебурга", "ro": "Primăria orașului Magdeburg", "it": "Comune di Magdeburgo", "da": "Magdeburg Kommune", "es": "Ayuntamiento de Magdeburgo"}, store.Texts{
		"en": "Magdeburg", "lv": "Magdeburga", "lv-gen": "Magdeburgas", "lt": "Magdeburgas", "lt-gen": "Magdeburgo",
		"pl": "Magdeburg", "pl-gen": "Magdeburga", "ru": "Магдебург", "ru-gen": "Магдебурга",
		"de": "Magdeburg", "ro": "Magdeburg", "it": "Magdeburgo", "da": "Magdeburg", "es": "Magdeburgo"}},
	{"oradea", "Primăria Municipiului Oradea", "Oradea", "RO", store.Texts{"en": "Oradea City Hall", "ro": "Primăria Municipiului Oradea", "lv": "Oradea pilsētas pašvaldība", "lt": "Oradėjos miesto savivaldybė", "pl": "Urząd Miasta Oradea", "ru": "Мэрия муниципия Орадя", "de": "Stadtverwaltung Oradea", "it": "Comune di Oradea", "da": "Oradea Kommune", "es": "Ayuntamiento de Oradea"}, store.Texts{
		"en": "Oradea", "lv": "Oradea", "lt": "Oradėja", "lt-gen": "Oradėjos",
		"pl": "Oradea", "pl-gen": "Oradei", "ru": "Орадя",
		"de": "Oradea", "ro": "Oradea", "it": "Oradea", "da": "Oradea", "es": "Oradea"}},
	{"palermo", "Comune di Palermo", "Palermo", "IT", store.Texts{"en": "City of Palermo", "it": "Comune di Palermo", "lv": "Palermo pilsētas pašvaldība", "lt": "Palermo miesto savivaldybė", "pl": "Gmina Palermo", "ru": "Муниципалитет Палермо", "de": "Stadtverwaltung Palermo", "ro": "Primăria Palermo", "da": "Palermo Kommune", "es": "Ayuntamiento de Palermo"}, store.Texts{
		"en": "Palermo", "lv": "Palermo", "lv-gen": "Palermo", "lt": "Palermas", "lt-gen": "Palermo",
		"pl": "Palermo", "pl-gen": "Palermo", "ru": "Палермо", "ru-gen": "Палермо",
		"de": "Palermo", "ro": "Palermo", "it": "Palermo", "da": "Palermo", "es": "Palermo"}},
	{"vejle", "Vejle Kommune", "Vejle", "DK", store.Texts{"en": "Vejle Municipality", "da": "Vejle Kommune", "lv": "Vejles pašvaldība", "lt": "Vailės savivaldybė", "pl": "Gmina Vejle", "ru": "Коммуна Вайле", "de": "Vejle Kommune", "ro": "Municipalitatea Vejle", "it": "Comune di Vejle", "es": "Municipio de Vejle"}, store.Texts{
		"en": "Vejle", "lv": "Vejle", "lv-gen": "Vejles", "lt": "Vailė", "lt-gen": "Vailės",
		"pl": "Vejle", "pl-gen": "Vejle", "ru": "Вайле", "ru-gen": "Вайле",
		"de": "Vejle", "ro": "Vejle", "it": "Vejle", "da": "Vejle", "es": "Vejle"}},
	{"cuenca", "Ayuntamiento de Cuenca", "Cuenca", "ES", store.Texts{"en": "Cuenca City Council", "es": "Ayuntamiento de Cuenca", "lv": "Kuenkas pilsētas dome", "lt": "Kuenkos miesto savivaldybė", "pl": "Urząd Miasta Cuenca", "ru": "Мэрия Куэнки", "de": "Stadtverwaltung Cuenca", "ro": "Primăria orașului Cuenca", "it": "Comune di Cuenca", "da": "Cuenca Kommune"}, store.Texts{
		"en": "Cuenca", "lv": "Kuenka", "lv-gen": "Kuenkas", "lt": "Kuenka", "lt-gen": "Kuenkos",
		"pl": "Cuenca", "pl-gen": "Cuenki", "ru": "Куэнка", "ru-gen": "Куэнки",
		"de": "Cuenca", "ro": "Cuenca", "it": "Cuenca", "da": "Cuenca", "es": "Cuenca"}},
}

type eventSeed struct {
	number      int
	host        string
	title       store.Texts
	description store.Texts
	venue       store.Texts
	tz          string
	first, last string
	capacity    int
}

var events = []eventSeed{
	{1, "daugavpils",
		store.Texts{"en": "Kick-off meeting", "lv": "Projekta atklāšanas tikšanās (kick-off)", "ru": "Стартовая встреча проекта", "lt": "Projekto pradžios susitikimas", "pl": "Spotkanie inaugurujące projekt", "de": "Auftakttreffen des Projekts", "ro": "Reuniunea de lansare a proiectului", "it": "Riunione di avvio del progetto", "da": "Opstartsmøde for projektet", "es": "Reunión de lanzamiento del proyecto"},
		store.Texts{
			"en": "The partners of the DeCoDe network meet for the first time to agree on the work plan and to compare how depopulation affects their regional centres.",
			"lv": "DeCoDe tīkla partneri tiekas pirmo reizi, lai vienotos par darba plānu un salīdzinātu, kā depopulācija ietekmē viņu reģionālos centrus.",
			"ru": "Партнёры сети DeCoDe впервые встречаются, чтобы согласовать план работы и сравнить, как депопуляция влияет на их региональные центры.",
			"lt": "DeCoDe tinklo partneriai susitinka pirmą kartą, kad susitartų dėl darbo plano ir palygintų, kaip depopuliacija veikia jų regioninius centrus.",
			"pl": "Partnerzy sieci DeCoDe spotykają się po raz pierwszy, aby uzgodnić plan pracy i porównać, jak depopulacja wpływa na ich ośrodki regionalne.",
			"de": "Die Partner des DeCoDe-Netzwerks treffen sich zum ersten Mal, um den Arbeitsplan abzustimmen und zu vergleichen, wie sich der Bevölkerungsrückgang auf ihre regionalen Zentren auswirkt.",
			"ro": "Partenerii rețelei DeCoDe se întâlnesc pentru prima dată pentru a conveni asupra planului de lucru și a compara modul în care depopularea afectează centrele lor regionale.",
			"it": "I partner della rete DeCoDe si incontrano per la prima volta per concordare il piano di lavoro e confrontare gli effetti dello spopolamento sui loro centri regionali.",
			"da": "Partnerne i DeCoDe-netværket mødes for første gang for at aftale arbejdsplanen og sammenligne, hvordan affolkning påvirker deres regionale centre.",
			"es": "Los socios de la red DeCoDe se reúnen por primera vez para acordar el plan de trabajo y comparar cómo afecta la despoblación a sus centros regionales."},
		store.Texts{"en": "Daugavpils City Council, K. Valdemāra iela 1", "lv": "Daugavpils pilsētas dome, K. Valdemāra iela 1", "ru": "Даугавпилсская городская дума, ул. К. Валдемара, 1", "lt": "Daugpilio miesto savivaldybė, K. Valdemāra iela 1", "pl": "Rada Miasta Dyneburga, K. Valdemāra iela 1", "de": "Stadtrat Daugavpils, K. Valdemāra iela 1", "ro": "Consiliul Local Daugavpils, K. Valdemāra iela 1", "it": "Consiglio comunale di Daugavpils, K. Valdemāra iela 1", "da": "Daugavpils byråd, K. Valdemāra iela 1", "es": "Ayuntamiento de Daugavpils, K. Valdemāra iela 1"},
		"Europe/Riga", "2018-05-23", "2018-05-24", 120},
	{2, "kaunas",
		store.Texts{"en": "Good practice examples for preventing depopulation", "lv": "Labās prakses piemēri depopulācijas novēršanai", "ru": "Примеры хорошей практики предотвращения депопуляции", "lt": "Gerosios praktikos pavyzdžiai, kaip užkirsti kelią depopuliacijai", "pl": "Przykłady dobrych praktyk w zapobieganiu depopulacji", "de": "Beispiele guter Praxis gegen den Bevölkerungsrückgang", "ro": "Exemple de bune practici pentru prevenirea depopulării", "it": "Esempi di buone pratiche per prevenire lo spopolamento", "da": "Eksempler på god praksis til at forebygge affolkning", "es": "Ejemplos de buenas prácticas para prevenir la despoblación"},
		store.Texts{
			"en": "Workshops and site visits in Kaunas on measures that keep residents in regional centres.",
			"lv": "Darba semināri un vizītes Kauņā par pasākumiem, kas palīdz noturēt iedzīvotājus reģionālajos centros.",
			"ru": "Семинары и выездные визиты в Каунасе о мерах, помогающих удерживать жителей в региональных центрах.",
			"lt": "Seminarai ir vizitai Kaune apie priemones, padedančias išlaikyti gyventojus regioniniuose centruose.",
			"pl": "Warsztaty i wizyty studyjne w Kownie poświęcone działaniom, które zatrzymują mieszkańców w ośrodkach regionalnych.",
			"de": "Workshops und Besuche vor Ort in Kaunas zu Maßnahmen, die Einwohner in regionalen Zentren halten.",
			"ro": "Ateliere și vizite de studiu în Kaunas despre măsurile care îi păstrează pe locuitori în centrele regionale.",
			"it": "Laboratori e visite sul campo a Kaunas sulle misure che trattengono i residenti nei centri regionali.",
			"da": "Workshops og studiebesøg i Kaunas om tiltag, der holder på indbyggerne i de regionale centre.",
			"es": "Talleres y visitas de estudio en Kaunas sobre medidas que retienen a los residentes en los centros regionales."},
		store.Texts{"en": "Kaunas City Municipality", "lv": "Kauņas pilsētas pašvaldība", "ru": "Самоуправление города Каунаса", "lt": "Kauno miesto savivaldybė", "pl": "Urząd Miasta Kowna", "de": "Stadtverwaltung Kaunas", "ro": "Primăria orașului Kaunas", "it": "Comune di Kaunas", "da": "Kaunas Kommune", "es": "Ayuntamiento de Kaunas"},
		"Europe/Vilnius", "2018-10-09", "2018-10-11", 100},
	{3, "palermo",
		store.Texts{"en": "Youth depopulation - how can it be prevented?", "lv": "Jauniešu depopulācija - kā to var novērst?", "ru": "Отток молодёжи - как его предотвратить?", "lt": "Jaunimo depopuliacija - kaip jos išvengti?", "pl": "Odpływ młodzieży - jak mu zapobiec?", "de": "Abwanderung junger Menschen - wie lässt sie sich verhindern?", "ro": "Depopularea în rândul tinerilor - cum poate fi prevenită?", "it": "Lo spopolamento giovanile - come si può prevenire?", "da": "Unge flytter væk - hvordan kan det forebygges?", "es": "La despoblación juvenil - ¿cómo se puede prevenir?"},
		store.Texts{
			"en": "Young people, youth workers and city officials discuss why the young leave and what brings them back.",
			"lv": "Jaunieši, jaunatnes darbinieki un pilsētu pārstāvji diskutē, kāpēc jaunieši aizbrauc un kas viņus atved atpakaļ.",
			"ru": "Молодёжь, молодёжные работники и представители городов обсуждают, почему молодые уезжают и что их возвращает.",
			"lt": "Jaunimas, jaunimo darbuotojai ir miestų atstovai aptaria, kodėl jaunuoliai išvyksta ir kas juos paskatina sugrįžti.",
			"pl": "Młodzi ludzie, pracownicy młodzieżowi i przedstawiciele miast rozmawiają o tym, dlaczego młodzi wyjeżdżają i co skłania ich do powrotu.",
			"de": "Junge Menschen, Fachkräfte der Jugendarbeit und Vertreter der Städte diskutieren, warum junge Leute wegziehen und was sie zurückbringt.",
			"ro": "Tineri, lucrători de tineret și reprezentanți ai orașelor discută de ce pleacă tinerii și ce îi aduce înapoi.",
			"it": "Giovani, operatori giovanili e amministratori comunali discutono del perché i giovani se ne vanno e di cosa li fa tornare.",
			"da": "Unge, ungdomsarbejdere og repræsentanter for byerne drøfter, hvorfor de unge flytter, og hvad der får dem til at vende tilbage.",
			"es": "Jóvenes, trabajadores juveniles y representantes municipales debaten por qué se van los jóvenes y qué los hace volver."},
		store.Texts{"en": "Palermo", "lv": "Palermo", "ru": "Палермо", "lt": "Palermas", "pl": "Palermo", "de": "Palermo", "ro": "Palermo", "it": "Palermo", "da": "Palermo", "es": "Palermo"},
		"Europe/Rome", "2019-02-11", "2019-02-13", 100},
	{4, "lodz",
		store.Texts{"en": "Good practice examples of a depopulation control action plan", "lv": "Depopulācijas kontroles darbības plāna labās prakses piemēri", "ru": "Примеры хорошей практики плана действий по контролю депопуляции", "lt": "Depopuliacijos kontrolės veiksmų plano gerosios praktikos pavyzdžiai", "pl": "Przykłady dobrych praktyk w planach działań przeciw depopulacji", "de": "Beispiele guter Praxis für einen Aktionsplan gegen den Bevölkerungsrückgang", "ro": "Exemple de bune practici pentru un plan de acțiune privind controlul depopulării", "it": "Esempi di buone pratiche per un piano d'azione contro lo spopolamento", "da": "Eksempler på god praksis for en handlingsplan mod affolkning", "es": "Ejemplos de buenas prácticas de un plan de acción contra la despoblación"},
		store.Texts{
			"en": "Partners present and compare the action plans their towns use to control depopulation.",
			"lv": "Partneri prezentē un salīdzina darbības plānus, ko viņu pilsētas izmanto depopulācijas kontrolei.",
			"ru": "Партнёры представляют и сравнивают планы действий, которые их города применяют для контроля депопуляции.",
			"lt": "Partneriai pristato ir palygina veiksmų planus, kuriuos jų miestai taiko depopuliacijai kontroliuoti.",
			"pl": "Partnerzy przedstawiają i porównują plany działań, którymi ich miasta przeciwdziałają depopulacji.",
			"de": "Die Partner stellen die Aktionspläne vor, mit denen ihre Städte dem Bevölkerungsrückgang begegnen, und vergleichen sie.",
			"ro": "Partenerii prezintă și compară planurile de acțiune pe care orașele lor le folosesc pentru a controla depopularea.",
			"it": "I partner presentano e confrontano i piani d'azione con cui le loro città contrastano lo spopolamento.",
			"da": "Partnerne præsenterer og sammenligner de handlingsplaner, deres byer bruger til at styre affolkningen.",
			"es": "Los socios presentan y comparan los planes de acción que aplican sus ciudades para controlar la despoblación."},
		store.Texts{"en": "Łódź, Marshal's Office of the Łódzkie Region", "lv": "Lodza, Lodzas vojevodistes maršala birojs", "ru": "Лодзь, Маршалковское управление Лодзинского воеводства", "lt": "Lodzė, Lodzės vaivadijos maršalo tarnyba", "pl": "Łódź, Urząd Marszałkowski Województwa Łódzkiego", "de": "Łódź, Marschallamt der Woiwodschaft Łódź", "ro": "Łódź, Biroul Mareșalului Voievodatului Łódź", "it": "Łódź, Ufficio del Maresciallo del Voivodato di Łódź", "da": "Łódź, Marskalkkontoret i Łódź-voivodskabet", "es": "Łódź, Oficina del Mariscal del Voivodato de Łódź"},
		"Europe/Warsaw", "2019-05-28", "2019-05-29", 150},
	{5, "daugavpils",
		store.Texts{"en": "Final results dissemination conference", "lv": "Gala rezultātu izplatīšanas konference", "ru": "Заключительная конференция по распространению результатов", "lt": "Baigiamoji rezultatų sklaidos konferencija", "pl": "Konferencja końcowa upowszechniająca rezultaty", "de": "Abschlusskonferenz zur Verbreitung der Ergebnisse", "ro": "Conferința finală de diseminare a rezultatelor", "it": "Conferenza finale di diffusione dei risultati", "da": "Afsluttende konference om formidling af resultaterne", "es": "Conferencia final de difusión de resultados"},
		store.Texts{
			"en": "The network presents its results and proposals for depopulation control to residents of Daugavpils and partner towns.",
			"lv": "Tīkls iepazīstina Daugavpils un partnerpilsētu iedzīvotājus ar rezultātiem un priekšlikumiem depopulācijas kontrolei.",
			"ru": "Сеть представляет жителям Даугавпилса и городов-партнёров свои результаты и предложения по контролю депопуляции.",
			"lt": "Tinklas pristato savo rezultatus ir pasiūlymus depopuliacijai kontroliuoti Daugpilio ir miestų partnerių gyventojams.",
			"pl": "Sieć przedstawia mieszkańcom Dyneburga i miast partnerskich swoje rezultaty i propozycje przeciwdziałania depopulacji.",
			"de": "Das Netzwerk stellt den Einwohnern von Daugavpils und der Partnerstädte seine Ergebnisse und Vorschläge gegen den Bevölkerungsrückgang vor.",
			"ro": "Rețeaua le prezintă locuitorilor din Daugavpils și din orașele partenere rezultatele și propunerile sale pentru controlul depopulării.",
			"it": "La rete presenta ai cittadini di Daugavpils e delle città partner i suoi risultati e le sue proposte per contrastare lo spopolamento.",
			"da": "Netværket præsenterer sine resultater og forslag til styring af affolkningen for indbyggerne i Daugavpils og partnerbyerne.",
			"es": "La red presenta a los vecinos de Daugavpils y de las ciudades socias sus resultados y propuestas para controlar la despoblación."},
		store.Texts{"en": "Daugavpils, Latgales Zoo & Conference Hall", "lv": "Daugavpils, Latgales zoodārzs un konferenču zāle", "ru": "Даугавпилс, Латгальский зоосад и конференц-зал", "lt": "Daugpilis, Latgalos zoologijos sodas ir konferencijų salė", "pl": "Dyneburg, Ogród Zoologiczny Łatgalii i sala konferencyjna", "de": "Daugavpils, Lettgallischer Zoo und Konferenzsaal", "ro": "Daugavpils, Grădina Zoologică din Latgale și sala de conferințe", "it": "Daugavpils, Zoo della Latgalia e sala conferenze", "da": "Daugavpils, Latgale Zoo og konferencesal", "es": "Daugavpils, Zoológico de Latgale y sala de conferencias"},
		"Europe/Riga", "2019-11-14", "2019-11-15", 400},
}

// HistoricalFirstDay of event 4, the anchor the demo calendar moves to today.
var anchor = mustDate("2019-05-28")

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Seeded reports whether the DeCoDe project is already in the database.
func Seeded(ctx context.Context, st *store.Store) (bool, error) {
	_, err := st.ProjectByCode(ctx, st.DB, ProjectCode)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Seed loads rule sets, the DeCoDe project, its partners and five events, all
// in q (one transaction). shift moves every date by that many days (0 for the
// historical calendar). It returns the project.
func Seed(ctx context.Context, st *store.Store, q sqlx.ExtContext, shift int, now time.Time) (store.Project, error) {
	ruleSetID, err := EnsureRuleSets(ctx, st, q)
	if err != nil {
		return store.Project{}, err
	}
	starts, ends := mustDate("2018-03-01").AddDate(0, 0, shift), mustDate("2020-02-01").AddDate(0, 0, shift)
	budget := 90000.0
	p := store.Project{
		Code: ProjectCode,
		Title: store.Texts{
			"en": "Challenges of Regional Centres: Depopulation Control, Development - best practices",
			"lv": "Depopulācija - reģionālo centru izaicinājums",
			"ru": "Депопуляция - вызов для региональных центров",
			"lt": "Regioninių centrų iššūkiai: depopuliacijos kontrolė, plėtra - gerosios praktikos pavyzdžiai",
			"pl": "Wyzwania ośrodków regionalnych: przeciwdziałanie depopulacji, rozwój - dobre praktyki",
			"de": "Herausforderungen regionaler Zentren: Bevölkerungsrückgang steuern, Entwicklung - gute Praxis",
			"ro": "Provocările centrelor regionale: controlul depopulării, dezvoltare - bune practici",
			"it": "Le sfide dei centri regionali: contrasto allo spopolamento, sviluppo - buone pratiche",
			"da": "Regionale centres udfordringer: styring af affolkning, udvikling - god praksis",
			"es": "Retos de los centros regionales: control de la despoblación, desarrollo - buenas prácticas",
		},
		Acronym:   "DeCoDe",
		Programme: "Europe for Citizens (2014-2020)",
		Strand:    "Strand 2: Democratic engagement and civic participation",
		Measure: store.Texts{"en": "Networks of Towns", "lv": "Pilsētu tīkli", "ru": "Сети городов",
			"lt": "Miestų tinklai", "pl": "Sieci miast", "de": "Netzwerke von Partnerstädten", "ro": "Rețele de orașe",
			"it": "Reti di città", "da": "Netværk af byer", "es": "Redes de ciudades"},
		GrantRef: "595269-CITIZ-1-2017-2-LV-CITIZ-NT",
		StartsOn: &starts, EndsOn: &ends, BudgetEUR: &budget,
		RuleSetID: &ruleSetID, RetentionYears: 5,
	}
	if err := st.CreateProject(ctx, q, &p); err != nil {
		return p, fmt.Errorf("seed project: %w", err)
	}
	// The notice is offered in every language of the project's title: the
	// council's own wording in en, lv and ru, the product's template naming
	// the council as controller in the others.
	bundle, err := i18n.Load()
	if err != nil {
		return p, err
	}
	retention := store.Retention{ProjectID: p.ID, Code: p.Code, Title: p.Title, RetentionYears: p.RetentionYears, NeedsRetentionDays: 30}
	for _, lang := range i18n.Languages {
		body := noticeV1[lang]
		if body == "" {
			body = privacy.RenderNotice(bundle.Localizer(lang), privacy.DefaultParams, retention, p)
		}
		n := store.PrivacyNotice{ProjectID: p.ID, Version: 1, Language: lang, Body: body}
		if err := st.CreatePrivacyNotice(ctx, q, &n); err != nil {
			return p, fmt.Errorf("seed privacy notice: %w", err)
		}
	}
	bySlug := map[string]store.Partner{}
	for i, ps := range partners {
		pt := store.Partner{ProjectID: p.ID, Slug: ps.slug, Organisation: ps.org, City: ps.city, Country: ps.country,
			IsLead: i == 0, Position: i, CityTexts: ps.names, OrganisationTexts: ps.orgs}
		if err := st.CreatePartner(ctx, q, &pt); err != nil {
			return p, fmt.Errorf("seed partner %s: %w", ps.slug, err)
		}
		bySlug[ps.slug] = pt
	}
	for _, es := range events {
		host := bySlug[es.host]
		first, last := mustDate(es.first).AddDate(0, 0, shift), mustDate(es.last).AddDate(0, 0, shift)
		loc, err := time.LoadLocation(es.tz)
		if err != nil {
			return p, err
		}
		// Registration opens about half a year ahead (when the network announces
		// the event) and closes when the last day ends.
		opens := time.Date(first.Year(), first.Month(), first.Day(), 9, 0, 0, 0, loc).AddDate(0, 0, -200)
		closes := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
		capacity := es.capacity
		e := store.Event{
			ProjectID: p.ID, Slug: fmt.Sprintf("decode-%d-%s", es.number, es.host), Number: es.number,
			HostPartnerID: &host.ID, Title: es.title, Description: es.description,
			Venue: es.venue["en"], VenueTexts: es.venue, City: host.City, Country: host.Country,
			FirstDay: first, LastDay: last, TimeZone: es.tz, Capacity: &capacity,
			RegistrationOpensAt: &opens, RegistrationClosesAt: &closes, RegistrationState: "auto",
		}
		if err := st.CreateEvent(ctx, q, &e); err != nil {
			return p, fmt.Errorf("seed event %d: %w", es.number, err)
		}
	}
	return p, nil
}

// DemoShift is the number of days that moves event 4 to begin today, in the
// event's own time zone (Lodz), so the door sees its first day whatever the
// server's clock zone.
func DemoShift(now time.Time) int {
	if loc, err := time.LoadLocation(demoZone); err == nil {
		now = now.In(loc)
	}
	t := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return int(t.Sub(anchor).Hours() / 24)
}

// demoZone is event 4's time zone.
const demoZone = "Europe/Warsaw"

// DemoToday is the calendar date on which the demo's event 4 begins at now.
func DemoToday(now time.Time) time.Time { return anchor.AddDate(0, 0, DemoShift(now)) }

// EnsureSeeded loads the programme once per database. With demo set, the
// calendar is moved so that event 4 begins today and synthetic registrations
// and attendance are added. Two instances starting at once are safe: the
// project code is unique, and the loser of that race finds it seeded.
func EnsureSeeded(ctx context.Context, st *store.Store, demo bool, now time.Time, hooks ...DemoHook) (created bool, err error) {
	if ok, err := Seeded(ctx, st); err != nil || ok {
		return false, err
	}
	err = st.InTx(ctx, func(tx *sqlx.Tx) error {
		// Serialise seeding across instances for the rest of this transaction.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7426)`); err != nil {
			return err
		}
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM projects WHERE code = $1`, ProjectCode); err != nil || n > 0 {
			return err
		}
		shift := 0
		if demo {
			shift = DemoShift(now)
		}
		p, err := Seed(ctx, st, tx, shift, now)
		if err != nil {
			return err
		}
		if demo {
			if err := GenerateDemo(ctx, st, tx, p, now); err != nil {
				return err
			}
			for _, h := range hooks {
				if err := h(ctx, tx, p); err != nil {
					return err
				}
			}
		}
		created = true
		return nil
	})
	return created, err
}

// DemoHook lets capabilities add their part of the demo (tickets, devices) in
// the seeding transaction without this package importing them.
type DemoHook func(ctx context.Context, tx *sqlx.Tx, p store.Project) error
