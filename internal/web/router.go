package web

import (
	"net/http"

	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/web/admin"
	"github.com/decode-attend/attend/internal/web/api"
	"github.com/decode-attend/attend/internal/web/door"
	"github.com/decode-attend/attend/internal/web/feedbackform"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/mailadmin"
	"github.com/decode-attend/attend/internal/web/messaging"
	"github.com/decode-attend/attend/internal/web/ops"
	"github.com/decode-attend/attend/internal/web/partner"
	"github.com/decode-attend/attend/internal/web/privacyadmin"
	"github.com/decode-attend/attend/internal/web/public"
	"github.com/decode-attend/attend/internal/web/reports"
	"github.com/decode-attend/attend/internal/web/signin"
)

// Route is one row of the route table.
type Route struct {
	Method string
	Path   string
	Access Access
	// Handler returns its error, which the server answers in one place
	// (httpx.Env.Fail); the few that answer at the HTTP level by themselves
	// (health, metrics, static files) are wrapped in httpx.Plain.
	Handler httpx.HandlerFunc
}

// routes is the route table: every route the application serves, with who may
// call it. Reading this function answers "who may call what".
func (s *Server) routes() []Route {
	// The services were built once, by cmd/attend (services.New); each area's
	// handlers get the ones they call.
	svc, now := s.Services, s.Services.Now
	pub := &public.Handler{Env: s.env, Store: s.Store, Now: now, Reg: svc.Registration, Limits: svc.Limits}
	apiH := &api.Handler{Env: s.env, Store: s.Store, Now: now, BaseURL: s.Config.BaseURL, Version: s.Version}
	opsH := &ops.Handler{Store: s.Store, Migrations: s.Migrations, Version: s.Version}
	// [registration handlers]
	regAPI := &api.RegistrationsAPI{Env: s.env, Reg: svc.Registration, Limits: svc.Limits}
	staffRegAPI := &api.StaffRegistrationsAPI{Env: s.env, Store: s.Store, Reg: svc.Registration}
	partnerH := &partner.Handler{Env: s.env, Store: s.Store, Reg: svc.Registration, Now: now}
	// [tickets-mail handlers]
	ticketH := &public.TicketPages{Env: s.env, Store: s.Store, Verifier: svc.Registration, Now: now}
	mailH := &mailadmin.Handler{Env: s.env, Store: s.Store, Keep: s.Config.SMTPURL == ""}
	// [door handlers]
	doorH := &door.Handler{Env: s.env, Store: s.Store, Checkin: svc.Checkin, BaseURL: s.Config.BaseURL, Now: now, Assets: s.assets}
	doorAPI := &api.DoorAPI{Env: s.env, Store: s.Store, Checkin: svc.Checkin, Notifier: func() notify.Notifier { return svc.Notifier }, Now: now}
	// [reports handlers]
	reportsH := &reports.Handler{Env: s.env, Store: s.Store, Reports: svc.Reports, Now: now}
	reportAPI := &api.ReportAPI{Env: s.env, Reports: svc.Reports}
	// [programme API handlers]
	progAPI := &api.ProgrammeAPI{Env: s.env, Store: s.Store, Setup: svc.Programme, Now: now}
	// [accounts-admin handlers]
	acctH := &signin.Handler{Env: s.env, Accounts: svc.Accounts, SecureCookies: s.secureCookies}
	adminH := &admin.Handler{Env: s.env, Store: s.Store, Accounts: svc.Accounts, Manage: svc.Programme, Registrations: svc.Registration,
		Checkin: svc.Checkin, Headers: svc.ImportHeaders, Certificates: svc.Certificates, Results: svc.Results, Now: now}
	importAPI := &api.ImportsAPI{Env: s.env, Reg: svc.Registration, Headers: svc.ImportHeaders}
	// [privacy handlers]
	privacyH := &privacyadmin.Handler{Env: s.env, Store: s.Store, Privacy: svc.Privacy, Now: now}
	privacyPub := &public.PrivacyHandler{Env: s.env, Store: s.Store, Privacy: svc.Privacy, Manage: svc.Registration}
	// [certificates handlers]
	certAPI := &api.CertificatesAPI{ProgrammeAPI: progAPI, Certs: svc.Certificates}
	resultsH := &public.ResultsPages{Env: s.env, Results: svc.Results}
	certH := &public.CertificatePages{Env: s.env, Store: s.Store, Verifier: svc.Registration, Certs: svc.Certificates, Now: now}
	// [messages handlers]
	msgH := &messaging.Handler{Env: s.env, Store: s.Store, Messages: svc.Messages, Now: now}
	msgAPI := &api.MessagesAPI{Env: s.env, Messages: svc.Messages}
	optOutAPI := &api.OptOutAPI{Messages: svc.Messages}
	feedbackH := &feedbackform.Handler{Env: s.env, Store: s.Store, Links: svc.Registration, Feedback: svc.Feedback, Now: now}

	const GET, POST, PUT, PATCH, DELETE = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	_, _, _ = POST, PUT, DELETE
	return []Route{
		// Operations.
		{GET, "/healthz", Ops, httpx.Plain(opsH.Healthz)},
		{GET, "/readyz", Ops, httpx.Plain(opsH.Readyz)},
		{GET, "/metrics", Ops, httpx.Plain(s.metricsHandler())},
		{GET, "/assets/:hash/*path", Ops, httpx.Plain(s.serveAsset)},
		{GET, "/favicon.ico", Ops, httpx.Plain(s.favicon)},

		// Public pages, in the visitor's language (/:lang/ prefix, cookie, Accept-Language).
		{GET, "/", Anyone, pub.Home},
		{GET, "/:lang/", Anyone, pub.Home},

		// Public JSON API.
		{GET, "/api/v1/events", AnyoneAPI, apiH.EventsList},
		{GET, "/api/v1/openapi.json", AnyoneAPI, apiH.OpenAPI},

		// [registration routes]: event pages, registration, confirmation, self-service, delegations.
		{GET, "/:lang/events/:slug", Anyone, pub.EventShow},
		{GET, "/:lang/events/:slug/calendar.ics", Anyone, pub.EventCalendar},
		{GET, "/:lang/events/:slug/register", Anyone, pub.RegisterForm},
		{POST, "/:lang/events/:slug/register", Anyone, pub.RegisterSubmit},
		{GET, "/:lang/events/:slug/registered", Anyone, pub.Registered},
		{GET, "/:lang/confirm/:token", Anyone, pub.Confirm},
		{POST, "/:lang/confirm/:token", Anyone, pub.ConfirmSubmit},
		{POST, "/:lang/confirm/:token/resend", Anyone, pub.ConfirmResend},
		{GET, "/:lang/r/:id/:token", Anyone, pub.Manage},
		{POST, "/:lang/r/:id/:token/days", Anyone, pub.ManageDays},
		{GET, "/:lang/r/:id/:token/edit", Anyone, pub.ManageEdit},
		{POST, "/:lang/r/:id/:token/edit", Anyone, pub.ManageEditSubmit},
		{GET, "/:lang/r/:id/:token/cancel", Anyone, pub.ManageCancel},
		{POST, "/:lang/r/:id/:token/cancel", Anyone, pub.ManageCancelSubmit},
		{GET, "/:lang/r/:id/:token/calendar.ics", Anyone, pub.ManageCalendar},
		{GET, "/:lang/resend-link", Anyone, pub.ResendForm},
		{POST, "/:lang/resend-link", Anyone, pub.ResendSubmit},
		{POST, "/api/v1/events/:slug/registrations", AnyoneAPI, regAPI.Create},
		// The registrations API for staff: list, read, change, cancel, register on a person's behalf.
		{GET, "/api/v1/events/:slug/registrations", ReportAPI, staffRegAPI.RegistrationsList},
		{POST, "/api/v1/events/:slug/registrations/on-behalf", ReportAPI, staffRegAPI.RegistrationsOnBehalf},
		{GET, "/api/v1/registrations/:id", ReportAPI, staffRegAPI.RegistrationShow},
		{PATCH, "/api/v1/registrations/:id", ReportAPI, staffRegAPI.RegistrationUpdate},
		{POST, "/api/v1/registrations/:id/cancel", ReportAPI, staffRegAPI.RegistrationCancel},
		{GET, "/partner/", Partner, partnerH.Home},
		{GET, "/partner/events/:slug/delegation", Partner, partnerH.DelegationForm},
		{POST, "/partner/events/:slug/delegation", Partner, partnerH.DelegationSubmit},
		{GET, "/partner/delegations/:id", Partner, partnerH.DelegationShow},

		// [tickets-mail routes]: ticket page, PDF ticket, outbox and development mail pages.
		{GET, "/:lang/r/:id/:token/ticket", Anyone, ticketH.TicketShow},
		{GET, "/:lang/r/:id/:token/ticket.pdf", Anyone, ticketH.TicketPDF},
		{GET, "/:lang/r/:id/:token/qr.png", Anyone, ticketH.TicketQRPNG},
		{GET, "/:lang/r/:id/:token/qr.svg", Anyone, ticketH.TicketQRSVG},
		{GET, "/admin/outbox", Admin, mailH.OutboxList},
		{POST, "/admin/outbox/:id/retry", Admin, mailH.OutboxRetry},
		{GET, "/admin/mail", Admin, mailH.MailList},
		{GET, "/admin/mail/:id", Admin, mailH.MailShow},
		{GET, "/admin/mail/:id/html", Admin, mailH.MailHTML},
		{GET, "/admin/mail/:id/attachments/:aid", Admin, mailH.MailAttachment},

		// [door routes]: pairing, scanner, desk, scan API, live counts, devices.
		// The pages hold no data (the device token stays on the phone); the API decides.
		{GET, "/door/pair", Anyone, doorH.Pair},
		{GET, "/door/scan", Anyone, doorH.Scan},
		{GET, "/door/sw.js", Ops, doorH.ServiceWorker},
		{GET, "/door/manifest.webmanifest", Ops, doorH.Manifest},
		{GET, "/door/icon-192.png", Ops, doorH.Icon},
		{GET, "/door/icon-512.png", Ops, doorH.Icon},
		{GET, "/door/live", Door, doorH.Live},
		{GET, "/:lang/door/scan", Anyone, acctH.LangSwitch}, // language links: set the language, back to the page
		{GET, "/:lang/door/pair", Anyone, acctH.LangSwitch},
		{GET, "/:lang/door/live", Anyone, acctH.LangSwitch},
		{GET, "/admin/devices", Coordinator, doorH.DevicesList},
		{POST, "/admin/devices", Coordinator, doorH.DevicesCreate},
		{POST, "/admin/devices/:id/pair", Coordinator, doorH.DevicesPair},
		{POST, "/admin/devices/:id/revoke", Coordinator, doorH.DevicesRevoke},
		{POST, "/api/v1/scans", ScanAPI, doorAPI.ScanCreate},
		{POST, "/api/v1/scans/batch", ScanAPI, doorAPI.ScanBatch},
		{GET, "/api/v1/door/bundle", ScanAPI, doorAPI.DoorBundle},
		{GET, "/api/v1/door/counts", ScanAPI, doorAPI.DoorCounts},
		{GET, "/api/v1/door/search", ScanAPI, doorAPI.DoorSearch},
		{POST, "/api/v1/door/admit", ScanAPI, doorAPI.DoorAdmit},
		{POST, "/api/v1/door/walkins", ScanAPI, doorAPI.DoorWalkIn},
		{POST, "/api/v1/door/undo", ScanAPI, doorAPI.DoorUndo},

		// [door mode routes]: an event's door counts exits (in and out).
		{POST, "/admin/events/:slug/door-mode", Coordinator, doorH.DoorMode},

		// [reports routes]: dashboards, exports, signed lists, report API.
		{GET, "/admin/reports", Coordinator, reportsH.ProjectDashboard},
		{GET, "/admin/reports/projects/:code", Coordinator, reportsH.ProjectDashboard},
		{GET, "/admin/reports/projects/:code/counts", Coordinator, reportsH.ProjectCounts},
		{GET, "/admin/reports/events/:slug", Coordinator, reportsH.EventDashboard},
		{GET, "/admin/reports/events/:slug/counts", Coordinator, reportsH.EventCounts},
		{GET, "/admin/reports/events/:slug/participants", Coordinator, reportsH.Participants},
		{GET, "/admin/reports/events/:slug/scans", Coordinator, reportsH.Scans},
		{GET, "/admin/reports/events/:slug/lists.pdf", Coordinator, reportsH.ListsPDF},
		{GET, "/admin/reports/events/:slug/badges.pdf", Coordinator, reportsH.BadgesPDF},
		{GET, "/door/sign/:slug", Door, reportsH.SigningDesk},
		{GET, "/door/sign/:slug/:reg", Door, reportsH.SigningPad},
		{POST, "/door/sign/:slug/:reg", Door, reportsH.SigningSave},
		{GET, "/:lang/door/sign/*path", Anyone, acctH.LangSwitch},
		{GET, "/api/v1/events/:slug/report", ReportAPI, reportAPI.EventReport},
		{GET, "/api/v1/projects/:code/report", ReportAPI, reportAPI.ProjectReport},
		{POST, "/api/v1/events/:slug/signatures", ScanAPI, reportAPI.SignatureCreate},

		// [programme API routes]: projects, partners, events as JSON. Coordinators'
		// report tokens where the screens let a coordinator do the same, within
		// their project (the object rule); the rest admin-scope tokens only.
		{GET, "/api/v1/projects", ReportAPI, progAPI.ProjectsList},
		{POST, "/api/v1/projects", AdminAPI, progAPI.ProjectCreate},
		{GET, "/api/v1/projects/:code", ReportAPI, progAPI.ProjectShow},
		{PATCH, "/api/v1/projects/:code", AdminAPI, progAPI.ProjectUpdate},
		{GET, "/api/v1/projects/:code/partners", ReportAPI, progAPI.PartnersList},
		{POST, "/api/v1/projects/:code/partners", AdminAPI, progAPI.PartnerCreate},
		{PATCH, "/api/v1/projects/:code/partners/:slug", AdminAPI, progAPI.PartnerUpdate},
		{GET, "/api/v1/projects/:code/events", ReportAPI, progAPI.ProjectEventsList},
		{POST, "/api/v1/projects/:code/events", AdminAPI, progAPI.EventCreate},
		{GET, "/api/v1/events/:slug", ReportAPI, progAPI.EventShow},
		{PATCH, "/api/v1/events/:slug", ReportAPI, progAPI.EventUpdate},
		// Rule sets per project (presets shared, copies a project's own).
		{GET, "/api/v1/rule-sets", ReportAPI, progAPI.RuleSetsList},
		{POST, "/api/v1/rule-sets", AdminAPI, progAPI.RuleSetCreate},
		{GET, "/api/v1/rule-sets/:code", ReportAPI, progAPI.RuleSetShow},
		{PATCH, "/api/v1/rule-sets/:code", AdminAPI, progAPI.RuleSetUpdate},
		// An event's timetable: each day's start and end times.
		{GET, "/api/v1/events/:slug/timetable", ReportAPI, progAPI.EventTimetable},
		{PUT, "/api/v1/events/:slug/timetable", ReportAPI, progAPI.EventTimetableUpdate},
		// The sessions of an event's days.
		{POST, "/api/v1/events/:slug/sessions", ReportAPI, progAPI.SessionCreate},
		{PATCH, "/api/v1/events/:slug/sessions/:id", ReportAPI, progAPI.SessionUpdate},
		{DELETE, "/api/v1/events/:slug/sessions/:id", ReportAPI, progAPI.SessionDelete},

		// [questions and event copies]: an event's own questions, and copies of events.
		{GET, "/api/v1/events/:slug/questions", ReportAPI, progAPI.QuestionsList},
		{POST, "/api/v1/events/:slug/questions", ReportAPI, progAPI.QuestionCreate},
		{PATCH, "/api/v1/events/:slug/questions/:key", ReportAPI, progAPI.QuestionUpdate},
		{DELETE, "/api/v1/events/:slug/questions/:key", ReportAPI, progAPI.QuestionDelete},
		{POST, "/api/v1/events/:slug/copy", AdminAPI, progAPI.EventCopy},

		// [accounts-admin routes]: sign-in, admin screens, users, tokens, audit log.
		{GET, "/signin", Anyone, acctH.SigninForm},
		{POST, "/signin", Anyone, acctH.SigninSubmit},
		{GET, "/signin/code", Anyone, acctH.CodeForm},
		{POST, "/signin/code", Anyone, acctH.CodeSubmit},
		{POST, "/signout", Anyone, acctH.Signout},
		{POST, "/signout-everywhere", Staff, acctH.SignoutEverywhere},
		{GET, "/password/forgot", Anyone, acctH.ForgotForm},
		{POST, "/password/forgot", Anyone, acctH.ForgotSubmit},
		{GET, "/password/reset", Anyone, acctH.ResetForm},
		{POST, "/password/reset", Anyone, acctH.ResetSubmit},
		{GET, "/account", Staff, acctH.Show},
		{POST, "/account/password", Staff, acctH.PasswordChange},
		{POST, "/account/language", Staff, acctH.LanguageChange}, // [i18n screens] the account's language
		{GET, "/account/totp", Staff, acctH.TOTPSetup},
		{POST, "/account/totp", Staff, acctH.TOTPEnable},
		{POST, "/account/totp/disable", Staff, acctH.TOTPDisable},
		// Language links of staff pages (/lv/admin/...): store the choice, go to the page.
		{GET, "/:lang/signin", Anyone, acctH.LangSwitch},
		{GET, "/:lang/account", Anyone, acctH.LangSwitch},
		{GET, "/:lang/account/*path", Anyone, acctH.LangSwitch},
		{GET, "/:lang/password/*path", Anyone, acctH.LangSwitch},
		{GET, "/:lang/admin/*path", Anyone, acctH.LangSwitch},
		{GET, "/:lang/partner/*path", Anyone, acctH.LangSwitch},
		{GET, "/admin/", Coordinator, adminH.Dashboard},
		{GET, "/admin/events", Coordinator, adminH.EventsList},
		{GET, "/admin/events/new", Admin, adminH.EventNew},
		{POST, "/admin/events", Admin, adminH.EventCreate},
		{GET, "/admin/events/:slug", Coordinator, adminH.EventEdit},
		{POST, "/admin/events/:slug", Coordinator, adminH.EventSave},
		{POST, "/admin/events/:slug/registration", Coordinator, adminH.EventRegistration},
		{POST, "/admin/events/:slug/days", Coordinator, adminH.EventDays},
		{POST, "/admin/events/:slug/promote", Coordinator, adminH.EventPromote},
		{POST, "/admin/events/:slug/keys/rotate", Coordinator, adminH.EventKeyRotate},
		// [translation routes]: an event's and a project's texts in every language.
		{GET, "/admin/events/:slug/translations", Coordinator, adminH.EventTranslations},
		{POST, "/admin/events/:slug/translations", Coordinator, adminH.EventTranslationsSave},
		{GET, "/admin/projects/:id/translations", Coordinator, adminH.ProjectTranslations},
		{POST, "/admin/projects/:id/translations", Coordinator, adminH.ProjectTranslationsSave},
		// [questions and event copies]: the question editor and the copy of an event.
		{GET, "/admin/events/:slug/questions/new", Coordinator, adminH.QuestionNew},
		{POST, "/admin/events/:slug/questions", Coordinator, adminH.QuestionCreate},
		{GET, "/admin/events/:slug/questions/:key", Coordinator, adminH.QuestionEdit},
		{POST, "/admin/events/:slug/questions/:key", Coordinator, adminH.QuestionSave},
		{POST, "/admin/events/:slug/questions/:key/delete", Coordinator, adminH.QuestionDelete},
		{POST, "/admin/events/:slug/questions/:key/move", Coordinator, adminH.QuestionMove},
		{POST, "/admin/events/:slug/copy", Admin, adminH.EventCopy},
		// The sessions of the event's days (its timetable).
		{GET, "/admin/events/:slug/sessions/new", Coordinator, adminH.SessionNew},
		{POST, "/admin/events/:slug/sessions", Coordinator, adminH.SessionCreate},
		{GET, "/admin/events/:slug/sessions/:id", Coordinator, adminH.SessionEdit},
		{POST, "/admin/events/:slug/sessions/:id", Coordinator, adminH.SessionSave},
		{POST, "/admin/events/:slug/sessions/:id/delete", Coordinator, adminH.SessionDelete},
		{GET, "/admin/events/:slug/attendance", Coordinator, adminH.AttendanceShow},
		{POST, "/admin/events/:slug/attendance", Coordinator, adminH.AttendanceSave},
		{GET, "/admin/events/:slug/import", Coordinator, adminH.ImportForm},
		{POST, "/admin/events/:slug/import", Coordinator, adminH.ImportPreview},
		{POST, "/admin/events/:slug/import/apply", Coordinator, adminH.ImportApply},
		{POST, "/api/v1/events/:slug/imports", ReportAPI, importAPI.ImportCreate},
		{GET, "/admin/projects", Admin, adminH.ProjectsList},
		{GET, "/admin/projects/new", Admin, adminH.ProjectNew},
		{POST, "/admin/projects", Admin, adminH.ProjectCreate},
		{GET, "/admin/projects/:id", Admin, adminH.ProjectEdit},
		{POST, "/admin/projects/:id", Admin, adminH.ProjectSave},
		{POST, "/admin/projects/:id/partners", Admin, adminH.PartnerCreate},
		{GET, "/admin/partners/:id", Admin, adminH.PartnerEdit},
		{POST, "/admin/partners/:id", Admin, adminH.PartnerSave},
		{GET, "/admin/registrations", Coordinator, adminH.RegistrationsList},
		{GET, "/admin/events/:slug/registrations/new", Coordinator, adminH.RegistrationNew},
		{POST, "/admin/events/:slug/registrations", Coordinator, adminH.RegistrationCreate},
		{GET, "/admin/registrations/:id", Coordinator, adminH.RegistrationShow},
		{GET, "/admin/registrations/:id/ticket.pdf", Coordinator, adminH.RegistrationTicketPDF},
		{POST, "/admin/registrations/:id", Coordinator, adminH.RegistrationSave},
		{POST, "/admin/registrations/:id/days", Coordinator, adminH.RegistrationDays},
		{POST, "/admin/registrations/:id/cancel", Coordinator, adminH.RegistrationCancel},
		{POST, "/admin/registrations/:id/resend", Coordinator, adminH.RegistrationResend},
		{POST, "/admin/registrations/:id/promote", Coordinator, adminH.RegistrationPromote},
		{GET, "/admin/users", Admin, adminH.UsersList},
		{GET, "/admin/users/new", Admin, adminH.UserNew},
		{POST, "/admin/users", Admin, adminH.UserCreate},
		{GET, "/admin/users/:id", Admin, adminH.UserEdit},
		{POST, "/admin/users/:id", Admin, adminH.UserSave},
		{POST, "/admin/users/:id/disable", Admin, adminH.UserDisable},
		{POST, "/admin/users/:id/reset", Admin, adminH.UserReset},
		{POST, "/admin/users/:id/totp-reset", Admin, adminH.UserTOTPReset},
		{POST, "/admin/users/:id/grants", Admin, adminH.UserGrant},
		{POST, "/admin/users/:id/grants/:event/revoke", Admin, adminH.UserGrantRevoke},
		{POST, "/admin/users/:id/tokens", Admin, adminH.UserTokenCreate},
		{GET, "/admin/tokens", Admin, adminH.TokensList},
		{POST, "/admin/tokens/:id/revoke", Admin, adminH.TokenRevoke},
		// Rule sets per project: presets to read and copy, projects' own to edit.
		{GET, "/admin/rulesets", Coordinator, adminH.RuleSetsList},
		{GET, "/admin/rulesets/:code", Coordinator, adminH.RuleSetEdit},
		{POST, "/admin/rulesets/:code", Admin, adminH.RuleSetSave},
		{POST, "/admin/rulesets/:code/copy", Admin, adminH.RuleSetCopy},
		{GET, "/admin/audit", Admin, adminH.AuditList},
		{GET, "/admin/audit.csv", Admin, adminH.AuditExport},

		// [privacy routes]: notices, access export, erasure, retention.
		{GET, "/:lang/privacy", Anyone, privacyPub.PrivacyIndex},
		{GET, "/:lang/privacy/:project", Anyone, privacyPub.PrivacyNotice},
		{GET, "/:lang/r/:id/:token/my-data", Anyone, privacyPub.MyData},
		{GET, "/:lang/r/:id/:token/my-data.json", Anyone, privacyPub.MyDataJSON},
		{GET, "/admin/privacy", Admin, privacyH.Index},
		{POST, "/admin/privacy/projects/:code/retention", Admin, privacyH.RetentionSave},
		{GET, "/admin/privacy/projects/:code/anonymise", Admin, privacyH.AnonymiseConfirm},
		{POST, "/admin/privacy/projects/:code/anonymise", Admin, privacyH.AnonymiseRun},
		{GET, "/admin/privacy/projects/:code/notices", Admin, privacyH.Notices},
		{POST, "/admin/privacy/projects/:code/notices", Admin, privacyH.NoticePublish},
		{POST, "/admin/privacy/export", Admin, privacyH.PersonExport},
		{POST, "/admin/privacy/erase/confirm", Admin, privacyH.EraseConfirm},
		{POST, "/admin/privacy/erase", Admin, privacyH.EraseRun},

		// [certificates routes]: public verification, the holder's PDF, the
		// event's settings and sending.
		{GET, "/verify/:code", Anyone, certH.VerifyShow},
		{GET, "/:lang/verify/:code", Anyone, certH.VerifyShow},
		{GET, "/:lang/r/:id/:token/certificate.pdf", Anyone, certH.CertificatePDF},
		{POST, "/admin/events/:slug/certificates", Coordinator, adminH.EventCertificatesSave},
		{POST, "/admin/events/:slug/certificates/send", Coordinator, adminH.EventCertificatesSend},
		{GET, "/api/v1/events/:slug/certificate-settings", ReportAPI, certAPI.CertificateSettingsShow},
		{PATCH, "/api/v1/events/:slug/certificate-settings", ReportAPI, certAPI.CertificateSettingsUpdate},

		// [results routes]: the public results pages, published by a coordinator.
		{GET, "/:lang/events/:slug/results", Anyone, resultsH.ResultsShow},
		{GET, "/:lang/events/:slug/results/embed", Anyone, resultsH.ResultsEmbed},
		{GET, "/:lang/projects/:code/results", Anyone, resultsH.ProjectResults},
		{POST, "/admin/events/:slug/results/publish", Coordinator, adminH.EventResultsPublish},
		{POST, "/admin/events/:slug/results/unpublish", Coordinator, adminH.EventResultsUnpublish},
		{POST, "/admin/events/:slug/results/origins", Coordinator, adminH.EventResultsOrigins},

		// [report pack routes]: the project's final report pack (ZIP).
		{GET, "/admin/reports/projects/:code/pack.zip", Coordinator, reportsH.ProjectPack},
		{GET, "/api/v1/projects/:code/report/pack", ReportAPI, reportAPI.ProjectReportPack},
		// [messages routes]: messages to a segment of an event's or a project's people, opt-out.
		{GET, "/admin/events/:slug/messages", Coordinator, msgH.EventMessages},
		{POST, "/admin/events/:slug/messages/preview", Coordinator, msgH.EventMessagePreview},
		{POST, "/admin/events/:slug/messages", Coordinator, msgH.EventMessageSend},
		{GET, "/admin/projects/:id/messages", Coordinator, msgH.ProjectMessages},
		{POST, "/admin/projects/:id/messages/preview", Coordinator, msgH.ProjectMessagePreview},
		{POST, "/admin/projects/:id/messages", Coordinator, msgH.ProjectMessageSend},
		{GET, "/admin/messages/:id", Coordinator, msgH.MessageShow},
		{POST, "/api/v1/events/:slug/messages", ReportAPI, msgAPI.MessageCreate},
		{POST, "/api/v1/projects/:code/messages", ReportAPI, msgAPI.ProjectMessageCreate},
		{GET, "/api/v1/messages/:id", ReportAPI, msgAPI.MessageShow},
		{GET, "/:lang/optout/:id/:token", Anyone, msgH.OptOutShow},
		{POST, "/:lang/optout/:id/:token", Anyone, msgH.OptOutSubmit},
		// RFC 8058 one-click: mail programs post without a session or CSRF token; the signed link decides.
		{POST, "/api/v1/optout/:id/:token", AnyoneAPI, optOutAPI.OptOutOneClick},
		// Feedback after the event, from the private link.
		{GET, "/:lang/r/:id/:token/feedback", Anyone, feedbackH.FeedbackShow},
		{POST, "/:lang/r/:id/:token/feedback", Anyone, feedbackH.FeedbackSubmit},
		{GET, "/admin/events/:slug/feedback", Coordinator, feedbackH.SettingsShow},
		{POST, "/admin/events/:slug/feedback", Coordinator, feedbackH.SettingsSave},
	}
}
