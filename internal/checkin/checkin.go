// Package checkin admits people at the door: it verifies signed tickets,
// admits each person at most once per event day (the database decides, so any
// number of phones and app instances agree), replays answers to retried scans,
// settles offline uploads by scan time, and serves the desk, walk-ins, undo and
// the live counts.
package checkin

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

// Results of a scan, as stored in scans.result and answered by the API.
const (
	Admitted        = "admitted"
	AlreadyAdmitted = "already_admitted"
	Invalid         = "invalid"
	Revoked         = "revoked"
	Cancelled       = "cancelled"
	WrongEvent      = "wrong_event"
	NotToday        = "not_today"
	Undone          = "undone"
	// Exited and NotInside answer exit scans: out, or not admitted that day.
	Exited    = "exited"
	NotInside = "not_inside"
)

// Service is the check-in use case.
type Service struct {
	Store   *store.Store
	Tickets *tickets.Service
	Now     func() time.Time

	events  recent[int64, store.Event]
	keys    recent[int64, map[string]ed25519.PublicKey]
	devices touched
}

// New returns the service; now is the clock (the server's, or a test's).
func New(st *store.Store, tickets *tickets.Service, now func() time.Time) *Service {
	return &Service{Store: st, Tickets: tickets, Now: now}
}

// Attendee is what the door shows about a person (no e-mail, no phone).
type Attendee struct {
	RegistrationID int64    `json:"registration_id"`
	TicketID       *int64   `json:"ticket_id"`
	Code           string   `json:"code,omitempty"`
	Name           string   `json:"name"`
	Country        string   `json:"country"`
	City           string   `json:"city,omitempty"`
	Organisation   string   `json:"organisation,omitempty"`
	Partner        string   `json:"partner,omitempty"`
	Days           []string `json:"days"`
	Status         string   `json:"status,omitempty"`
}

func attendee(p store.DoorPerson) *Attendee {
	a := &Attendee{
		RegistrationID: p.RegistrationID, TicketID: p.TicketID, Name: strings.TrimSpace(p.FirstName + " " + p.LastName),
		Country: p.Country, City: p.City, Organisation: p.Organisation, Partner: p.Partner, Days: p.Days,
	}
	if a.Days == nil {
		a.Days = []string{}
	}
	if p.Code != nil {
		a.Code = *p.Code
	}
	return a
}

// Result is the answer to a scan (the API's body; stored for replay).
type Result struct {
	Result          string     `json:"result"`
	Reason          string     `json:"reason,omitempty"`
	Attendee        *Attendee  `json:"attendee"`
	FirstAdmittedAt *time.Time `json:"first_admitted_at"`
	FirstDevice     *string    `json:"first_device"`
	Day             string     `json:"day"`
	ScanID          string     `json:"scan_id"`
	DoubleEntry     bool       `json:"double_entry,omitempty"`

	logged json.RawMessage // as stored in the scan log
}

// Body is the answer as JSON: the text it was decoded from (a scan sent at
// once, or a replay: the scan log's jsonb as PostgreSQL writes it out, so
// that a retry gets the very bytes of the first answer), or the bytes just
// encoded for the log.
func (r Result) Body() ([]byte, error) {
	if r.logged != nil {
		return r.logged, nil
	}
	return json.Marshal(r)
}

// Scan is one ticket read at the door.
type Scan struct {
	EventID   int64
	Payload   string
	ScanID    string
	ScannedAt time.Time
	// Day is what the client says the admission day is (older clients send
	// it). The day is never the client's choice: it is the scan's date in
	// the event's time zone, and a Day that differs is refused.
	Day    *time.Time
	Method string // qr | keyboard
	// Offline marks scans queued on the device and uploaded later; Local is
	// the answer the device gave then ("admitted" makes a later conflict a
	// double entry).
	Offline bool
	Local   string
	// Out is an exit scan (door mode "out"), for events that count exits.
	Out bool
}

// MaxClockSkew is how far in the future a device's clock may be before its scan time is capped to now.
const MaxClockSkew = 5 * time.Minute

