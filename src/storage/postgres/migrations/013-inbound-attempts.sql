-- A message whose turn keeps failing (a defect, not an outage) must not hold back the conversation behind it
-- (docs/adr/0004-ordering-and-idempotency.md, "Poison messages"). Each inbound message counts the turns of it
-- that threw, and how many of those were defects (errors that are not an unavailable PostgreSQL or Redis, a
-- timeout or a lost connection); after the last allowed one it is marked failed: handled (`processed_at` set, so
-- the conversation goes on and the maintenance job leaves it), kept for a person to look at
-- (`GET /api/v1/admin/failed-messages`), and purged 30 days later. `error_class` is the last error's code or
-- class name, never its message (which may quote personal data).
ALTER TABLE inbound_messages
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN defect_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN error_class text,
  ADD COLUMN failed_at timestamptz;

CREATE INDEX inbound_failed ON inbound_messages (failed_at, id) WHERE failed_at IS NOT NULL;
