package checkin

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
)

// Attendance ticked from a paper list. Some event days ran on paper sign-in
// sheets; a coordinator ticks the people on the list afterwards and saves.
// The admissions are the door's own (store.AdmitOnce, the partial unique
// index admissions_once_per_day decides "once a day"), with the method
// "paper", so the reports, lists and exports count them exactly as scans.

// How a person was admitted on a day, as the attendance list shows it.
const (
	ByDoor  = "door"  // a ticket scanned or typed at the door
	ByDesk  = "desk"  // found at the desk, or registered there as a walk-in
	ByPaper = "paper" // ticked from a paper list
)

// PaperMethod is the method of the admissions (and scan log rows) a paper list makes.
const PaperMethod = "paper"

// MaxPaperIDs bounds the people one save may name.
const MaxPaperIDs = 20000

// PaperRow is one person on a day's attendance list.
type PaperRow struct {
	RegistrationID int64
	FirstName      string
	LastName       string
	Organisation   string
	City           string
	Country        string
	Status         store.Status
	// Registered: registered for the day. A confirmed person admitted at the
	// desk on a day they had not chosen is listed (so that the admission can
	// be undone) but cannot be ticked.
	Registered bool
	Admitted   bool
	How        string     // ByDoor, ByDesk, ByPaper; "" when not admitted
	AdmittedAt *time.Time // when the admission was made (for a paper list: recorded)
	AdmittedBy string     // the door device or the staff member, if known
}

// Tickable reports whether the row may be ticked on the list: only confirmed
// registrations registered for the day are admitted from paper.
func (r PaperRow) Tickable() bool { return r.Status == store.StatusConfirmed && r.Registered }

// PaperSaved is what one save did.
type PaperSaved struct {
	Day       string
	Admitted  int // new admissions
	Undone    int // admissions undone
	Unchanged int // ticked people already admitted, unticked ones not admitted
}

func howAdmitted(method string) string {
	switch method {
	case PaperMethod:
		return ByPaper
	case "manual", "walkin":
		return ByDesk
	}
	return ByDoor
}

// paperEvent loads the event for a coordinator who may manage it.
func (s *Service) paperEvent(ctx context.Context, p *auth.Principal, eventID int64) (store.Event, error) {
	if p == nil || !p.AtLeast(auth.RoleCoordinator) {
		return store.Event{}, apperr.ErrNotFound
	}
	ev, err := s.Store.Event(ctx, s.Store.DB, eventID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Event{}, apperr.ErrNotFound
	}
	if err != nil {
		return store.Event{}, err
	}
	if err := p.Check(auth.Manage, auth.EventObject(ev), s.Now()); err != nil {
		return store.Event{}, err
	}
	return ev, nil
}