// validate checks the request shape (not the ticket): a bad request is a 4xx,
// a bad ticket is a result.
func (s *Service) validate(sc *Scan) error {
	inv := &apperr.Invalid{}
	if u, err := uuid.Parse(sc.ScanID); err != nil || u == uuid.Nil || len(sc.ScanID) != 36 {
		inv.Add("scan_id", "door.error.scan_id")
	} else {
		sc.ScanID = strings.ToLower(sc.ScanID)
	}
	if sc.Method == "" {
		sc.Method = "qr"
	}
	if sc.Method != "qr" && sc.Method != "keyboard" {
		inv.Add("method", "door.error.method")
	}
	var ok bool
	if sc.ScannedAt, ok = s.scanTime(sc.ScannedAt, sc.Offline); !ok {
		inv.Add("scanned_at", "door.error.scanned_at")
	}
	return inv.Err()
}

// scanTime is when a scan counts as made: the server's clock for a scan sent
// at once (a phone's clock may be wrong, or set to another day), the
// device's time for one queued offline, capped to now. ok is false for a
// device time more than 60 days back.
func (s *Service) scanTime(device time.Time, offline bool) (at time.Time, ok bool) {
	now := s.Now()
	if !device.IsZero() && device.Before(now.AddDate(0, 0, -60)) {
		return now, false
	}
	if !offline || device.IsZero() || device.After(now.Add(MaxClockSkew)) {
		return now, true
	}
	return device, true
}

// Scan admits the holder of a ticket payload, or says why not. Every scan is
// logged; a retry with the same scan id gets the first answer again.
func (s *Service) Scan(ctx context.Context, p *auth.Principal, sc Scan) (Result, error) {
	ev, day, err := s.prepare(ctx, &sc)
	if err != nil {
		return Result{}, err
	}
	// Exits have no first-by-time rule: offline ones are settled the same way.
	if !sc.Offline || sc.Out {
		answer, err := s.scanOnline(ctx, p, ev, day, sc)
		if err != nil {
			return Result{}, err
		}
		return decodeAnswer(answer)
	}
	if p != nil && p.TokenHash != nil {
		return Result{}, apperr.ErrUnauthorized // the token was never checked
	}
	var res Result
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.scanTx(ctx, tx, p, ev, day, sc)
		return err
	})
	if err != nil && store.IsConstraint(err, "scans_scan_id_key") {
		// The same scan id raced in from a retry: answer what the winner answered.
		if r, ok, rerr := s.replay(ctx, p, sc.ScanID, sc.EventID); ok || rerr != nil {
			return r, rerr
		}
	}
	return res, err
}

// ScanJSON is Scan answering with the answer's JSON as stored in the scan
// log: for a scan sent at once, the statement's own text, written out as it
// is (a retry gets the same text from the log), without decoding and
// encoding it again.
func (s *Service) ScanJSON(ctx context.Context, p *auth.Principal, sc Scan) ([]byte, error) {
	if sc.Offline && !sc.Out {
		res, err := s.Scan(ctx, p, sc)
		if err != nil {
			return nil, err
		}
		return res.Body()
	}
	ev, day, err := s.prepare(ctx, &sc)
	if err != nil {
		return nil, err
	}
	return s.scanOnline(ctx, p, ev, day, sc)
}

// prepare validates a scan and finds its event and day.
func (s *Service) prepare(ctx context.Context, sc *Scan) (store.Event, time.Time, error) {
	if err := s.validate(sc); err != nil {
		return store.Event{}, time.Time{}, err
	}
	// No replay lookup first: a retried scan id fails the scan log's unique
	// key at the end of the transaction, which rolls back, and is answered
	// from the log then. Retries are rare; the lookup would cost every scan.
	ev, err := s.event(ctx, sc.EventID)
	if err != nil {
		return store.Event{}, time.Time{}, err
	}
	day, err := s.dayOf(ev, sc.ScannedAt, sc.Day)
	if err != nil {
		return store.Event{}, time.Time{}, err
	}
	if sc.Out && !ev.CountsExits {
		return store.Event{}, time.Time{}, &apperr.Invalid{Fields: map[string]string{"direction": "doormode.error.direction"}}
	}
	return ev, day, nil
}

