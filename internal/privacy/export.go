package privacy

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/store"
)

// Export is everything held about one person, for an access request.
type Export struct {
	GeneratedAt    time.Time            `json:"generated_at"`
	HandlingNotice string               `json:"handling_notice"`
	Email          string               `json:"email,omitempty"`
	Registrations  []ExportRegistration `json:"registrations"`
	Messages       []ExportMessage      `json:"messages"`
}

// ExportEvent names the event of a registration.
type ExportEvent struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	City     string `json:"city"`
	Country  string `json:"country"`
	FirstDay string `json:"first_day"`
	LastDay  string `json:"last_day"`
}

// ExportRegistration is one registration with everything attached to it.
type ExportRegistration struct {
	ID                int64             `json:"id"`
	Event             ExportEvent       `json:"event"`
	Status            string            `json:"status"`
	FirstName         string            `json:"first_name"`
	LastName          string            `json:"last_name"`
	Email             string            `json:"email"`
	Phone             string            `json:"phone"`
	Country           string            `json:"country"`
	City              string            `json:"city"`
	Organisation      string            `json:"organisation"`
	Participation     string            `json:"participation"`
	Partner           string            `json:"partner,omitempty"`
	Language          string            `json:"language"`
	NeedsAccess       string            `json:"needs_access"`
	NeedsDiet         string            `json:"needs_diet"`
	AgeBand           string            `json:"age_band"`
	Gender            string            `json:"gender"`
	PhotoConsent      bool              `json:"photo_consent"`
	PrivacyNotice     *ExportNotice     `json:"privacy_notice,omitempty"`
	Source            string            `json:"source"`
	Delegation        bool              `json:"registered_by_delegation"`
	PrivateLinkIssued bool              `json:"private_link_issued"`
	CreatedAt         time.Time         `json:"created_at"`
	ConfirmedAt       *time.Time        `json:"confirmed_at,omitempty"`
	CancelledAt       *time.Time        `json:"cancelled_at,omitempty"`
	AnonymisedAt      *time.Time        `json:"anonymised_at,omitempty"`
	Days              []string          `json:"days"`
	DayDates          []time.Time       `json:"-"` // the same days, for localized display
	Answers           []ExportAnswer    `json:"answers"`
	Consents          []ExportConsent   `json:"consents"`
	Tickets           []ExportTicket    `json:"tickets"`
	Admissions        []ExportAdmission `json:"admissions"`
	Scans             []ExportScan      `json:"scans"`
	Signatures        []ExportSignature `json:"signatures"`
	// Certificate is the attendance certificate issued for the registration.
	Certificate *ExportCertificate `json:"certificate,omitempty"`
	// Feedback is the person's answers to the event's feedback form.
	Feedback json.RawMessage `json:"feedback,omitempty"`
}

// ExportCertificate is an attendance certificate: its code, the days it
// states, when it was issued and e-mailed, and where anyone can check it.
type ExportCertificate struct {
	Code      string     `json:"code"`
	Days      []string   `json:"days"`
	Language  string     `json:"language"`
	IssuedAt  time.Time  `json:"issued_at"`
	MailedAt  *time.Time `json:"mailed_at,omitempty"`
	VerifyURL string     `json:"verify_url"`
}

// ExportAnswer is the answer to one of the event's own questions.
type ExportAnswer struct {
	Key      string   `json:"key"`
	Question string   `json:"question"`
	Values   []string `json:"values"`
	// Labels are the chosen options' labels (choice questions), else the values.
	Labels []string `json:"labels"`
}

// ExportNotice is the privacy notice version the person acknowledged.
type ExportNotice struct {
	Version    int        `json:"version"`
	Language   string     `json:"language"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
}

// ExportConsent is one consent given or withdrawn.
type ExportConsent struct {
	Kind          string    `json:"kind"`
	Given         bool      `json:"given"`
	NoticeVersion *int      `json:"notice_version,omitempty"`
	At            time.Time `json:"at"`
}

// ExportTicket describes a ticket; the signed payload is a secret and stays out.
type ExportTicket struct {
	ID            int64      `json:"id"`
	Code          string     `json:"code"`
	Days          []string   `json:"days"`
	IssuedAt      time.Time  `json:"issued_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokedReason string     `json:"revoked_reason,omitempty"`
}

// ExportAdmission is one day the person was let in.
type ExportAdmission struct {
	Day        string     `json:"day"`
	AdmittedAt time.Time  `json:"admitted_at"`
	Method     string     `json:"method"`
	Reason     string     `json:"reason,omitempty"`
	UndoneAt   *time.Time `json:"undone_at,omitempty"`
}

// ExportScan is one line of the scan log about the person.
type ExportScan struct {
	Day       string    `json:"day"`
	ScannedAt time.Time `json:"scanned_at"`
	Method    string    `json:"method"`
	Result    string    `json:"result"`
	Reason    string    `json:"reason,omitempty"`
	Device    string    `json:"device,omitempty"`
	Offline   bool      `json:"offline"`
}

