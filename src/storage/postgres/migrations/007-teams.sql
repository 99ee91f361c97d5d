-- Community digital-technology teams: teams and members, assisted registrations (DKH) with the neighbour's
-- consent, hand-offs to a person (GAP) with their threads, and who registered an account. Personal data is
-- encrypted (*_enc) with keyed hashes (*_hash) for lookup, as in 001.

CREATE TABLE teams (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  ward_code    text NOT NULL,
  invite_code  text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_ward ON teams (ward_code);

-- A member row is kept after the person leaves or is removed (left_at), for the figures and the audit; a phone
-- is in at most one team at a time.
CREATE TABLE team_members (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_id       uuid NOT NULL REFERENCES teams (id),
  phone_hash    text NOT NULL,
  phone_enc     text NOT NULL,
  role          text NOT NULL CHECK (role IN ('leader', 'member')),
  channel       text NOT NULL,
  address_enc   text NOT NULL,
  joined_at     timestamptz NOT NULL DEFAULT now(),
  left_at       timestamptz,
  left_reason   text CHECK (left_reason IN ('left', 'removed'))
);
CREATE UNIQUE INDEX team_members_current ON team_members (phone_hash) WHERE left_at IS NULL;
CREATE INDEX team_members_team ON team_members (team_id) WHERE left_at IS NULL;

-- Who registered an account on the citizen's behalf (DKH); null when the citizen registered themself.
ALTER TABLE citizens ADD COLUMN registered_by_team_id uuid REFERENCES teams (id);
ALTER TABLE citizens ADD COLUMN registered_by_member_id uuid REFERENCES team_members (id);
CREATE INDEX citizens_registered_by_team ON citizens (registered_by_team_id) WHERE registered_by_team_id IS NOT NULL;