// decodeAnswer is a stored answer as a Result whose Body is that very text.
func decodeAnswer(answer []byte) (Result, error) {
	var res Result
	if err := json.Unmarshal(answer, &res); err != nil {
		return Result{}, err
	}
	res.logged = answer
	return res, nil
}

// scanOnline is a scan sent at once: the payload's event and key and the day
// are checked here, the signature only when the payload is not its ticket's
// stored text, and the device's token (when not yet checked), the admission and the
// scan log row are one statement in one round trip (store.DoorScanRun). A
// repeat reads the admission that won without locking it: only offline
// uploads, which may move an admission to an earlier scan, need the lock.
func (s *Service) scanOnline(ctx context.Context, p *auth.Principal, ev store.Event, day time.Time, sc Scan) ([]byte, error) {
	ds := store.DoorScan{EventID: ev.ID, Day: day, At: sc.ScannedAt, ScanID: sc.ScanID, Method: sc.Method,
		Out: sc.Out, Exits: ev.CountsExits, Offline: sc.Offline}
	actor(p, &ds.DeviceID, &ds.UserID)
	if p != nil {
		ds.TokenHash = p.TokenHash
	}
	if ds.DeviceID != nil {
		ds.Touch = s.devices.due(*ds.DeviceID)
	}
	payload := strings.TrimSpace(sc.Payload)
	// A payload that is its ticket's stored text was signed here: the
	// statement compares the texts, and the signature is checked only when
	// they differ (a forged, re-signed or anonymised ticket; nothing was
	// written then).
	if claims, err := s.unverified(ctx, ev.ID, payload); err == nil {
		fast := ds
		fast.TicketID, fast.Payload = &claims.TicketID, payload
		fast.Today = validOn(claims, ev, day)
		answer, err := s.doorScan(ctx, p, sc, fast)
		if !errors.Is(err, store.ErrUnverified) {
			return answer, err
		}
	}
	claims, verr := s.verify(ctx, ev.ID, payload)
	switch {
	case verr == nil:
		ds.TicketID = &claims.TicketID
		ds.Today = validOn(claims, ev, day)
	case errors.Is(verr, ticketcode.ErrWrongEvent):
		ds.Result = WrongEvent
	case errors.Is(verr, ticketcode.ErrMalformed):
		ds.Result, ds.Reason = Invalid, "malformed"
	case errors.Is(verr, ticketcode.ErrUnknownKey):
		ds.Result, ds.Reason = Invalid, "unknown_key"
	case errors.Is(verr, ticketcode.ErrBadSignature):
		ds.Result, ds.Reason = Invalid, "bad_signature"
	default:
		return nil, verr
	}
	return s.doorScan(ctx, p, sc, ds)
}

// doorScan runs ds and answers as scanOnline does (store.ErrUnverified when
// ds.Payload is not the ticket's and nothing was written).
func (s *Service) doorScan(ctx context.Context, p *auth.Principal, sc Scan, ds store.DoorScan) ([]byte, error) {
	answer, ok, err := s.Store.DoorScanRun(ctx, s.Store.DB, ds)
	switch {
	case errors.Is(err, store.ErrUnverified):
		return nil, err
	case err != nil && store.IsConstraint(err, "scans_scan_id_key"):
		// A retried scan id: answer what the first answered, the text
		// stored in the log (jsonb's text, as the statement returned it).
		prev, found, rerr := s.replayJSON(ctx, p, sc.ScanID, sc.EventID)
		if found || rerr != nil {
			return prev, rerr
		}
		return nil, err
	case err != nil:
		return nil, err
	case !ok:
		return nil, apperr.ErrUnauthorized // revoked meanwhile
	}
	return answer, nil
}

