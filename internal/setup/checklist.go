package setup

import (
	"context"
	"slices"
	"sort"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// CheckItem is one thing missing before an event's registration can open:
// a message key (checklist.item.*, with Lang filled where it names a
// language), where to fix it, and whether it blocks opening.
type CheckItem struct {
	Kind     string // notice | rule_set | host | title | capacity | dates
	Lang     string // the language missing, for notice and title
	Link     string
	Blocking bool
}

// Key is the item's message key.
func (i CheckItem) Key() string { return "checklist.item." + i.Kind }

// Offered are the languages a project offers its events in: those of its
// title, English always.
func Offered(p store.Project) []string {
	out := []string{"en"}
	for l, t := range p.Title {
		if t != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	sort.Strings(out[1:])
	return out
}

// Checklist lists what is missing before e's registration can open: a
// published privacy notice in each language offered, the project's rule set,
// the host partner, a title in each language offered, a capacity and dates
// that are not over.
func (s *Service) Checklist(ctx context.Context, q sqlx.QueryerContext, e store.Event) ([]CheckItem, error) {
	p, err := s.Store.Project(ctx, q, e.ProjectID)
	if err != nil {
		return nil, err
	}
	versions, err := s.Store.PrivacyNoticeVersions(ctx, q, p.ID)
	if err != nil {
		return nil, err
	}
	var published []string
	if len(versions) > 0 {
		published = versions[0].Languages
	}
	eventLink := "/admin/events/" + e.Slug
	var out []CheckItem
	for _, l := range Offered(p) {
		if !slices.Contains(published, l) {
			out = append(out, CheckItem{Kind: "notice", Lang: l, Link: "/admin/privacy/projects/" + p.Code + "/notices", Blocking: true})
		}
	}
	if p.RuleSetID == nil {
		out = append(out, CheckItem{Kind: "rule_set", Link: "/admin/projects/" + strconv.FormatInt(p.ID, 10) + "#rule_set", Blocking: true})
	}
	if e.HostPartnerID == nil {
		out = append(out, CheckItem{Kind: "host", Link: eventLink + "#host_partner", Blocking: true})
	}
	for _, l := range Offered(p) {
		if e.Title[l] == "" {
			out = append(out, CheckItem{Kind: "title", Lang: l, Link: eventLink + "/translations#title_" + l, Blocking: true})
		}
	}
	if e.Capacity == nil {
		out = append(out, CheckItem{Kind: "capacity", Link: eventLink + "#capacity", Blocking: true})
	}
	if e.Phase(s.Now()) == "past" {
		out = append(out, CheckItem{Kind: "dates", Link: eventLink + "#first_day", Blocking: true})
	}
	return out, nil
}

// refuseOpening refuses to open registration (the state "open", from
// another) while the checklist has a blocking item: the first item's
// message on the state field. An event already open stays as it is.
func (s *Service) refuseOpening(ctx context.Context, q sqlx.QueryerContext, old store.Event, next store.Event) error {
	if next.RegistrationState != "open" || old.RegistrationState == "open" {
		return nil
	}
	items, err := s.Checklist(ctx, q, next)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Blocking {
			return &apperr.Invalid{Fields: map[string]string{"registration_state": "checklist.refused." + it.Kind}}
		}
	}
	return nil
}
