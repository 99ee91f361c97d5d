import { randomUUID } from 'node:crypto';
import type {
  AuditActor,
  Citizen,
  CitizenIdentity,
  CitizenStatus,
  CloseReason,
  ConsentEntry,
  ConsentRecord,
  ProfileChanges,
} from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository, NewCitizen } from '../../src/domain/citizens/citizen-repository.ts';

interface Entry {
  citizen: Citizen;
  identity: CitizenIdentity;
  createdByRef: string | null;
  /** The consent given at registration. */
  consent: ConsentRecord;
  /** Every consent, oldest first. */
  consents: ConsentEntry[];
  address: string | null;
  email: string | null;
  purgedAt: Date | null;
}

/** A working in-memory {@link CitizenRepository}; passes test/contracts/citizen-repository.contract.ts. */
export class InMemoryCitizenRepository implements CitizenRepository {
  readonly entries: Entry[] = [];
  readonly audit: {
    action: string;
    citizenId: string | null;
    details: Record<string, unknown>;
    /** Who acted, when the entry names it (account_opened). */
    actor?: string;
  }[] = [];

  /** Accounts not purged: a purged account is gone for every lookup. */
  #live(): Entry[] {
    return this.entries.filter((e) => e.purgedAt === null);
  }

  #entry(id: string): Entry | undefined {
    return this.#live().find((e) => e.citizen.id === id);
  }

  async create(input: NewCitizen) {
    const live = this.#live();
    const byRef = live.find((e) => e.createdByRef === input.createdByRef);
    if (byRef) return { type: 'created' as const, citizen: byRef.citizen };
    const byPhone = live.find((e) => e.citizen.phone === input.phone);
    if (byPhone) return { type: 'phone_taken' as const, citizen: byPhone.citizen };
    if (live.some((e) => e.identity.cccd === input.cccd)) return { type: 'cccd_taken' as const };
    if (this.entries.some((e) => e.citizen.accountCode === input.accountCode))
      return { type: 'code_taken' as const };
    const citizen: Citizen = {
      id: randomUUID(),
      accountCode: input.accountCode,
      status: 'provisional',
      mismatchField: null,
      phone: input.phone,
      createdVia: input.createdVia,
      createdAt: new Date(),
      verifiedAt: null,
      closedAt: null,
      purgeAfter: null,
      registeredBy: input.registeredBy,
    };
    const { fullName, cccd, dateOfBirth } = input;
    this.entries.push({
      citizen,
      identity: { fullName, cccd, dateOfBirth },
      createdByRef: input.createdByRef,
      consent: input.consent,
      consents: [{ ...input.consent, givenAt: new Date(), withdrawnAt: null }],
      address: null,
      email: null,
      purgedAt: null,
    });
    this.audit.push({
      action: 'account_opened',
      citizenId: citizen.id,
      actor: input.actor.kind,
      details: { channel: input.createdVia, actorId: input.actor.id },
    });
    return { type: 'created' as const, citizen };
  }

  async findByPhone(phone: string) {
    return this.#live().find((e) => e.citizen.phone === phone)?.citizen ?? null;
  }

  async findById(id: string) {
    return this.#entry(id)?.citizen ?? null;
  }

  async findByAccountCode(accountCode: string) {
    return this.#live().find((e) => e.citizen.accountCode === accountCode)?.citizen ?? null;
  }

  async findByCccd(cccd: string) {
    return this.#live().find((e) => e.identity.cccd === cccd)?.citizen ?? null;
  }

  async findIdentity(id: string) {
    return this.#entry(id)?.identity ?? null;
  }

  async recordVerification(id: string, result: Parameters<CitizenRepository['recordVerification']>[1]) {
    const entry = this.#entry(id);
    if (!entry) return null;
    const verified = result.outcome === 'verified';
    entry.citizen = {
      ...entry.citizen,
      status: verified ? 'verified' : 'not_matched',
      mismatchField: verified ? null : result.field,
      verifiedAt: verified ? (entry.citizen.verifiedAt ?? new Date()) : entry.citizen.verifiedAt,
    };
    this.audit.push({
      action: verified ? 'account_verified' : 'account_not_matched',
      citizenId: id,
      details: {},
    });
    return entry.citizen;
  }

  async recordCccdConflict(attempt: { channel: string; phone: string }) {
    this.audit.push({ action: 'cccd_conflict', citizenId: null, details: { channel: attempt.channel } });
  }

  async countByStatus() {
    const counts: Record<CitizenStatus, number> = { provisional: 0, verified: 0, not_matched: 0 };
    for (const entry of this.#live()) counts[entry.citizen.status] += 1;
    return counts;
  }

  async findProfile(id: string) {
    const entry = this.#entry(id);
    if (!entry) return null;
    return { ...entry.identity, phone: entry.citizen.phone, address: entry.address, email: entry.email };
  }

  async updateProfile(id: string, changes: ProfileChanges, actor: AuditActor) {
    const entry = this.#entry(id);
    if (!entry) return false;
    if (changes.address !== undefined) entry.address = changes.address;
    if (changes.email !== undefined) entry.email = changes.email;
    const fields = (['address', 'email'] as const).filter((field) => changes[field] !== undefined);
    this.audit.push({
      action: 'profile_updated',
      citizenId: id,
      details: { fields, channel: actor.channel },
    });
    return true;
  }

  async listConsents(id: string) {
    return [...(this.entries.find((e) => e.citizen.id === id)?.consents ?? [])];
  }

  async close(id: string, closing: { at: Date; purgeAfter: Date; reason: CloseReason; channel: string }) {
    const entry = this.#entry(id);
    if (!entry) return null;
    if (entry.citizen.closedAt !== null) return entry.citizen;
    entry.citizen = { ...entry.citizen, closedAt: closing.at, purgeAfter: closing.purgeAfter };
    entry.consents = entry.consents.map((c) =>
      c.withdrawnAt === null ? { ...c, withdrawnAt: closing.at } : c,
    );
    this.audit.push({
      action: 'account_closed',
      citizenId: id,
      details: { reason: closing.reason, channel: closing.channel },
    });
    return entry.citizen;
  }

  async reopen(id: string, reopening: { at: Date; consent: ConsentRecord }) {
    const entry = this.#entry(id);
    if (!entry) return null;
    const { closedAt, purgeAfter } = entry.citizen;
    if (closedAt === null) return entry.citizen;
    if (purgeAfter === null || purgeAfter.getTime() <= reopening.at.getTime()) return null;
    entry.citizen = { ...entry.citizen, closedAt: null, purgeAfter: null };
    entry.consents.push({ ...reopening.consent, givenAt: reopening.at, withdrawnAt: null });
    this.audit.push({ action: 'account_reopened', citizenId: id, details: {} });
    return entry.citizen;
  }

  async duePurges(at: Date, limit = 100) {
    return this.#live()
      .filter((e) => e.citizen.closedAt !== null && (e.citizen.purgeAfter?.getTime() ?? 0) <= at.getTime())
      .sort((a, b) => (a.citizen.purgeAfter?.getTime() ?? 0) - (b.citizen.purgeAfter?.getTime() ?? 0))
      .slice(0, limit)
      .map((e) => e.citizen.id);
  }

  async purge(id: string, at: Date) {
    const entry = this.#entry(id);
    const due = entry?.citizen.purgeAfter;
    if (!entry || entry.citizen.closedAt === null || !due || due.getTime() > at.getTime()) return false;
    entry.identity = { fullName: '', cccd: '', dateOfBirth: '' };
    entry.citizen = { ...entry.citizen, phone: '' };
    entry.address = null;
    entry.email = null;
    entry.createdByRef = null;
    entry.purgedAt = at;
    this.audit.push({ action: 'account_purged', citizenId: id, details: {} });
    return true;
  }

  async recordDataExport(id: string, details: { channel: string; shareId: string }) {
    this.audit.push({ action: 'data_exported', citizenId: id, details });
  }
}