// ExportSignature is a captured signature, as metadata: the image is on the signed list.
type ExportSignature struct {
	Day        string    `json:"day"`
	CapturedAt time.Time `json:"captured_at"`
	SHA256     string    `json:"sha256"`
	Bytes      int       `json:"bytes"`
}

// ExportMessage is one e-mail queued or sent to the person.
type ExportMessage struct {
	Kind      string     `json:"kind"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Text      string     `json:"text"`
}

// ExportRequest says whose data, for whom, and through which channel.
type ExportRequest struct {
	Email        string              // find every registration with this address
	Registration *store.Registration // or start from one (private link)
	Format       string              // json | html, for the audit log
	Channel      string              // admin | cli | private_link
	Lang         string              // language of the handling notice and titles
}

// ExportPerson collects everything held about a person and records the export
// in the audit log (who, what, when; no personal data in the entry).
func (s *Service) ExportPerson(ctx context.Context, req ExportRequest, by Actor) (Export, error) {
	email := req.Email
	if req.Registration != nil {
		email = ""
		if req.Registration.Email != nil {
			email = *req.Registration.Email
		}
	} else {
		e, err := NormaliseEmail(email)
		if err != nil {
			return Export{}, err
		}
		email = e
	}
	lang := req.Lang
	if lang == "" {
		lang = "en"
	}
	x := Export{GeneratedAt: s.now().UTC().Truncate(time.Second), Email: email,
		Registrations: []ExportRegistration{}, Messages: []ExportMessage{}}
	if s.I18n != nil {
		x.HandlingNotice = s.I18n.Localizer(lang).T("privacy.export.handling")
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var rs []store.Registration
		var err error
		if email != "" {
			if rs, err = s.Store.RegistrationsOfPerson(ctx, tx, email); err != nil {
				return err
			}
		} else {
			rs = []store.Registration{*req.Registration}
		}
		if err := s.collect(ctx, tx, &x, rs, email, lang); err != nil {
			return err
		}
		ids := make([]int64, len(rs))
		for i, r := range rs {
			ids[i] = r.ID
		}
		format := req.Format
		if format == "" {
			format = "json"
		}
		return s.log(ctx, tx, by, "export.person_data", "person", "", map[string]any{
			"registration_ids": ids, "messages": len(x.Messages), "format": format, "channel": req.Channel,
		})
	})
	return x, err
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func (s *Service) collect(ctx context.Context, q sqlx.QueryerContext, x *Export, rs []store.Registration, email, lang string) error {
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	days, err := s.Store.RegistrationDaysOf(ctx, q, ids)
	if err != nil {
		return err
	}
	consents, err := s.Store.ConsentsOf(ctx, q, ids)
	if err != nil {
		return err
	}
	answers, err := s.Store.AnswersOf(ctx, q, ids)
	if err != nil {
		return err
	}
	eventIDs := []int64{}
	for _, r := range rs {
		eventIDs = append(eventIDs, r.EventID)
	}
	questions, err := s.Store.QuestionsOfEvents(ctx, q, eventIDs)
	if err != nil {
		return err
	}
	tickets, err := s.Store.TicketsOf(ctx, q, ids)
	if err != nil {
		return err
	}
	admissions, err := s.Store.AdmissionsOf(ctx, q, ids)
	if err != nil {
		return err
	}
	scans, err := s.Store.ScansOf(ctx, q, ids)
	if err != nil {
		return err
	}
	sigs, err := s.Store.SignaturesOf(ctx, q, ids)
	if err != nil {
		return err
	}
	msgs, err := s.Store.MessagesOf(ctx, q, ids, email)
	if err != nil {
		return err
	}
	certs, err := s.Store.CertificatesOf(ctx, q, ids)
	if err != nil {
		return err
	}
	ticketReg := map[int64]int64{}
	for _, t := range tickets {
		ticketReg[t.ID] = t.RegistrationID
	}
	for _, r := range rs {
		ev, err := s.Store.Event(ctx, q, r.EventID)
		if err != nil {
			return err
		}
		// Times at the door are shown in the event's own time zone.
		loc := ev.Location()
		xr := ExportRegistration{
			ID: r.ID, Status: string(r.Status), FirstName: r.FirstName, LastName: r.LastName, Phone: r.Phone,
			Country: r.Country, City: r.City, Organisation: r.Organisation, Participation: string(r.Participation),
			Language: r.Language, NeedsAccess: r.NeedsAccess, NeedsDiet: r.NeedsDiet, AgeBand: r.AgeBand,
			Gender: r.Gender, PhotoConsent: r.PhotoConsent, Source: r.Source, Delegation: r.DelegationID != nil,
			PrivateLinkIssued: len(r.ManageNonce) > 0, CreatedAt: r.CreatedAt, ConfirmedAt: r.ConfirmedAt,
			CancelledAt: r.CancelledAt, AnonymisedAt: r.AnonymisedAt,
			Event: ExportEvent{ID: ev.ID, Slug: ev.Slug, Title: ev.Title.In(lang), City: ev.City, Country: ev.Country,
				FirstDay: day(ev.FirstDay), LastDay: day(ev.LastDay)},
			Days: []string{}, Answers: []ExportAnswer{}, Consents: []ExportConsent{}, Tickets: []ExportTicket{}, Admissions: []ExportAdmission{},
			Scans: []ExportScan{}, Signatures: []ExportSignature{},
		}
		if r.Email != nil {
			xr.Email = *r.Email
		}
		if r.PartnerID != nil {
			if pt, err := s.Store.Partner(ctx, q, *r.PartnerID); err == nil {
				city := pt.City
				if n := pt.CityTexts[lang]; n != "" {
					city = n
				}
				xr.Partner = pt.Organisation + ", " + city
			}
		}
		if r.PrivacyNoticeID != nil {
			if n, err := s.Store.PrivacyNoticeByID(ctx, q, *r.PrivacyNoticeID); err == nil {
				xr.PrivacyNotice = &ExportNotice{Version: n.Version, Language: n.Language, AcceptedAt: r.PrivacyAcceptedAt}
			}
		}
		for _, c := range certs {
			if c.RegistrationID == r.ID {
				xc := &ExportCertificate{Code: c.Code, Days: []string{}, Language: c.Language, IssuedAt: c.IssuedAt,
					MailedAt: c.MailedAt, VerifyURL: s.BaseURL + certificates.VerifyPath(c.Code)}
				xc.Days = append(xc.Days, c.Days...)
				xr.Certificate = xc
			}
		}
		for _, d := range days {
			if d.RegistrationID == r.ID {
				xr.Days = append(xr.Days, day(d.Day))
				xr.DayDates = append(xr.DayDates, d.Day)
			}
		}
		for _, qu := range questions { // in the event's order of questions
			for _, a := range answers {
				if a.RegistrationID == r.ID && a.QuestionID == qu.ID {
					xa := ExportAnswer{Key: qu.Key, Question: qu.Label.In(lang), Values: a.Value, Labels: a.Value}
					if qu.Choice() {
						xa.Labels = make([]string, len(a.Value))
						for i, v := range a.Value {
							xa.Labels[i] = qu.Options.Label(v, lang)
						}
					}
					xr.Answers = append(xr.Answers, xa)
				}
			}
		}
		for _, c := range consents {
			if c.RegistrationID == r.ID {
				xr.Consents = append(xr.Consents, ExportConsent{Kind: c.Kind, Given: c.Given, NoticeVersion: c.NoticeVersion, At: c.At})
			}
		}
		for _, t := range tickets {
			if t.RegistrationID == r.ID {
				xr.Tickets = append(xr.Tickets, ExportTicket{ID: t.ID, Code: t.Code, Days: t.Days, IssuedAt: t.IssuedAt,
					RevokedAt: t.RevokedAt, RevokedReason: t.RevokedReason})
			}
		}
		for _, a := range admissions {
			if a.RegistrationID == r.ID {
				xr.Admissions = append(xr.Admissions, ExportAdmission{Day: day(a.Day), AdmittedAt: a.AdmittedAt.In(loc),
					Method: a.Method, Reason: a.Reason, UndoneAt: a.UndoneAt})
			}
		}
		for _, sc := range scans {
			owner := int64(0)
			if sc.RegistrationID != nil {
				owner = *sc.RegistrationID
			} else if sc.TicketID != nil {
				owner = ticketReg[*sc.TicketID]
			}
			if owner != r.ID {
				continue
			}
			e := ExportScan{Day: day(sc.Day), ScannedAt: sc.ScannedAt.In(loc), Method: sc.Method, Result: sc.Result,
				Reason: sc.Reason, Offline: sc.Offline}
			if sc.DeviceName != nil {
				e.Device = *sc.DeviceName
			}
			xr.Scans = append(xr.Scans, e)
		}
		for _, sg := range sigs {
			if sg.RegistrationID == r.ID {
				xr.Signatures = append(xr.Signatures, ExportSignature{Day: day(sg.Day), CapturedAt: sg.CapturedAt.In(loc),
					SHA256: hex.EncodeToString(sg.SHA256), Bytes: sg.Bytes})
			}
		}
		if fb, err := s.Store.Feedback(ctx, q, r.ID); err == nil {
			xr.Feedback = fb.Answers
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		x.Registrations = append(x.Registrations, xr)
	}
	for _, m := range msgs {
		x.Messages = append(x.Messages, ExportMessage{Kind: m.Kind, To: m.ToAddr, Subject: m.Subject, Status: m.Status,
			CreatedAt: m.CreatedAt, SentAt: m.SentAt, Text: m.TextBody})
	}
	return nil
}
