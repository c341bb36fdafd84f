-- What haul-cleanup needs. A vehicle whose source page answers 404 or 410 is 'sold'
-- (haul-import makes it 'active' again if it is ever seen again); link_checked_at is
-- when its source URL was last checked, so each run checks the listings checked longest
-- ago first. Partial indexes on last_seen_at serve the "not seen for N days" updates.
ALTER TABLE vehicles DROP CONSTRAINT vehicles_status_check;
ALTER TABLE vehicles ADD CONSTRAINT vehicles_status_check
  CHECK (status IN ('active', 'inactive', 'sold'));
ALTER TABLE vehicles ADD COLUMN link_checked_at timestamptz;

CREATE INDEX vehicles_active_last_seen_idx ON vehicles (last_seen_at) WHERE status = 'active';
CREATE INDEX events_active_last_seen_idx ON events (last_seen_at) WHERE status = 'active';
CREATE INDEX articles_active_last_seen_idx ON articles (last_seen_at) WHERE status = 'active';
