-- Messenger channels: a phone proven on a channel identity, notifications that fall back to SMS, provider tokens.

-- The phone number a messenger identity proved (OTP by SMS, Telegram's own contact, Zalo OA's info form).
-- SMS identities never need it: their address is the phone.
ALTER TABLE contacts
  ADD COLUMN phone_enc text,
  ADD COLUMN phone_hash text,
  ADD COLUMN phone_proof text CHECK (phone_proof IN ('otp', 'telegram_contact', 'zalo_info')),
  ADD COLUMN phone_proven_at timestamptz;
CREATE INDEX contacts_phone ON contacts (phone_hash) WHERE phone_hash IS NOT NULL;

-- The account a message is about, so a notification refused by a messenger can fall back to SMS.
ALTER TABLE outbound_messages ADD COLUMN citizen_id uuid;

-- OAuth tokens of provider accounts (the Zalo OA's access and single-use refresh token), encrypted.
CREATE TABLE provider_tokens (
  name        text PRIMARY KEY,
  tokens_enc  text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
