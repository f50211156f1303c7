package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

const updateEventTexts = `
UPDATE events SET title = $2, description = $3, venue_texts = $4, address_texts = $5, updated_at = now()
WHERE id = $1`

// UpdateEventTexts saves an event's texts per language: title, description,
// venue and address.
func (s *Store) UpdateEventTexts(ctx context.Context, q sqlx.ExtContext, id int64, title, description, venue, address Texts) error {
	res, err := q.ExecContext(ctx, updateEventTexts, id, title, description, venue, address)
	if err != nil {
		return wrap("update event texts", err)
	}
	return mustAffect(res, "update event texts")
}

const updateProjectTexts = `UPDATE projects SET title = $2, measure = $3, updated_at = now() WHERE id = $1`

// UpdateProjectTexts saves a project's title and funding measure per language.
func (s *Store) UpdateProjectTexts(ctx context.Context, q sqlx.ExtContext, id int64, title, measure Texts) error {
	res, err := q.ExecContext(ctx, updateProjectTexts, id, title, measure)
	if err != nil {
		return wrap("update project texts", err)
	}
	return mustAffect(res, "update project texts")
}

const updateRuleSetNames = `UPDATE rule_sets SET names = $3 WHERE id = $2 AND project_id = $1 AND editable`

// UpdateRuleSetNames saves the names per language of a project's own
// (editable) rule set; presets and other projects' sets give ErrNotFound.
func (s *Store) UpdateRuleSetNames(ctx context.Context, q sqlx.ExtContext, projectID, id int64, names Texts) error {
	res, err := q.ExecContext(ctx, updateRuleSetNames, projectID, id, names)
	if err != nil {
		return wrap("update rule set names", err)
	}
	return mustAffect(res, "update rule set names")
}

const updatePartnerTexts = `UPDATE partners SET organisation_texts = $3 WHERE id = $2 AND project_id = $1`

// UpdatePartnerTexts saves a project's partner's organisation name per language.
func (s *Store) UpdatePartnerTexts(ctx context.Context, q sqlx.ExtContext, projectID, id int64, organisation Texts) error {
	res, err := q.ExecContext(ctx, updatePartnerTexts, projectID, id, organisation)
	if err != nil {
		return wrap("update partner texts", err)
	}
	return mustAffect(res, "update partner texts")
}
