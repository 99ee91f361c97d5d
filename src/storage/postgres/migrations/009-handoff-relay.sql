-- Hand-offs, as the relay uses them: the holder's chat is found by keyed hash (every turn asks whether the
-- sender holds a hand-off), a member holds one hand-off at a time, and opening and appending are idempotent on
-- the inbound message that did them (a replayed turn changes nothing).

ALTER TABLE handoffs ADD COLUMN open_ref text;
ALTER TABLE handoffs ADD COLUMN holder_address_hash text;
CREATE INDEX handoffs_holder_chat ON handoffs (holder_channel, holder_address_hash) WHERE status = 'held';
CREATE UNIQUE INDEX handoffs_one_per_holder ON handoffs (holder_member_id) WHERE status = 'held';

ALTER TABLE handoff_messages ADD COLUMN ref text;
CREATE UNIQUE INDEX handoff_messages_ref ON handoff_messages (handoff_id, ref) WHERE ref IS NOT NULL;