// validOn says whether a ticket lets its holder in on day: one of its days,
// and a day of the event.
func validOn(c ticketcode.Claims, ev store.Event, day time.Time) bool {
	return c.ValidOn(day) && !day.Before(ev.FirstDay) && !day.After(ev.LastDay)
}

// unverified reads a payload's claims and checks its event and key, not its
// signature (the statement compares the payload with the stored one).
func (s *Service) unverified(ctx context.Context, eventID int64, payload string) (ticketcode.Claims, error) {
	keys, _, err := s.eventKeys(ctx, s.Store.DB, eventID, false)
	if err != nil {
		return ticketcode.Claims{}, err
	}
	return ticketcode.Unverified(payload, eventID, keys)
}

// verify checks a ticket payload against the event's keys, reading the keys
// again once if they were reused and do not know the payload's key.
func (s *Service) verify(ctx context.Context, eventID int64, payload string) (ticketcode.Claims, error) {
	keys, cached, err := s.eventKeys(ctx, s.Store.DB, eventID, false)
	if err != nil {
		return ticketcode.Claims{}, err
	}
	claims, verr := ticketcode.Verify(payload, eventID, keys)
	if cached && errors.Is(verr, ticketcode.ErrUnknownKey) {
		// Perhaps a key made a moment ago: read the keys again.
		if keys, _, err = s.eventKeys(ctx, s.Store.DB, eventID, true); err != nil {
			return ticketcode.Claims{}, err
		}
		claims, verr = ticketcode.Verify(payload, eventID, keys)
	}
	return claims, verr
}

func (s *Service) scanTx(ctx context.Context, tx *sqlx.Tx, p *auth.Principal, ev store.Event, day time.Time, sc Scan) (Result, error) {
	res := Result{Day: day.Format(time.DateOnly), ScanID: sc.ScanID}
	row := store.Scan{
		ScanID: sc.ScanID, EventID: ev.ID, Day: day, Method: sc.Method, ScannedAt: sc.ScannedAt, Offline: sc.Offline,
	}
	actor(p, &row.DeviceID, &row.UserID)
	payload := strings.TrimSpace(sc.Payload)
	keys, cached, err := s.eventKeys(ctx, tx, ev.ID, false)
	if err != nil {
		return res, err
	}
	claims, verr := ticketcode.Verify(payload, ev.ID, keys)
	if cached && errors.Is(verr, ticketcode.ErrUnknownKey) {
		// Perhaps a key made a moment ago: read the keys again.
		if keys, _, err = s.eventKeys(ctx, tx, ev.ID, true); err != nil {
			return res, err
		}
		claims, verr = ticketcode.Verify(payload, ev.ID, keys)
	}
	switch {
	case errors.Is(verr, ticketcode.ErrWrongEvent):
		res.Result = WrongEvent
	case errors.Is(verr, ticketcode.ErrMalformed):
		res.Result, res.Reason = Invalid, "malformed"
	case errors.Is(verr, ticketcode.ErrUnknownKey):
		res.Result, res.Reason = Invalid, "unknown_key"
	case errors.Is(verr, ticketcode.ErrBadSignature):
		res.Result, res.Reason = Invalid, "bad_signature"
	case verr != nil:
		return res, verr
	}
	if verr == nil {
		// The person and, in the common case, the admission in one statement.
		today := validOn(claims, ev, day)
		a := store.Admission{EventID: ev.ID, Day: day, AdmittedAt: sc.ScannedAt, ScanID: &sc.ScanID, Method: sc.Method}
		actor(p, &a.DeviceID, &a.UserID)
		t, err := s.Store.TicketAdmit(ctx, tx, claims.TicketID, &a, today)
		switch {
		case errors.Is(err, store.ErrNotFound):
			// Signed by our key but never stored: treat as forged.
			res.Result, res.Reason = Invalid, "unknown_ticket"
		case err != nil:
			return res, err
		default:
			row.TicketID, row.RegistrationID = t.TicketID, &t.RegistrationID
			a.RegistrationID = t.RegistrationID
			res, err = s.admit(ctx, tx, t.DoorPerson, today, today, a, sc, res)
			if err != nil {
				return res, err
			}
		}
	}
	row.Result, row.Reason = res.Result, res.Reason
	err = s.logScan(ctx, tx, &row, &res)
	return res, err
}

