package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// PrivacyNotice is one language version of a project's privacy notice.
type PrivacyNotice struct {
	ID          int64     `db:"id"`
	ProjectID   int64     `db:"project_id"`
	Version     int       `db:"version"`
	Language    string    `db:"language"`
	Body        string    `db:"body"`
	PublishedAt time.Time `db:"published_at"`
}

const insertPrivacyNotice = `
INSERT INTO privacy_notices (project_id, version, language, body) VALUES (:project_id, :version, :language, :body)
RETURNING id`

// CreatePrivacyNotice stores a notice version in one language.
func (s *Store) CreatePrivacyNotice(ctx context.Context, q sqlx.ExtContext, n *PrivacyNotice) error {
	return namedGet(ctx, q, &n.ID, insertPrivacyNotice, n)
}

// The newest version, in the language asked for or else in English.
const selectCurrentPrivacyNotice = `
SELECT id, project_id, version, language, body, published_at FROM privacy_notices
WHERE project_id = $1 AND version = (SELECT max(version) FROM privacy_notices WHERE project_id = $1)
ORDER BY (language = $2) DESC, (language = 'en') DESC, language
LIMIT 1`

// CurrentPrivacyNotice returns the project's newest notice in lang (English if missing).
func (s *Store) CurrentPrivacyNotice(ctx context.Context, q sqlx.QueryerContext, projectID int64, lang string) (PrivacyNotice, error) {
	var n PrivacyNotice
	err := sqlx.GetContext(ctx, q, &n, selectCurrentPrivacyNotice, projectID, lang)
	return n, wrap("current privacy notice", err)
}
