import { randomUUID } from 'node:crypto';
import type {
  AssistedFailure,
  AssistedRequest,
  AssistedRequestRepository,
  AssistedStatus,
  ConsentHow,
  CreateAssistedOutcome,
  DecideOutcome,
} from '../../src/domain/assisted/assisted-request.ts';

interface Entry {
  request: AssistedRequest;
  ref: string;
}

const HOUR_MS = 3_600_000;

/** A working in-memory {@link AssistedRequestRepository}; passes test/contracts/assisted-request-repository.contract.ts. */
export class InMemoryAssistedRequestRepository implements AssistedRequestRepository {
  readonly entries: Entry[] = [];
  readonly audit: { actor: string; action: string; details: Record<string, unknown> }[] = [];

  #audit(action: string, request: AssistedRequest, more: Record<string, unknown> = {}, actor = 'volunteer') {
    const { id: requestId, teamId, memberId } = request;
    this.audit.push({ actor, action, details: { requestId, teamId, memberId, ...more } });
  }

  /** Ends a request: the new status, its personal data erased. */
  #end(entry: Entry, status: AssistedStatus, at: Date, more: Partial<AssistedRequest> = {}) {
    entry.request = {
      ...entry.request,
      ...more,
      status,
      decidedAt: entry.request.decidedAt ?? at,
      volunteerAddress: '',
      neighbourPhone: '',
      fullName: '',
      cccd: '',
      dateOfBirth: '',
      codeHash: null,
    };
  }

  async create(
    input: Parameters<AssistedRequestRepository['create']>[0],
    limits: {
      maxPending: number;
      maxPerHour: number;
    },
  ): Promise<CreateAssistedOutcome> {
    const again = this.entries.find((e) => e.ref === input.ref);
    if (again) return { type: 'created', request: again.request };
    const mine = this.entries.filter((e) => e.request.memberId === input.memberId);
    const at = input.createdAt.getTime();
    const pending = mine.filter((e) => e.request.status === 'pending' && e.request.expiresAt.getTime() > at);
    if (pending.length >= limits.maxPending) return { type: 'too_many_pending' };
    if (mine.filter((e) => e.request.createdAt.getTime() > at - HOUR_MS).length >= limits.maxPerHour)
      return { type: 'hourly_limit' };
    for (const entry of this.entries) {
      const { request } = entry;
      if (request.status !== 'pending' || request.neighbourPhone !== input.neighbourPhone) continue;
      if (request.expiresAt.getTime() > at) return { type: 'phone_pending' };
      this.#end(entry, 'expired', input.createdAt);
      this.#audit('assisted_expired', request, {}, 'system');
    }
    const { ref, ...fields } = input;
    const request: AssistedRequest = {
      ...fields,
      id: randomUUID(),
      status: 'pending',
      wrongCodes: 0,
      decidedAt: null,
      how: null,
      failure: null,
      citizenId: null,
    };
    this.entries.push({ request, ref });
    this.#audit('assisted_requested', request);
    return { type: 'created', request };
  }

  async findById(id: string) {
    return this.entries.find((e) => e.request.id === id)?.request ?? null;
  }

  async pendingForPhone(phone: string, at: Date) {
    const live = (r: AssistedRequest) =>
      r.status === 'pending' && r.neighbourPhone === phone && r.expiresAt.getTime() > at.getTime();
    return this.entries.find((e) => live(e.request))?.request ?? null;
  }

  async pendingOfMember(memberId: string, at: Date) {
    return this.entries
      .map((e) => e.request)
      .filter(
        (r) => r.memberId === memberId && r.status === 'pending' && r.expiresAt.getTime() > at.getTime(),
      )
      .reverse();
  }

  async overdue(before: Date, limit: number) {
    return this.entries
      .map((e) => e.request)
      .filter((r) => r.status === 'pending' && r.expiresAt.getTime() <= before.getTime())
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit)
      .map((r) => r.id);
  }

  async decide(
    id: string,
    decision: Parameters<AssistedRequestRepository['decide']>[1],
    at: Date,
    maxWrongCodes: number,
  ): Promise<DecideOutcome | null> {
    const entry = this.entries.find((e) => e.request.id === id);
    if (!entry) return null;
    const request = entry.request;
    if (request.status !== 'pending') return { type: 'not_pending', request };
    if (at.getTime() >= request.expiresAt.getTime()) {
      this.#end(entry, 'expired', at);
      this.#audit('assisted_expired', request, {}, 'system');
      return { type: 'expired', request };
    }
    if (decision.type === 'expire') return { type: 'not_pending', request };
    if (decision.type === 'reply' && decision.answer === 'no') {
      this.#end(entry, 'refused', at);
      this.#audit('assisted_refused', request, {}, 'citizen');
      return { type: 'refused', request };
    }
    if (decision.type === 'reply' || decision.codeHash === request.codeHash) {
      const how: ConsentHow = decision.type === 'reply' ? 'reply' : 'code';
      entry.request = { ...request, status: 'consented', how, decidedAt: at, codeHash: null };
      this.#audit('assisted_consented', request, { how }, how === 'reply' ? 'citizen' : 'volunteer');
      return { type: 'consented', request: entry.request };
    }
    const wrongCodes = request.wrongCodes + 1;
    if (wrongCodes >= maxWrongCodes) {
      this.#end(entry, 'failed', at, { wrongCodes, failure: 'wrong_codes' });
      this.#audit('assisted_failed', request, { failure: 'wrong_codes' });
      return { type: 'failed', request: { ...request, wrongCodes } };
    }
    entry.request = { ...request, wrongCodes };
    this.#audit('assisted_wrong_code', request);
    return { type: 'wrong_code', request: entry.request, triesLeft: maxWrongCodes - wrongCodes };
  }

  async markOpened(id: string, citizenId: string, at: Date) {
    const entry = this.entries.find((e) => e.request.id === id);
    if (entry?.request.status !== 'consented') return false;
    const before = entry.request;
    this.#end(entry, 'opened', at, { citizenId });
    this.#audit('assisted_opened', before, { citizenId });
    return true;
  }

  async markFailed(id: string, failure: Exclude<AssistedFailure, 'wrong_codes'>, at: Date) {
    const entry = this.entries.find((e) => e.request.id === id);
    if (entry?.request.status !== 'consented') return false;
    const before = entry.request;
    this.#end(entry, 'failed', at, { failure });
    this.#audit('assisted_failed', before, { failure });
    return true;
  }
}
