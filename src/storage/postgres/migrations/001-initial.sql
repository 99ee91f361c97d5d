-- Citizens, consent, audit, channel contacts, the inbound inbox and the outbound outbox.
-- Personal data is stored encrypted (*_enc, AES-256-GCM) with keyed hashes (*_hash, HMAC-SHA-256) for lookup.

CREATE TABLE citizens (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_code    text NOT NULL UNIQUE,
  phone_hash      text NOT NULL UNIQUE,
  phone_enc       text NOT NULL,
  cccd_hash       text NOT NULL UNIQUE,
  cccd_enc        text NOT NULL,
  full_name_enc   text NOT NULL,
  birth_date_enc  text NOT NULL,
  status          text NOT NULL DEFAULT 'provisional'
                  CHECK (status IN ('provisional', 'verified', 'not_matched')),
  mismatch_field  text CHECK (mismatch_field IN ('cccd', 'full_name', 'date_of_birth')),
  created_via     text NOT NULL,
  created_by_ref  text UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  verified_at     timestamptz,
  checked_at      timestamptz
);

CREATE TABLE consents (
  id            bigserial PRIMARY KEY,
  citizen_id    uuid NOT NULL REFERENCES citizens (id),
  purpose       text NOT NULL,
  text_version  text NOT NULL,
  channel       text NOT NULL,
  language      text NOT NULL,
  given_at      timestamptz NOT NULL DEFAULT now(),
  withdrawn_at  timestamptz
);
CREATE INDEX consents_citizen ON consents (citizen_id);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  citizen_id  uuid REFERENCES citizens (id),
  details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_citizen ON audit_log (citizen_id);

-- The audit log is append-only: updates and deletes are refused by the database itself.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- One row per person per channel address: language, opt-out and the citizen the address belongs to.
CREATE TABLE contacts (
  channel          text NOT NULL,
  address_hash     text NOT NULL,
  address_enc      text NOT NULL,
  language         text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
  opted_out_at     timestamptz,
  citizen_id       uuid REFERENCES citizens (id),
  last_inbound_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, address_hash)
);
CREATE INDEX contacts_citizen ON contacts (citizen_id);

-- Every inbound message, once: the unique key absorbs provider retries. Drained in id order per conversation.
CREATE TABLE inbound_messages (
  id                   bigserial PRIMARY KEY,
  channel              text NOT NULL,
  provider_message_id  text NOT NULL,
  conversation_key     text NOT NULL,
  payload_enc          text NOT NULL,
  received_at          timestamptz NOT NULL DEFAULT now(),
  processed_at         timestamptz,
  UNIQUE (channel, provider_message_id)
);
CREATE INDEX inbound_pending ON inbound_messages (conversation_key, id) WHERE processed_at IS NULL;

-- Every outbound message, once (dedupe_key), with its delivery state.
CREATE TABLE outbound_messages (
  id                   bigserial PRIMARY KEY,
  dedupe_key           text NOT NULL UNIQUE,
  channel              text NOT NULL,
  address_hash         text NOT NULL,
  payload_enc          text NOT NULL,
  purpose              text NOT NULL DEFAULT 'reply',
  status               text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed')),
  provider_message_id  text,
  segments             integer,
  error_code           text,
  attempts             integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbound_provider_id ON outbound_messages (channel, provider_message_id);
CREATE INDEX outbound_pending ON outbound_messages (created_at) WHERE status = 'pending';
