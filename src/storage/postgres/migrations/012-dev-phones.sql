-- Development phones (docs/channels/web.md): the phones development mode adopted, that is phones that had no
-- account when the development SMS channel first texted them or first answered as them. Only these may be shown
-- on /dev/phones and answered as. Looked up by a keyed hash of the phone; the phone itself is encrypted (the list
-- of the page). Never used in production (the mode is off there).

CREATE TABLE dev_phones (
  phone_hash text PRIMARY KEY,
  phone_enc text NOT NULL,
  adopted_at timestamptz NOT NULL,
  last_text_at timestamptz NOT NULL
);