// admit decides for a known person: cancelled, revoked, not today, or in.
// tried says the admission a was already attempted (by the statement that
// found the person): a.ID set means it was made.
func (s *Service) admit(ctx context.Context, tx *sqlx.Tx, person store.DoorPerson, today, tried bool,
	a store.Admission, sc Scan, res Result) (Result, error) {
	res.Attendee = attendee(person)
	switch {
	case person.Status == store.StatusCancelled:
		res.Result = Cancelled
		return res, nil
	case person.TicketRevokedAt != nil || person.Status != store.StatusConfirmed:
		res.Result = Revoked
		return res, nil
	case !today:
		res.Result = NotToday
		return res, nil
	case tried && a.ID != 0:
		res.Result = Admitted
		res.FirstAdmittedAt = &a.AdmittedAt
		return res, nil
	}
	return s.admitOnce(ctx, tx, a, sc, res, tried)
}

// admitOnce inserts the admission or reports the existing one (tried: an
// insert just found one). For offline uploads an earlier scan takes the
// admission over and the later one is kept as a double entry.
func (s *Service) admitOnce(ctx context.Context, tx *sqlx.Tx, a store.Admission, sc Scan, res Result, tried bool) (Result, error) {
	for range 3 {
		if !tried {
			in, err := s.Store.AdmitOnce(ctx, tx, &a)
			if err != nil {
				return res, err
			}
			if in {
				res.Result = Admitted
				res.FirstAdmittedAt = &a.AdmittedAt
				return res, nil
			}
		}
		tried = false
		cur, err := s.Store.LockAdmission(ctx, tx, a.RegistrationID, a.Day)
		if errors.Is(err, store.ErrNotFound) {
			continue // undone meanwhile: try again
		}
		if err != nil {
			return res, err
		}
		otherDevice := cur.DeviceID == nil || a.DeviceID == nil || *cur.DeviceID != *a.DeviceID
		if sc.Offline && a.AdmittedAt.Before(cur.AdmittedAt) {
			moved, err := s.Store.MoveAdmissionEarlier(ctx, tx, cur.ID, a.AdmittedAt, a.DeviceID, a.UserID, sc.ScanID, a.Method)
			if err != nil {
				return res, err
			}
			if moved {
				if cur.ScanID != nil {
					err = s.Store.InsertDoubleEntry(ctx, tx, store.DoubleEntry{
						EventID: a.EventID, RegistrationID: &a.RegistrationID, Day: a.Day,
						KeptScanID: &sc.ScanID, OtherScanID: *cur.ScanID, KeptDeviceID: a.DeviceID,
						OtherDeviceID: cur.DeviceID, KeptAt: &a.AdmittedAt, OtherAt: cur.AdmittedAt,
					})
					if err != nil {
						return res, err
					}
					res.DoubleEntry = true
				}
				res.Result = Admitted
				res.FirstAdmittedAt = &a.AdmittedAt
				return res, nil
			}
		}
		if sc.Offline && sc.Local == Admitted && otherDevice {
			err := s.Store.InsertDoubleEntry(ctx, tx, store.DoubleEntry{
				EventID: a.EventID, RegistrationID: &a.RegistrationID, Day: a.Day,
				KeptScanID: cur.ScanID, OtherScanID: sc.ScanID, KeptDeviceID: cur.DeviceID,
				OtherDeviceID: a.DeviceID, KeptAt: &cur.AdmittedAt, OtherAt: a.AdmittedAt,
			})
			if err != nil {
				return res, err
			}
			res.DoubleEntry = true
		}
		res.Result = AlreadyAdmitted
		at := cur.AdmittedAt
		res.FirstAdmittedAt = &at
		res.FirstDevice = where(cur)
		return res, nil
	}
	return res, fmt.Errorf("admit: admission kept changing")
}

