-- Erasure at the person's request, told apart from anonymisation at the end
-- of retention: the signed lists keep such a row (the programme's evidence,
-- GDPR Art. 17(3)(b)) and say it was removed at the person's request.
ALTER TABLE registrations ADD COLUMN erased_at timestamptz;

-- Erasures made before this rule left waitlisted or unconfirmed rows without
-- identity or private-link nonce, which every later promotion tripped over.
-- They are withdrawn, as an erasure now does.
UPDATE registrations
SET status = 'cancelled', waitlist_seq = NULL, cancelled_at = COALESCE(cancelled_at, now()), updated_at = now()
WHERE anonymised_at IS NOT NULL AND status IN ('waitlisted', 'pending_confirmation');
