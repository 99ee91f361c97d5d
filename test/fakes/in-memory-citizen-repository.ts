import { randomUUID } from 'node:crypto';
import type {
  Citizen,
  CitizenIdentity,
  CitizenStatus,
  ConsentRecord,
} from '../../src/domain/citizens/citizen.ts';
import type { CitizenRepository, NewCitizen } from '../../src/domain/citizens/citizen-repository.ts';

interface Entry {
  citizen: Citizen;
  identity: CitizenIdentity;
  createdByRef: string;
  consent: ConsentRecord;
}

/** A working in-memory {@link CitizenRepository}; passes test/contracts/citizen-repository.contract.ts. */
export class InMemoryCitizenRepository implements CitizenRepository {
  readonly entries: Entry[] = [];
  readonly audit: { action: string; citizenId: string | null; details: Record<string, unknown> }[] = [];

  async create(input: NewCitizen) {
    const byRef = this.entries.find((e) => e.createdByRef === input.createdByRef);
    if (byRef) return { type: 'created' as const, citizen: byRef.citizen };
    const byPhone = this.entries.find((e) => e.citizen.phone === input.phone);
    if (byPhone) return { type: 'phone_taken' as const, citizen: byPhone.citizen };
    if (this.entries.some((e) => e.identity.cccd === input.cccd)) return { type: 'cccd_taken' as const };
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
    };
    const { fullName, cccd, dateOfBirth } = input;
    this.entries.push({
      citizen,
      identity: { fullName, cccd, dateOfBirth },
      createdByRef: input.createdByRef,
      consent: input.consent,
    });
    this.audit.push({
      action: 'account_opened',
      citizenId: citizen.id,
      details: { channel: input.createdVia },
    });
    return { type: 'created' as const, citizen };
  }

  async findByPhone(phone: string) {
    return this.entries.find((e) => e.citizen.phone === phone)?.citizen ?? null;
  }

  async findById(id: string) {
    return this.entries.find((e) => e.citizen.id === id)?.citizen ?? null;
  }

  async findByAccountCode(accountCode: string) {
    return this.entries.find((e) => e.citizen.accountCode === accountCode)?.citizen ?? null;
  }

  async findByCccd(cccd: string) {
    return this.entries.find((e) => e.identity.cccd === cccd)?.citizen ?? null;
  }

  async findIdentity(id: string) {
    return this.entries.find((e) => e.citizen.id === id)?.identity ?? null;
  }

  async recordVerification(id: string, result: Parameters<CitizenRepository['recordVerification']>[1]) {
    const entry = this.entries.find((e) => e.citizen.id === id);
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
    for (const entry of this.entries) counts[entry.citizen.status] += 1;
    return counts;
  }
}
