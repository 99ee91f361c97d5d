-- Data requests (issue 13): an agency asks a citizen for items of their data and papers, the citizen agrees or
-- refuses in the chat, the agency reads what was agreed for 7 days. The purpose is free text and stored
-- encrypted; the items asked for are field names and paper type codes (no personal data). The consent itself
-- (who, what, when, how) is written to the append-only audit log, where it outlives the data.

-- Each agency's webhook secret (signs the callbacks), encrypted: shown once when created or rotated.
ALTER TABLE agencies ADD COLUMN webhook_secret_enc text;

CREATE TABLE data_requests (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id       uuid NOT NULL REFERENCES agencies (id),
  citizen_id      uuid NOT NULL REFERENCES citizens (id),
  purpose_enc     text NOT NULL,
  fields          text NOT NULL,
  document_types  text NOT NULL,
  callback_url    text,
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'approved', 'refused', 'expired', 'withdrawn')),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  decided_at      timestamptz,
  decided_via     text,
  readable_until  timestamptz,
  noticed_at      timestamptz,
  first_read_at   timestamptz,
  last_read_at    timestamptz
);
CREATE INDEX data_requests_citizen ON data_requests (citizen_id, created_at);
CREATE INDEX data_requests_pending ON data_requests (agency_id, citizen_id) WHERE status = 'pending';
