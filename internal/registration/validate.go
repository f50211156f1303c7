package registration

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
)

// Input is a registration as typed in the form or sent to the API.
type Input struct {
	FirstName, LastName string
	Email               string
	Phone               string
	Country             string // ISO 3166-1 alpha-2
	City, Organisation  string
	Participation       string // local | invited | other
	Partner             string // partner slug, for invited participants
	// Days are ISO dates; nil means every day of the event, an empty slice none.
	Days                   []string
	Language               string // BCP 47; matched to a supported language
	PrivacyAccepted        bool
	NeedsAccess, NeedsDiet string
	// Age band and gender are kept only with StatsConsent.
	StatsConsent    bool
	AgeBand, Gender string
	PhotoConsent    bool
	// Answers to the event's custom questions: key -> values (one, or
	// several for a multiple-choice question).
	Answers map[string][]string
	// PartialAnswers: only the questions Answers names are checked and
	// changed (an import whose sheet has columns for some of them).
	PartialAnswers bool
	// Website is the honeypot: people leave it empty, form-filling robots do not.
	Website string
	Source  string // web | api
}

// Field limits, in characters.
const (
	maxName  = 100
	maxEmail = 254
	maxPhone = 40
	maxPlace = 200
	maxNeeds = 1000
)

// Message keys of validation errors (catalogue area "public").
const (
	errRequired     = "reg.error.required"
	errTooLong      = "reg.error.too_long"
	errText         = "reg.error.text"
	errEmail        = "reg.error.email"
	errPhone        = "reg.error.phone"
	errCountry      = "reg.error.country"
	errParticipate  = "reg.error.participation"
	errPartner      = "reg.error.partner"
	errDays         = "reg.error.days"
	errDayFull      = "reg.error.day_full"
	errLanguage     = "reg.error.language"
	errPrivacy      = "reg.error.privacy"
	errAgeBand      = "reg.error.age_band"
	errGender       = "reg.error.gender"
	errStatsConsent = "reg.error.stats_consent"
	errDuplicate    = "reg.error.duplicate"
)

// cleanText checks a text field: valid UTF-8, no control characters (line
// breaks allowed when multiline), at most max characters. It returns the text
// trimmed and NFC-normalised, so that "Jūratė" typed with combining marks and
// precomposed is stored the same. Markup is kept as text: pages escape it.
func cleanText(inv *apperr.Invalid, field, s string, max int, required, multiline bool) string {
	if !utf8.ValidString(s) {
		inv.Add(field, errText)
		return ""
	}
	s = norm.NFC.String(strings.TrimSpace(s))
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	for _, r := range s {
		if r == '\n' && multiline || r == '\t' && multiline {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufffd' {
			inv.Add(field, errText)
			return ""
		}
	}
	if utf8.RuneCountInString(s) > max {
		inv.Add(field, errTooLong)
		return ""
	}
	if required && s == "" {
		inv.Add(field, errRequired)
	}
	return s
}

// cleanEmail validates an address: one plain addr-spec with a dotted domain.
func cleanEmail(inv *apperr.Invalid, field, s string, required bool) string {
	s = cleanText(inv, field, s, maxEmail, required, false)
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		inv.Add(field, errEmail)
		return ""
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.ContainsAny(s, " \"(),:;<>[]\\") {
		inv.Add(field, errEmail)
		return ""
	}
	return s
}

func cleanPhone(inv *apperr.Invalid, field, s string) string {
	s = cleanText(inv, field, s, maxPhone, false, false)
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune(" +-()./", r)) {
			inv.Add(field, errPhone)
			return ""
		}
	}
	return s
}

// MatchLanguage maps a BCP 47 tag to a supported language, or "" when unusable.
func MatchLanguage(tag string) string {
	if slices.Contains(i18n.Languages, tag) {
		return tag
	}
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	base, _ := t.Base()
	if slices.Contains(i18n.Languages, base.String()) {
		return base.String()
	}
	return i18n.Fallback
}