// checkPaperDay refuses a day outside the event.
func checkPaperDay(ev store.Event, day time.Time) error {
	day = dateOf(day)
	if day.Before(dateOf(ev.FirstDay)) || day.After(dateOf(ev.LastDay)) {
		return &apperr.Invalid{Fields: map[string]string{"day": "attendance.error.day_outside"}}
	}
	return nil
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// PaperAttendance lists an event day's people for ticking: the confirmed
// registrations registered for the day (and anyone admitted that day), then,
// for information only, the cancelled, waitlisted and unconfirmed ones. Each
// part is sorted by last name, then first name, in the order of lang's
// alphabet (Latvian puts Č after C, not among the Cs).
func (s *Service) PaperAttendance(ctx context.Context, p *auth.Principal, eventID int64, day time.Time, lang string) ([]PaperRow, error) {
	ev, err := s.paperEvent(ctx, p, eventID)
	if err != nil {
		return nil, err
	}
	if err := checkPaperDay(ev, day); err != nil {
		return nil, err
	}
	ps, err := s.Store.PaperList(ctx, s.Store.DB, ev.ID, dateOf(day))
	if err != nil {
		return nil, err
	}
	rows := make([]PaperRow, 0, len(ps))
	for _, pp := range ps {
		r := PaperRow{RegistrationID: pp.RegistrationID, FirstName: pp.FirstName, LastName: pp.LastName,
			Organisation: pp.Organisation, City: pp.City, Country: pp.Country, Status: pp.Status,
			Registered: pp.Registered, Admitted: pp.AdmissionID != nil, AdmittedAt: pp.AdmittedAt}
		if r.Admitted && pp.Method != nil {
			r.How = howAdmitted(*pp.Method)
			r.AdmittedBy = pp.Device
			if r.AdmittedBy == "" {
				r.AdmittedBy = pp.Staff
			}
		}
		rows = append(rows, r)
	}
	SortPaperRows(rows, lang)
	return rows, nil
}

// SortPaperRows orders rows as PaperAttendance does: confirmed first, then by
// last name and first name in lang's collation, then by id.
func SortPaperRows(rows []PaperRow, lang string) {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.Und
	}
	col := collate.New(tag, collate.IgnoreCase)
	var buf collate.Buffer
	keys := make(map[int64][2][]byte, len(rows))
	for _, r := range rows {
		keys[r.RegistrationID] = [2][]byte{
			append([]byte(nil), col.KeyFromString(&buf, strings.TrimSpace(r.LastName))...),
			append([]byte(nil), col.KeyFromString(&buf, strings.TrimSpace(r.FirstName))...),
		}
		buf.Reset()
	}
	slices.SortStableFunc(rows, func(a, b PaperRow) int {
		ac, bc := a.Status == store.StatusConfirmed, b.Status == store.StatusConfirmed
		if ac != bc {
			if ac {
				return -1
			}
			return 1
		}
		ka, kb := keys[a.RegistrationID], keys[b.RegistrationID]
		if c := compareBytes(ka[0], kb[0]); c != 0 {
			return c
		}
		if c := compareBytes(ka[1], kb[1]); c != 0 {
			return c
		}
		return int(a.RegistrationID - b.RegistrationID)
	})
}

func compareBytes(a, b []byte) int { return strings.Compare(string(a), string(b)) }

