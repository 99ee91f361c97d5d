import { foldName } from '../../shared/text.ts';

/** An agency (a ward office, a department) that issues papers and runs dossiers through the agency API. */
export interface Agency {
  readonly id: string;
  /** The agency's short code, e.g. `UBND-HAICHAU`: unique, shown to citizens with the name. */
  readonly code: string;
  readonly name: string;
  readonly createdAt: Date;
}

/** An API key of an agency as stored: only a keyed hash of the key is kept. */
export interface AgencyKey {
  readonly id: string;
  readonly agencyId: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** The outcome of {@link AgencyRepository.create}. */
export type CreateAgencyOutcome =
  | { readonly type: 'created'; readonly agency: Agency; readonly key: AgencyKey }
  | { readonly type: 'code_taken' }
  /** Another agency's name is the same ignoring case, diacritics and extra spaces ({@link agencyNameKey}). */
  | { readonly type: 'name_taken' };

/**
 * The form in which agency names must be unique: "UBND phường Hải Châu", "ubnd  PHUONG hai chau" and
 * "ＵＢＮＤ Phường Hải Châu" are one name, so no agency can pass for another by its name.
 */
export function agencyNameKey(name: string): string {
  return foldName(name);
}

/**
 * Storage of agencies and their API keys. Contract (test/contracts/agency-repository.contract.ts):
 * - agency codes are unique, and so are names ignoring case, diacritics and extra spaces ({@link agencyNameKey});
 *   when both are taken the answer is `code_taken`; `create` stores the agency and its first key atomically;
 * - keys are looked up by keyed hash only; a revoked key finds nothing; revoking is idempotent;
 * - an agency may hold several keys (rotation): adding one does not revoke the others;
 * - the webhook secret is stored as given (the caller seals it with the data cipher) and replaced whole by
 *   `setWebhookSecret`, audited without the secret.
 */
export interface AgencyRepository {
  /** `webhookSecret`: the sealed (encrypted) webhook secret of the new agency, if it has one. */
  create(agency: {
    code: string;
    name: string;
    keyHash: string;
    webhookSecret?: string;
  }): Promise<CreateAgencyOutcome>;
  findById(id: string): Promise<Agency | null>;
  /** The agency of an active (not revoked) key. */
  findByKeyHash(keyHash: string): Promise<Agency | null>;
  /** Adds a key to an agency; null when the agency does not exist. */
  addKey(agencyId: string, keyHash: string): Promise<AgencyKey | null>;
  /** Revokes a key at once; false when no such key exists for that agency. */
  revokeKey(agencyId: string, keyId: string, at: Date): Promise<boolean>;
  /** Replaces the agency's sealed webhook secret; false when the agency does not exist. */
  setWebhookSecret(agencyId: string, sealedSecret: string): Promise<boolean>;
  /** The agency's sealed webhook secret; null when it has none (created before secrets existed) or is unknown. */
  findWebhookSecret(agencyId: string): Promise<string | null>;
}
