-- The citizen's data store: agencies and their API keys, papers, dossiers with their history, share links and
-- their views, the citizen's profile (address, email) and account closing. Personal data is encrypted (*_enc)
-- with keyed hashes (*_hash) for lookup, as in 001.

CREATE TABLE agencies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a keyed hash of each key is kept; the key itself is shown once, when it is created.
CREATE TABLE agency_api_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id   uuid NOT NULL REFERENCES agencies (id),
  key_hash    text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX agency_api_keys_agency ON agency_api_keys (agency_id);

CREATE TABLE documents (
  id              uuid PRIMARY KEY,
  citizen_id      uuid NOT NULL REFERENCES citizens (id),
  agency_id       uuid NOT NULL REFERENCES agencies (id),
  number_hash     text NOT NULL,
  number_enc      text NOT NULL,
  type_code       text NOT NULL,
  title           text NOT NULL,
  issued_at       date NOT NULL,
  expires_at      date,
  content_type    text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes      integer NOT NULL CHECK (size_bytes > 0),
  sha256          text NOT NULL,
  file_key        text NOT NULL,
  signature       text NOT NULL,
  signing_key_id  text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, number_hash)
);
CREATE INDEX documents_citizen ON documents (citizen_id, created_at);

CREATE TABLE dossiers (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code           text NOT NULL UNIQUE,
  agency_id      uuid NOT NULL REFERENCES agencies (id),
  citizen_id     uuid NOT NULL REFERENCES citizens (id),
  procedure      text NOT NULL,
  status         text NOT NULL
                 CHECK (status IN ('received', 'processing', 'needs_more_info', 'completed', 'rejected', 'returned')),
  expected_at    date,
  note_enc       text,
  last_seq       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- Notifications: the last event the citizen was told about, when, and when the next message is due.
  notified_seq   integer NOT NULL DEFAULT 0,
  notified_at    timestamptz,
  notify_due_at  timestamptz
);
CREATE INDEX dossiers_citizen ON dossiers (citizen_id, updated_at DESC);

CREATE TABLE dossier_events (
  dossier_id   uuid NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
  seq          integer NOT NULL,
  status       text NOT NULL,
  note_enc     text,
  expected_at  date,
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dossier_id, seq)
);

-- Share links: the token is never stored, only its keyed hash.
CREATE TABLE shares (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash        text NOT NULL UNIQUE,
  citizen_id        uuid NOT NULL REFERENCES citizens (id),
  kind              text NOT NULL CHECK (kind IN ('document', 'export')),
  document_id       uuid REFERENCES documents (id) ON DELETE CASCADE,
  created_by_ref    text NOT NULL UNIQUE,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,
  max_views         integer CHECK (max_views > 0),
  view_count        integer NOT NULL DEFAULT 0,
  revoked_at        timestamptz,
  owner_notified_at timestamptz,
  CHECK ((kind = 'document') = (document_id IS NOT NULL))
);
CREATE INDEX shares_citizen ON shares (citizen_id, created_at);

-- Every opening of a share page: never the raw IP address or user agent.
CREATE TABLE share_views (
  id                bigserial PRIMARY KEY,
  share_id          uuid NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  at                timestamptz NOT NULL DEFAULT now(),
  ip_hash           text NOT NULL,
  user_agent_class  text NOT NULL CHECK (user_agent_class IN ('mobile', 'desktop', 'bot', 'other')),
  place             text
);
CREATE INDEX share_views_share ON share_views (share_id, at DESC);

-- The profile a citizen may keep up to date, and closing: an account asked to be closed is purged after
-- purge_after unless the citizen comes back; a purged account keeps only its id and code (for the audit log).
ALTER TABLE citizens
  ADD COLUMN address_enc text,
  ADD COLUMN email_enc text,
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN purge_after timestamptz,
  ADD COLUMN purged_at timestamptz;
CREATE INDEX citizens_purge ON citizens (purge_after) WHERE purge_after IS NOT NULL AND purged_at IS NULL;

-- A purge forgets the account's channel identities; one that opted out keeps only its hash and the opt-out
-- (so it still holds), without its address, until the person writes again.
ALTER TABLE contacts ALTER COLUMN address_enc DROP NOT NULL;

-- When an address was linked to its account (shown in the citizen's data export); earlier links count from the
-- contact's first sight.
ALTER TABLE contacts ADD COLUMN linked_at timestamptz;
UPDATE contacts SET linked_at = created_at WHERE citizen_id IS NOT NULL;

-- Notifications held back by quiet hours: neither the send job nor the maintenance job sends such a row before
-- not_before. Dossiers with a notice due are found by the maintenance job when their job was lost.
ALTER TABLE outbound_messages ADD COLUMN not_before timestamptz;
CREATE INDEX dossiers_notify_due ON dossiers (notify_due_at) WHERE notify_due_at IS NOT NULL;
