-- Look-alikes in what agencies send: dossier codes become case-insensitive, agency names unique ignoring case,
-- diacritics and extra spaces. Existing look-alikes do not make this migration fail: they are kept, as below.

-- Dossier codes are stored in one form, ASCII letters in upper case (normalizeDossierCode in
-- src/domain/dossiers/dossier.ts; translate, not upper, so that no locale turns `i` into `İ`). Dossiers whose
-- codes already differed only by case keep their data: the oldest takes the code, each later one is renamed
-- `<CODE>~2`, `<CODE>~3`... (`~` is never in a code an agency can send, so the new code collides with none, and
-- the agency's next PUT with the code reaches the oldest, or is refused when it belongs to another agency).
-- Each rename is in the audit log (`dossier_code_renamed`).
ALTER TABLE dossiers DROP CONSTRAINT dossiers_code_key;

WITH ranked AS (
  SELECT id, normal, CASE WHEN n = 1 THEN normal ELSE normal || '~' || n END AS new_code
  FROM (
    SELECT id, normal, row_number() OVER (PARTITION BY normal ORDER BY created_at, id) AS n
    FROM (
      SELECT id, created_at, translate(code, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') AS normal
      FROM dossiers
    ) normalised
  ) numbered
), renamed AS (
  UPDATE dossiers d SET code = r.new_code FROM ranked r
  WHERE r.id = d.id AND d.code <> r.new_code
  RETURNING d.id, d.agency_id, d.citizen_id, d.code, r.normal
)
INSERT INTO audit_log (actor, action, citizen_id, details)
SELECT 'system', 'dossier_code_renamed', citizen_id,
       jsonb_build_object('agencyId', agency_id, 'dossierId', id, 'code', code)
FROM renamed WHERE code <> normal;

ALTER TABLE dossiers ADD CONSTRAINT dossiers_code_key UNIQUE (code);
ALTER TABLE dossiers ADD CONSTRAINT dossiers_code_normal
  CHECK (code = translate(code, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'));

-- Agency names: `name_key` is the name without diacritics, in lower case, with single spaces (agencyNameKey in
-- src/domain/agencies/agency.ts, which computes it for every new agency), and unique. The expression below is
-- that function in SQL, for the agencies that exist (exact for Vietnamese and Latin names; lower() of a locale
-- without Unicode case may leave other scripts' capitals). Agencies that already shared a name keep it: the
-- oldest holds the key, the later ones none (NULL, which the unique index does not compare), so a new agency
-- still cannot take the name. They are listed by `SELECT id, code, name FROM agencies WHERE name_key IS NULL`.
ALTER TABLE agencies ADD COLUMN name_key text;

UPDATE agencies SET name_key = btrim(regexp_replace(
  normalize(lower(normalize(translate(
    regexp_replace(normalize(normalize(name, NFKC), NFD), '[\u0300-\u036f]', '', 'g'),
    'đĐ', 'dD'), NFC)), NFC),
  '[\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g'));

UPDATE agencies a SET name_key = NULL
FROM (SELECT id, row_number() OVER (PARTITION BY name_key ORDER BY created_at, id) AS n FROM agencies) ranked
WHERE ranked.id = a.id AND ranked.n > 1;

CREATE UNIQUE INDEX agencies_name_key ON agencies (name_key);
