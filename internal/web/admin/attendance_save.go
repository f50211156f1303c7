package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// AttendanceSave records a day's attendance from a paper list: the ticked
// people are admitted, and those ticked when the page was shown (was) but
// unticked now have their admission undone. Someone admitted at the door
// after the page was shown is in neither list and stays admitted.
func (h *Handler) AttendanceSave(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	ticked := map[int64]bool{}
	admit := formIDs(c.PostFormArray("admit"))
	for _, id := range admit {
		ticked[id] = true
	}
	var undo []int64
	for _, id := range formIDs(c.PostFormArray("was")) {
		if !ticked[id] {
			undo = append(undo, id)
		}
	}
	var res checkin.PaperSaved
	posted, err := time.Parse(time.DateOnly, c.PostForm("day"))
	if err != nil {
		err = &apperr.Invalid{Fields: map[string]string{"day": "attendance.error.day_outside"}}
	} else {
		res, err = h.Checkin.SavePaperAttendance(c.Request.Context(), httpx.Principal(c), e.ID, posted, admit, undo, c.PostForm("reason"))
	}
	if f := newForm(nil); f.fail(err) {
		f.Values["reason"] = c.PostForm("reason")
		// The list shown again is the posted day's, or the default one's
		// when the posted day is not the event's (its ticks do not apply).
		day, ok := attendanceDay(e, c.PostForm("day"), h.Checkin.Today(e))
		if !ok {
			ticked = nil
		}
		return h.attendance(c, http.StatusUnprocessableEntity, e, day, ticked, false, f)
	}
	if err != nil {
		return err
	}
	q := url.Values{"day": {res.Day}, "saved": {"1"}, "admitted": {strconv.Itoa(res.Admitted)},
		"undone": {strconv.Itoa(res.Undone)}}
	redirect(c, "/admin/events/"+e.Slug+"/attendance?"+q.Encode())
	return nil
}

// formIDs reads registration ids from form values, skipping anything else.
func formIDs(vs []string) []int64 {
	out := make([]int64, 0, len(vs))
	for _, v := range vs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}