// SavePaperAttendance records a day's attendance from a paper list, in one
// transaction: the people in admit not yet admitted that day are admitted
// (method "paper"; someone already in, by a scan or at the desk, stays one
// admission), and the live admissions of the people in undo are undone,
// however they were made, as the door's undo does, with reason kept in the
// scan log. Saving the same list again changes nothing. Refused, with
// nothing stored: a day outside the event or after today in the event's
// time zone, a person not of the event, not confirmed or not registered for
// the day, an undo without a reason. One audit entry per save holds the day
// and the counts, no names.
func (s *Service) SavePaperAttendance(ctx context.Context, p *auth.Principal, eventID int64, day time.Time,
	admit, undo []int64, reason string) (PaperSaved, error) {
	ev, err := s.paperEvent(ctx, p, eventID)
	if err != nil {
		return PaperSaved{}, err
	}
	day = dateOf(day)
	res := PaperSaved{Day: day.Format(time.DateOnly)}
	inv := &apperr.Invalid{}
	if err := checkPaperDay(ev, day); err != nil {
		return res, err
	}
	if day.After(s.Today(ev)) {
		inv.Add("day", "attendance.error.day_future")
	}
	reason = strings.TrimSpace(reason)
	// In id order, so that two saves naming the same people wait for each
	// other on the unique index instead of deadlocking.
	admit, undo = uniqueIDs(admit), uniqueIDs(undo)
	switch {
	case !plaintext.Valid(reason, false):
		inv.Add("reason", "door.error.text")
	case len([]rune(reason)) > 300:
		inv.Add("reason", "door.error.reason_long")
	case reason == "" && len(undo) > 0:
		inv.Add("reason", "attendance.error.reason_undo")
	}
	if len(admit)+len(undo) > MaxPaperIDs {
		inv.Add("admit", "attendance.error.too_many")
	}
	unticked := make(map[int64]bool, len(undo))
	for _, id := range undo {
		unticked[id] = true
	}
	for _, id := range admit {
		if unticked[id] {
			inv.Add(PaperField(id), "attendance.error.both")
		}
	}
	if err := inv.Err(); err != nil {
		return res, err
	}
	now := s.Now()
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		res = PaperSaved{Day: day.Format(time.DateOnly)}
		people, err := s.Store.LockPaperPeople(ctx, tx, ev.ID, day, append(slices.Clone(admit), undo...))
		if err != nil {
			return err
		}
		found := make(map[int64]store.PaperPerson, len(people))
		for _, pp := range people {
			found[pp.RegistrationID] = pp
		}
		inv := &apperr.Invalid{}
		for _, id := range append(slices.Clone(admit), undo...) {
			if _, ok := found[id]; !ok {
				inv.Add(PaperField(id), "attendance.error.unknown")
			}
		}
		for _, id := range admit {
			pp, ok := found[id]
			switch {
			case !ok, pp.AdmissionID != nil: // already in (a desk admission on another day's choice stays as it is)
			case pp.Status != store.StatusConfirmed:
				inv.Add(PaperField(id), "attendance.error.not_confirmed")
			case !pp.Registered:
				inv.Add(PaperField(id), "attendance.error.not_registered")
			}
		}
		if err := inv.Err(); err != nil {
			return err
		}
		var userID *int64
		if p.UserID != 0 {
			id := p.UserID
			userID = &id
		}
		for _, id := range admit {
			scanID := uuid.NewString()
			a := store.Admission{EventID: ev.ID, RegistrationID: id, Day: day, AdmittedAt: now, UserID: userID,
				ScanID: &scanID, Method: PaperMethod, Reason: reason}
			made, err := s.Store.AdmitOnce(ctx, tx, &a)
			if err != nil {
				return err
			}
			if !made {
				res.Unchanged++
				continue
			}
			res.Admitted++
			if err := s.paperLog(ctx, tx, ev.ID, id, day, scanID, PaperMethod, Admitted, reason, userID, now); err != nil {
				return err
			}
		}
		for _, id := range undo {
			if _, err := s.Store.UndoAdmission(ctx, tx, id, day, userID); errors.Is(err, store.ErrNotFound) {
				res.Unchanged++ // not in (any more): nothing to undo
				continue
			} else if err != nil {
				return err
			}
			res.Undone++
			if err := s.paperLog(ctx, tx, ev.ID, id, day, uuid.NewString(), "undo", Undone, reason, userID, now); err != nil {
				return err
			}
		}
		// The reason may name people: it is kept in the scan log only.
		return audit.Log(ctx, s.Store, tx, audit.Entry{
			Actor: p, Action: "attendance.paper", ObjectType: "event", ObjectID: ev.ID,
			Details: map[string]any{"day": res.Day, "admitted": res.Admitted, "undone": res.Undone,
				"unchanged": res.Unchanged, "ticked": len(admit), "unticked": len(undo)},
		})
	})
	return res, err
}

// paperLog writes the scan log row of an admission or undo made from a paper list.
func (s *Service) paperLog(ctx context.Context, tx *sqlx.Tx, eventID, regID int64, day time.Time, scanID, method, result,
	reason string, userID *int64, at time.Time) error {
	row := store.Scan{ScanID: scanID, EventID: eventID, Day: day, Method: method, Result: result, Reason: reason,
		ScannedAt: at, RegistrationID: &regID, UserID: userID}
	return s.logScan(ctx, tx, &row, &Result{Result: result, Day: day.Format(time.DateOnly), ScanID: scanID})
}

// PaperField is the field name of a person's line in a save's validation error.
func PaperField(id int64) string { return "p" + strconv.FormatInt(id, 10) }

func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
