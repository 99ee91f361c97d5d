import { randomUUID } from 'node:crypto';
import type { AgencyRepository } from '../../src/domain/agencies/agency.ts';
import {
  DATA_READ_WINDOW_MS,
  type DataRequest,
  type DataRequestChange,
  type DataRequestRepository,
  type NewDataRequest,
} from '../../src/domain/datarequests/data-request.ts';

/** A working in-memory {@link DataRequestRepository}; passes test/contracts/data-request-repository.contract.ts. */
export class InMemoryDataRequestRepository implements DataRequestRepository {
  /** Every request, oldest first. */
  readonly requests: DataRequest[] = [];
  /** The audit entries the PostgreSQL implementation writes, in order. */
  readonly audit: { action: string; citizenId: string; details: Record<string, unknown> }[] = [];

  readonly #agencies: Pick<AgencyRepository, 'findById'>;

  constructor(agencies: Pick<AgencyRepository, 'findById'>) {
    this.#agencies = agencies;
  }

  async create(input: NewDataRequest, maxPending: number) {
    const pending = this.requests.filter(
      (r) =>
        r.agency.id === input.agencyId &&
        r.citizenId === input.citizenId &&
        r.status === 'pending' &&
        r.expiresAt > input.createdAt,
    );
    if (pending.length >= maxPending) return { type: 'too_many_pending' as const };
    const agency = await this.#agencies.findById(input.agencyId);
    if (!agency) throw new Error('no such agency');
    const request: DataRequest = {
      id: randomUUID(),
      agency: { id: agency.id, code: agency.code, name: agency.name },
      citizenId: input.citizenId,
      purpose: input.purpose,
      fields: [...input.fields],
      documentTypes: [...input.documentTypes],
      callbackUrl: input.callbackUrl,
      status: 'pending',
      createdAt: input.createdAt,
      expiresAt: input.expiresAt,
      decidedAt: null,
      decidedVia: null,
      readableUntil: null,
      noticedAt: null,
      firstReadAt: null,
      lastReadAt: null,
    };
    this.requests.push(request);
    this.#audit('data_request_created', request);
    return { type: 'created' as const, request };
  }

  async findById(id: string) {
    return this.requests.find((r) => r.id === id) ?? null;
  }

  async listPending(citizenId: string, at: Date) {
    return this.requests.filter(
      (r) => r.citizenId === citizenId && r.status === 'pending' && r.expiresAt > at,
    );
  }

  async listByCitizen(citizenId: string) {
    return this.requests.filter((r) => r.citizenId === citizenId);
  }

  async answer(
    id: string,
    citizenId: string,
    answer: { answer: 'approved' | 'refused'; at: Date; channel: string },
  ) {
    return this.#change(
      id,
      (r) => r.citizenId === citizenId && r.status === 'pending' && r.expiresAt > answer.at,
      (r) => ({
        ...r,
        status: answer.answer,
        decidedAt: answer.at,
        decidedVia: answer.channel,
        readableUntil:
          answer.answer === 'approved' ? new Date(answer.at.getTime() + DATA_READ_WINDOW_MS) : null,
      }),
      answer.answer === 'approved' ? 'data_request_approved' : 'data_request_refused',
      { channel: answer.channel },
    );
  }

  async expire(id: string, at: Date) {
    return this.#change(
      id,
      (r) => r.status === 'pending' && r.expiresAt <= at,
      (r) => ({ ...r, status: 'expired', decidedAt: r.expiresAt }),
      'data_request_expired',
    );
  }

  async withdraw(id: string, citizenId: string, withdrawal: { at: Date; channel: string }) {
    return this.#change(
      id,
      (r) =>
        r.citizenId === citizenId &&
        r.status === 'approved' &&
        r.readableUntil !== null &&
        r.readableUntil > withdrawal.at,
      (r) => ({ ...r, status: 'withdrawn', decidedAt: withdrawal.at, decidedVia: withdrawal.channel }),
      'data_request_withdrawn',
      { channel: withdrawal.channel },
    );
  }

  async overdue(before: Date, limit: number) {
    return this.requests
      .filter((r) => r.status === 'pending' && r.expiresAt <= before)
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit)
      .map((r) => r.id);
  }

  async markNoticed(id: string, at: Date) {
    this.#replace(id, (r) => ({ ...r, noticedAt: r.noticedAt ?? at }));
  }

  async recordRead(id: string, at: Date, documentId?: string) {
    const read = this.#replace(id, (r) => ({ ...r, firstReadAt: r.firstReadAt ?? at, lastReadAt: at }));
    if (read)
      this.audit.push({
        action: 'data_request_read',
        citizenId: read.citizenId,
        details: { requestId: id, ...(documentId === undefined ? {} : { documentId }) },
      });
  }

  #replace(id: string, update: (r: DataRequest) => DataRequest): DataRequest | null {
    const index = this.requests.findIndex((r) => r.id === id);
    const current = this.requests[index];
    if (!current) return null;
    const next = update(current);
    this.requests[index] = next;
    return next;
  }

  #change(
    id: string,
    when: (r: DataRequest) => boolean,
    update: (r: DataRequest) => DataRequest,
    action: string,
    details: Record<string, unknown> = {},
  ): DataRequestChange {
    const current = this.requests.find((r) => r.id === id);
    if (!current) return { type: 'not_found' };
    if (!when(current)) return { type: 'unchanged', request: current };
    const request = this.#replace(id, update) ?? current;
    this.#audit(action, request, details);
    return { type: 'changed', request };
  }

  #audit(action: string, request: DataRequest, details: Record<string, unknown> = {}) {
    this.audit.push({
      action,
      citizenId: request.citizenId,
      details: {
        requestId: request.id,
        agencyId: request.agency.id,
        fields: request.fields,
        documentTypes: request.documentTypes,
        ...details,
      },
    });
  }
}
