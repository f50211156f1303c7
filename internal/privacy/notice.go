package privacy

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
)

// NoticeParams are the facts a notice names that differ between controllers.
// Everything else (purpose, lawful basis, recipients, retention, rights) comes
// from the translated template and the project's data, so every language says
// the same thing.
type NoticeParams struct {
	Controller string `json:"controller"` // name and address of the controller
	Contact    string `json:"contact"`    // where to send privacy requests
	DPO        string `json:"dpo"`        // data protection officer, optional
	Authority  string `json:"authority"`  // supervisory authority for complaints
}

// DefaultParams are the lead partner's, used until a version with parameters is published.
var DefaultParams = NoticeParams{
	Controller: "Daugavpils City Council (Daugavpils pilsētas dome), K. Valdemāra iela 1, Daugavpils, LV-5401, Latvia",
	Contact:    "dome@daugavpils.lv",
	Authority:  "Data State Inspectorate of Latvia (Datu valsts inspekcija), www.dvi.gov.lv",
}

// Validate checks the parameters.
func (p NoticeParams) Validate() error {
	inv := &apperr.Invalid{}
	for field, v := range map[string]string{"controller": p.Controller, "contact": p.Contact, "authority": p.Authority} {
		if strings.TrimSpace(v) == "" {
			inv.Add(field, "privacy.error.required")
		}
	}
	for field, v := range map[string]string{"controller": p.Controller, "contact": p.Contact, "dpo": p.DPO, "authority": p.Authority} {
		if utf8.RuneCountInString(v) > 500 {
			inv.Add(field, "privacy.error.too_long")
		}
	}
	return inv.Err()
}

// RenderNotice writes the notice body in one language from the template
// (catalogue keys privacy.notice.*): controller, purpose, lawful basis,
// recipients, retention and rights, one paragraph each.
func RenderNotice(l *i18n.Localizer, p NoticeParams, r store.Retention, proj store.Project) string {
	title := proj.Title.In(l.Lang)
	if proj.Acronym != "" {
		title = proj.Acronym + " (" + title + ")"
	}
	paras := []string{
		l.T("privacy.notice.controller", "controller", p.Controller, "project", title),
		l.T("privacy.notice.contact", "contact", p.Contact),
	}
	if strings.TrimSpace(p.DPO) != "" {
		paras[1] += " " + l.T("privacy.notice.dpo", "dpo", p.DPO)
	}
	paras = append(paras,
		l.T("privacy.notice.purpose", "programme", proj.Programme, "grant", proj.GrantRef),
		l.T("privacy.notice.basis"),
		l.T("privacy.notice.recipients"),
	)
	ret := l.N("privacy.notice.retention", r.RetentionYears)
	if r.RecordsKeptUntil != nil {
		ret += " " + l.T("privacy.notice.retention_until", "date", l.Date(*r.RecordsKeptUntil))
	}
	ret += " " + l.N("privacy.notice.needs", r.NeedsRetentionDays)
	paras = append(paras, ret,
		l.T("privacy.notice.door"),
		l.T("privacy.notice.rights", "authority", p.Authority))
	return strings.Join(paras, "\n\n")
}

// NoticeDraft is a new version rendered in every language, not yet stored.
type NoticeDraft struct {
	Params NoticeParams
	Bodies map[string]string // language -> body
}

// CurrentParams returns the newest version's parameters. A project that
// never published a notice gets a draft naming its own controller, its lead
// partner, for an administrator to complete, review and publish; one whose
// notices predate the parameters gets the defaults.
func (s *Service) CurrentParams(ctx context.Context, projectID int64) (NoticeParams, error) {
	raw, err := s.Store.LatestPrivacyNoticeParams(ctx, s.Store.DB, projectID)
	if err != nil {
		return NoticeParams{}, err
	}
	versions, err := s.Store.PrivacyNoticeVersions(ctx, s.Store.DB, projectID)
	if err != nil {
		return NoticeParams{}, err
	}
	if len(versions) == 0 {
		return s.leadParams(ctx, projectID)
	}
	p := DefaultParams
	var got NoticeParams
	if json.Unmarshal(raw, &got) == nil && got.Controller != "" {
		p = got
	}
	return p, nil
}

// DraftNotice renders a new version of a project's notice in every language.
func (s *Service) DraftNotice(ctx context.Context, code string, p NoticeParams) (NoticeDraft, error) {
	if err := p.Validate(); err != nil {
		return NoticeDraft{}, err
	}
	proj, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return NoticeDraft{}, err
	}
	r, err := s.Store.RetentionByCode(ctx, s.Store.DB, code)
	if err != nil {
		return NoticeDraft{}, err
	}
	d := NoticeDraft{Params: p, Bodies: map[string]string{}}
	for _, lang := range i18n.Languages {
		d.Bodies[lang] = RenderNotice(s.I18n.Localizer(lang), p, r, proj)
	}
	return d, nil
}

// PublishNotice stores a new version of a project's notice in every language.
// New registrations acknowledge it from then on; earlier ones keep the version
// they acknowledged.
func (s *Service) PublishNotice(ctx context.Context, code string, p NoticeParams, by Actor) (int, error) {
	d, err := s.DraftNotice(ctx, code, p)
	if err != nil {
		return 0, err
	}
	proj, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return 0, err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	var by64 *int64
	if by.Principal != nil && by.Principal.UserID != 0 {
		id := by.Principal.UserID
		by64 = &id
	}
	var version int
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if version, err = s.Store.NextPrivacyNoticeVersion(ctx, tx, proj.ID); err != nil {
			return err
		}
		for _, lang := range i18n.Languages {
			n := store.PrivacyNotice{ProjectID: proj.ID, Version: version, Language: lang, Body: d.Bodies[lang]}
			if err := s.Store.PublishPrivacyNotice(ctx, tx, &n, store.JSON(raw), by64); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, by, "privacy.notice_publish", "project", proj.Code, map[string]any{
			"version": version, "languages": len(i18n.Languages),
		})
	})
	return version, err
}

// Paragraphs splits a notice body into paragraphs for display.
func Paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// leadParams drafts the parameters of a new project's first notice: its lead
// partner as controller; contact and authority are left for the administrator.
func (s *Service) leadParams(ctx context.Context, projectID int64) (NoticeParams, error) {
	parts, err := s.Store.Partners(ctx, s.Store.DB, projectID)
	if err != nil {
		return NoticeParams{}, err
	}
	if len(parts) == 0 {
		return NoticeParams{}, nil
	}
	lead := parts[0] // the first partner when none is marked lead
	for _, pt := range parts {
		if pt.IsLead {
			lead = pt
		}
	}
	l := s.I18n.Localizer("en")
	return NoticeParams{Controller: lead.Organisation + ", " + lead.City + ", " + l.Country(lead.Country)}, nil
}
