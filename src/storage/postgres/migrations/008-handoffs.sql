-- Hand-offs to a person (GAP): a citizen's conversation held for a volunteer or city staff, and its thread.
-- The number citizens and volunteers use ("NHAN 12") is the id. The thread is personal data: encrypted, never
-- logged, deleted with the account.

CREATE TABLE handoffs (
  id                  bigserial PRIMARY KEY,
  -- The citizen's chat, where the hand-off's answers go.
  channel             text NOT NULL,
  address_hash        text NOT NULL,
  address_enc         text NOT NULL,
  citizen_id          uuid REFERENCES citizens (id),
  -- The ward whose teams are told (from the citizen's address), or null: every team.
  ward_code           text,
  reason              text NOT NULL CHECK (reason IN ('asked', 'stuck')),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'held', 'closed')),
  -- Who holds it (a volunteer: member and team; city staff through the admin API hold nothing).
  team_id             uuid REFERENCES teams (id),
  holder_member_id    uuid REFERENCES team_members (id),
  holder_channel      text,
  holder_address_enc  text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  taken_at            timestamptz,
  closed_at           timestamptz,
  closed_by           text CHECK (closed_by IN ('citizen', 'volunteer', 'staff', 'system')),
  -- When the citizen was told that nobody has taken it yet (once).
  waiting_notice_at   timestamptz
);
-- One hand-off at a time per chat.
CREATE UNIQUE INDEX handoffs_active_chat ON handoffs (channel, address_hash) WHERE status <> 'closed';
CREATE INDEX handoffs_status ON handoffs (status, id);
CREATE INDEX handoffs_holder ON handoffs (holder_member_id) WHERE status = 'held';
CREATE INDEX handoffs_citizen ON handoffs (citizen_id);
CREATE INDEX handoffs_team ON handoffs (team_id);

CREATE TABLE handoff_messages (
  id          bigserial PRIMARY KEY,
  handoff_id  bigint NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
  author      text NOT NULL CHECK (author IN ('citizen', 'volunteer', 'staff', 'bot')),
  member_id   uuid REFERENCES team_members (id),
  text_enc    text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_messages_thread ON handoff_messages (handoff_id, id);
