-- Inbound messages and phone proofs.

-- A number typed into Zalo OA's information form is a claim (the person can edit the form), proven by a code
-- texted to it like any typed number: the form is no longer a proof ('zalo_info'). Identities that proved their
-- phone that way lose that proof and the link to the account it gave (an audit entry records each), so the chat
-- proves the phone again by code before it sees the account.
INSERT INTO audit_log (actor, action, citizen_id, details)
  SELECT 'system', 'phone_proof_revoked', citizen_id, jsonb_build_object('channel', channel, 'proof', phone_proof)
  FROM contacts WHERE phone_proof = 'zalo_info';
UPDATE contacts
  SET citizen_id = NULL, linked_at = NULL, phone_enc = NULL, phone_hash = NULL, phone_proof = NULL,
      phone_proven_at = NULL
  WHERE phone_proof = 'zalo_info';
ALTER TABLE contacts DROP CONSTRAINT contacts_phone_proof_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_phone_proof_check CHECK (phone_proof IN ('otp', 'telegram_contact'));

-- inbound_messages.provider_message_id now holds a keyed hash of the provider's id (the key is not in the
-- database, so older rows cannot be rewritten here). Rows stored before keep the id in clear until the
-- maintenance job purges them, at most 24 hours and 5 minutes after they were handled (the deduplication window).