// parseDays turns ISO dates into event days; nil means all days.
func parseDays(inv *apperr.Invalid, field string, e store.Event, in []string) []time.Time {
	all := e.Days()
	if in == nil {
		return all
	}
	var out []time.Time
	seen := map[string]bool{}
	for _, s := range in {
		d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
		if err != nil || d.Before(e.FirstDay) || d.After(e.LastDay) {
			inv.Add(field, errDays)
			return nil
		}
		if k := d.Format("2006-01-02"); !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		inv.Add(field, errDays)
		return nil
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// details is the validated form of an Input.
type details struct {
	reg  store.Registration
	days []time.Time
	// answers to store by question id; asked: the questions whose answers
	// they replace (store.SetAnswers).
	answers map[int64][]string
	asked   []int64
}

// validate checks in for event e. withContact covers e-mail, days and the
// privacy acknowledgement (a new registration); details-only changes skip them.
func (s *Service) validate(inv *apperr.Invalid, e store.Event, partners []store.Partner, qs []store.Question, in Input, requestLang string, withContact bool) details {
	var d details
	d.answers, d.asked = validAnswers(inv, qs, in.Answers, in.PartialAnswers)
	r := &d.reg
	r.EventID = e.ID
	r.FirstName = cleanText(inv, "first_name", in.FirstName, maxName, true, false)
	r.LastName = cleanText(inv, "last_name", in.LastName, maxName, true, false)
	if withContact {
		if e := cleanEmail(inv, "email", in.Email, true); e != "" {
			r.Email = &e
		}
	}
	r.Phone = cleanPhone(inv, "phone", in.Phone)
	r.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if r.Country == "" {
		inv.Add("country", errRequired)
	} else if !ValidCountry(r.Country) {
		inv.Add("country", errCountry)
	}
	r.City = cleanText(inv, "city", in.City, maxPlace, true, false)
	r.Organisation = cleanText(inv, "organisation", in.Organisation, maxPlace, false, false)
	r.NeedsAccess = cleanText(inv, "needs", in.NeedsAccess, maxNeeds, false, true)
	r.NeedsDiet = cleanText(inv, "needs_diet", in.NeedsDiet, maxNeeds, false, true)
	switch p := store.Participation(in.Participation); p {
	case store.Local, store.Other:
		r.Participation = p
	case store.Invited:
		r.Participation = p
		slug := strings.TrimSpace(in.Partner)
		if slug == "" {
			inv.Add("partner", errRequired)
			break
		}
		i := slices.IndexFunc(partners, func(p store.Partner) bool { return p.Slug == slug })
		if i < 0 {
			inv.Add("partner", errPartner)
			break
		}
		id := partners[i].ID
		r.PartnerID = &id
	case "":
		inv.Add("participation", errRequired)
	default:
		inv.Add("participation", errParticipate)
	}
	lang := in.Language
	if lang == "" {
		lang = requestLang
	}
	if r.Language = MatchLanguage(strings.TrimSpace(lang)); r.Language == "" {
		inv.Add("language", errLanguage)
	}
	if in.AgeBand != "" && !slices.Contains(AgeBands, in.AgeBand) {
		inv.Add("age_band", errAgeBand)
	}
	if in.Gender != "" && !slices.Contains(Genders, in.Gender) {
		inv.Add("gender", errGender)
	}
	if (in.AgeBand != "" || in.Gender != "") && !in.StatsConsent {
		inv.Add("statistics_consent", errStatsConsent)
	}
	if in.StatsConsent {
		r.AgeBand, r.Gender = in.AgeBand, in.Gender
	}
	r.PhotoConsent = in.PhotoConsent
	if withContact {
		d.days = parseDays(inv, "days", e, in.Days)
		if !in.PrivacyAccepted {
			inv.Add("privacy_notice_accepted", errPrivacy)
		}
	}
	return d
}
