-- Assisted registration (DKH): a team member's request to open an account for a neighbour, waiting for the
-- neighbour's consent (a CO reply by SMS, or the 6-digit code read out to the volunteer). The personal data
-- (*_enc, with a keyed hash of the phone for lookup) is erased when the request ends; the row stays as the record of
-- who asked, when, and how it was decided. The code is kept only as a keyed hash.

CREATE TABLE assisted_requests (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_id               uuid NOT NULL REFERENCES teams (id),
  member_id             uuid NOT NULL REFERENCES team_members (id),
  volunteer_channel     text NOT NULL,
  volunteer_address_enc text,
  neighbour_phone_hash  text,
  neighbour_phone_enc   text,
  full_name_enc         text,
  cccd_enc              text,
  birth_date_enc        text,
  language              text NOT NULL CHECK (language IN ('vi', 'en')),
  code_hash             text,
  created_by_ref        text NOT NULL UNIQUE,
  status                text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'consented', 'refused', 'expired', 'failed', 'opened')),
  wrong_codes           integer NOT NULL DEFAULT 0,
  created_at            timestamptz NOT NULL,
  expires_at            timestamptz NOT NULL,
  decided_at            timestamptz,
  how                   text CHECK (how IN ('reply', 'code')),
  failure               text CHECK (failure IN ('wrong_codes', 'phone_taken', 'cccd_taken')),
  citizen_id            uuid REFERENCES citizens (id)
);
-- One request at a time waits for a phone's answer, so a CO is never ambiguous.
CREATE UNIQUE INDEX assisted_requests_pending_phone ON assisted_requests (neighbour_phone_hash)
  WHERE status = 'pending';
CREATE INDEX assisted_requests_member ON assisted_requests (member_id, created_at);
CREATE INDEX assisted_requests_citizen ON assisted_requests (citizen_id) WHERE citizen_id IS NOT NULL;

-- Who gave a consent and how: the citizen in their own registration ('self'), or a neighbour through a volunteer,
-- by replying to the consent SMS ('reply') or by reading its code to the volunteer ('code').
ALTER TABLE consents ADD COLUMN how text NOT NULL DEFAULT 'self' CHECK (how IN ('self', 'reply', 'code'));
ALTER TABLE consents ADD COLUMN with_team_id uuid REFERENCES teams (id);
ALTER TABLE consents ADD COLUMN with_member_id uuid REFERENCES team_members (id);
ALTER TABLE consents ADD COLUMN assisted_request_id uuid REFERENCES assisted_requests (id);
