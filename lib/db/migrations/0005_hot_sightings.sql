-- Every day haul-import advances last_seen_at of each listing seen again unchanged (most
-- of them). While an index covered last_seen_at none of those updates could be HOT: each
-- wrote a new version of the row into all of the table's indexes (the GIN search index
-- among them), so the daily touch rewrote every index. Without that index, and with room
-- on each heap page for the new versions, the touch is a heap-only update. A page's rows
-- were inserted by one chunk and are touched again by one chunk (one transaction), so
-- the room must hold most of them at once: measured on bench/pipeline.sh's second day
-- (850k listings), fillfactor 100: 0% HOT, import 111 s; 80: 48%, 85 s; 60: 87%, 79 s.
-- haul-cleanup's once-a-day "not seen for N days" update reads the table instead.
-- The fillfactor applies to pages written from now on (VACUUM FULL applies it to old ones).
DROP INDEX vehicles_active_last_seen_idx;
DROP INDEX events_active_last_seen_idx;
DROP INDEX articles_active_last_seen_idx;
ALTER TABLE vehicles SET (fillfactor = 60);
ALTER TABLE events SET (fillfactor = 60);
ALTER TABLE articles SET (fillfactor = 60);
