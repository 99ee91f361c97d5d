import { randomUUID } from 'node:crypto';
import {
  type Agency,
  type AgencyKey,
  type AgencyRepository,
  agencyNameKey,
} from '../../src/domain/agencies/agency.ts';

/** A working in-memory {@link AgencyRepository}; passes test/contracts/agency-repository.contract.ts. */
export class InMemoryAgencyRepository implements AgencyRepository {
  readonly agencies: Agency[] = [];
  readonly keys: { key: AgencyKey; keyHash: string }[] = [];
  readonly audit: { action: string; details: Record<string, string> }[] = [];
  readonly #webhookSecrets = new Map<string, string>();

  async create(input: { code: string; name: string; keyHash: string; webhookSecret?: string }) {
    if (this.agencies.some((a) => a.code === input.code)) return { type: 'code_taken' as const };
    const nameKey = agencyNameKey(input.name);
    if (this.agencies.some((a) => agencyNameKey(a.name) === nameKey)) return { type: 'name_taken' as const };
    const agency: Agency = { id: randomUUID(), code: input.code, name: input.name, createdAt: new Date() };
    this.agencies.push(agency);
    if (input.webhookSecret !== undefined) this.#webhookSecrets.set(agency.id, input.webhookSecret);
    const key = this.#insertKey(agency.id, input.keyHash);
    this.audit.push({ action: 'agency_created', details: { agencyId: agency.id, keyId: key.id } });
    return { type: 'created' as const, agency, key };
  }

  async findById(id: string) {
    return this.agencies.find((a) => a.id === id) ?? null;
  }

  async findByKeyHash(keyHash: string) {
    const entry = this.keys.find((k) => k.keyHash === keyHash && k.key.revokedAt === null);
    return entry ? (this.agencies.find((a) => a.id === entry.key.agencyId) ?? null) : null;
  }

  async addKey(agencyId: string, keyHash: string) {
    if (!this.agencies.some((a) => a.id === agencyId)) return null;
    const key = this.#insertKey(agencyId, keyHash);
    this.audit.push({ action: 'agency_key_added', details: { agencyId, keyId: key.id } });
    return key;
  }

  async revokeKey(agencyId: string, keyId: string, at: Date) {
    const entry = this.keys.find((k) => k.key.id === keyId && k.key.agencyId === agencyId);
    if (!entry) return false;
    if (entry.key.revokedAt === null) {
      entry.key = { ...entry.key, revokedAt: at };
      this.audit.push({ action: 'agency_key_revoked', details: { agencyId, keyId } });
    }
    return true;
  }

  async setWebhookSecret(agencyId: string, sealedSecret: string) {
    if (!this.agencies.some((a) => a.id === agencyId)) return false;
    this.#webhookSecrets.set(agencyId, sealedSecret);
    this.audit.push({ action: 'agency_webhook_secret_set', details: { agencyId } });
    return true;
  }

  async findWebhookSecret(agencyId: string) {
    return this.#webhookSecrets.get(agencyId) ?? null;
  }

  #insertKey(agencyId: string, keyHash: string): AgencyKey {
    if (this.keys.some((k) => k.keyHash === keyHash)) throw new Error('duplicate agency key hash');
    const key: AgencyKey = { id: randomUUID(), agencyId, createdAt: new Date(), revokedAt: null };
    this.keys.push({ key, keyHash });
    return key;
  }
}
