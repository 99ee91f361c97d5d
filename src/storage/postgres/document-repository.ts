import {
  type DocumentRecord,
  type DocumentRepository,
  type IssueDocumentOutcome,
  samePaper,
} from '../../domain/documents/document.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { type Database, isUuid, type Sql } from './database.ts';

interface DocumentRow {
  id: string;
  citizen_id: string;
  agency_id: string;
  agency_code: string;
  agency_name: string;
  number_enc: string;
  type_code: string;
  title: string;
  issued_at: string;
  expires_at: string | null;
  content_type: DocumentRecord['contentType'];
  size_bytes: number;
  sha256: string;
  file_key: string;
  signature: string;
  signing_key_id: string;
  created_at: Date;
}

// Dates come back as YYYY-MM-DD text whatever the driver's date parsing.
const SELECT = `SELECT d.id, d.citizen_id, d.agency_id, a.code AS agency_code, a.name AS agency_name, d.number_enc,
  d.type_code, d.title, to_char(d.issued_at, 'YYYY-MM-DD') AS issued_at,
  to_char(d.expires_at, 'YYYY-MM-DD') AS expires_at, d.content_type, d.size_bytes, d.sha256, d.file_key,
  d.signature, d.signing_key_id, d.created_at
  FROM documents d JOIN agencies a ON a.id = d.agency_id`;

/**
 * The PostgreSQL (and PGlite) implementation of {@link DocumentRepository}. The paper's number is stored
 * encrypted with a keyed hash for the (agency, number) uniqueness; issuing is audited (actor `agency`).
 */
export function createPgDocumentRepository(db: Database, cipher: DataCipher): DocumentRepository {
  const numberHash = (number: string) => cipher.keyedHash('document-number', number);
  const toRecord = (row: DocumentRow): DocumentRecord => ({
    id: row.id,
    citizenId: row.citizen_id,
    agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name },
    typeCode: row.type_code,
    title: row.title,
    number: cipher.decrypt(row.number_enc),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    fileKey: row.file_key,
    signature: row.signature,
    signingKeyId: row.signing_key_id,
    createdAt: row.created_at,
  });
  const one = async (sql: Sql, where: string, params: unknown[]) => {
    const { rows } = await sql.query<DocumentRow>(`${SELECT} WHERE ${where}`, params);
    return rows[0] ? toRecord(rows[0]) : null;
  };

  return {
    issue: (document) =>
      db.transaction(async (tx): Promise<IssueDocumentOutcome> => {
        const hash = numberHash(document.number);
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO documents (id, citizen_id, agency_id, number_hash, number_enc, type_code, title, issued_at,
             expires_at, content_type, size_bytes, sha256, file_key, signature, signing_key_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
           ON CONFLICT (agency_id, number_hash) DO NOTHING RETURNING id`,
          [
            document.id,
            document.citizenId,
            document.agencyId,
            hash,
            cipher.encrypt(document.number),
            document.typeCode,
            document.title,
            document.issuedAt,
            document.expiresAt,
            document.contentType,
            document.sizeBytes,
            document.sha256,
            document.fileKey,
            document.signature,
            document.signingKeyId,
          ],
        );
        if (inserted.rows[0]) {
          await tx.query(
            `INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ('agency', 'document_issued', $1, $2)`,
            [
              document.citizenId,
              JSON.stringify({
                agencyId: document.agencyId,
                documentId: document.id,
                typeCode: document.typeCode,
              }),
            ],
          );
          const created = await one(tx, 'd.id = $1', [document.id]);
          if (!created) throw new Error('issued document not found');
          return { type: 'created', document: created };
        }
        const existing = await one(tx, 'd.agency_id = $1 AND d.number_hash = $2', [document.agencyId, hash]);
        if (!existing) throw new Error('conflicting document not found');
        return { type: samePaper(existing, document) ? 'existing' : 'number_reused', document: existing };
      }),

    findById: async (id) => (isUuid(id) ? one(db, 'd.id = $1', [id]) : null),

    async listByCitizen(citizenId) {
      if (!isUuid(citizenId)) return [];
      const { rows } = await db.query<DocumentRow>(
        `${SELECT} WHERE d.citizen_id = $1 ORDER BY d.created_at, d.id`,
        [citizenId],
      );
      return rows.map(toRecord);
    },

    async deleteByCitizen(citizenId) {
      if (!isUuid(citizenId)) return;
      await db.query('DELETE FROM documents WHERE citizen_id = $1', [citizenId]);
    },
  };
}