// where names the door of an admission: the device, else "desk".
func where(a store.CurrentAdmission) *string {
	s := "desk"
	switch {
	case a.DeviceName != nil:
		s = *a.DeviceName
	case a.UserName != nil:
		s = *a.UserName
	}
	return &s
}

func actor(p *auth.Principal, deviceID, userID **int64) {
	if p == nil {
		return
	}
	if p.DeviceID != 0 {
		id := p.DeviceID
		*deviceID = &id
	}
	if p.UserID != 0 {
		id := p.UserID
		*userID = &id
	}
}

func (s *Service) logScan(ctx context.Context, q sqlx.ExtContext, row *store.Scan, res *Result) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	res.logged = b
	row.Response = store.JSON(b)
	if err := s.Store.InsertScan(ctx, q, row); err != nil {
		return err
	}
	if row.DeviceID != nil && s.devices.due(*row.DeviceID) {
		return s.Store.TouchDevice(ctx, q, *row.DeviceID)
	}
	return nil
}

// event reads an event, reusing a read of the last recentTTL.
func (s *Service) event(ctx context.Context, id int64) (store.Event, error) {
	if ev, ok := s.events.get(id); ok {
		return ev, nil
	}
	ev, err := s.Store.Event(ctx, s.Store.DB, id)
	if err != nil {
		return ev, err
	}
	s.events.put(id, ev)
	return ev, nil
}

// eventKeys reads an event's public keys, reusing a read of the last
// recentTTL unless fresh; cached says whether it did.
func (s *Service) eventKeys(ctx context.Context, q sqlx.QueryerContext, eventID int64, fresh bool) (keys map[string]ed25519.PublicKey, cached bool, err error) {
	if !fresh {
		if keys, ok := s.keys.get(eventID); ok {
			return keys, true, nil
		}
	}
	if keys, err = s.Tickets.PublicKeys(ctx, q, eventID); err != nil {
		return nil, false, err
	}
	s.keys.put(eventID, keys)
	return keys, false, nil
}

// replay returns the stored answer of a scan id seen before. A scan id of
// another event or caller is not replayed to this one.
func (s *Service) replay(ctx context.Context, p *auth.Principal, scanID string, eventID int64) (Result, bool, error) {
	prev, found, err := s.replayJSON(ctx, p, scanID, eventID)
	if !found || err != nil {
		return Result{}, found, err
	}
	r, err := decodeAnswer(prev)
	return r, err == nil, err
}

// replayJSON is the answer logged for a scan id, as stored.
func (s *Service) replayJSON(ctx context.Context, p *auth.Principal, scanID string, eventID int64) ([]byte, bool, error) {
	prev, err := s.Store.ScanByScanID(ctx, s.Store.DB, scanID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if prev.EventID != eventID || (p != nil && p.DeviceID != 0 && (prev.DeviceID == nil || *prev.DeviceID != p.DeviceID)) {
		return nil, false, &apperr.Invalid{Fields: map[string]string{"scan_id": "door.error.scan_id_used"}}
	}
	return prev.Response, true, nil
}

// dayOf is the event day a scan counts for: the date of its time in the
// event's time zone. A day the client names must be that one, so a ticket
// valid only tomorrow cannot be admitted today as tomorrow's admission.
func (s *Service) dayOf(ev store.Event, at time.Time, given *time.Time) (time.Time, error) {
	day := LocalDay(ev, at)
	if given != nil && !time.Date(given.Year(), given.Month(), given.Day(), 0, 0, 0, 0, time.UTC).Equal(day) {
		return day, &apperr.Invalid{Fields: map[string]string{"day": "door.error.day_not_scan_day"}}
	}
	return day, nil
}

// LocalDay is the date of t in the event's time zone, as a UTC midnight.
func LocalDay(ev store.Event, t time.Time) time.Time {
	l := t.In(ev.Location())
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}
