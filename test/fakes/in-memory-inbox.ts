import type { InboundMessage } from '../../src/messaging/inbound-message.ts';
import type { FailedInbound, Inbox, PendingInbound } from '../../src/storage/postgres/inbox.ts';
import type { Outbox, SentMark } from '../../src/storage/postgres/outbox.ts';

/** The inbox as the turn stage and intake use it. */
export type InboxPort = Pick<
  Inbox,
  | 'accept'
  | 'nextPending'
  | 'isPending'
  | 'markProcessed'
  | 'markProcessedAndNext'
  | 'recordFailure'
  | 'markFailed'
  | 'listFailed'
>;

interface Row {
  readonly id: number;
  readonly key: string;
  readonly message: InboundMessage;
  readonly receivedAt: Date;
  processed: boolean;
  failedAt: Date | null;
  attempts: number;
  defectAttempts: number;
  errorClass: string | null;
}

/**
 * A working in-memory inbox; passes test/contracts/inbox.contract.ts. `outbox`: where the acceptances given to
 * `markProcessedAndNext` are recorded (the same store, as the real tables share one database).
 */
export class InMemoryInbox implements InboxPort {
  readonly #rows: Row[] = [];
  readonly #byProviderId = new Map<string, Row>();
  readonly #outbox: Pick<Outbox, 'markSent'> | undefined;

  constructor(outbox?: Pick<Outbox, 'markSent'>) {
    this.#outbox = outbox;
  }

  async accept(message: InboundMessage, conversationKey: string) {
    const dedupe = `${message.channel}\0${message.providerMessageId}`;
    const existing = this.#byProviderId.get(dedupe);
    if (existing) return { id: existing.id, fresh: false, pending: !existing.processed };
    const row: Row = {
      id: this.#rows.length + 1,
      key: conversationKey,
      message: structuredClone(message),
      receivedAt: new Date(),
      processed: false,
      failedAt: null,
      attempts: 0,
      defectAttempts: 0,
      errorClass: null,
    };
    this.#rows.push(row);
    this.#byProviderId.set(dedupe, row);
    return { id: row.id, fresh: true, pending: true };
  }

  async nextPending(conversationKey: string): Promise<PendingInbound | null> {
    const row = this.#rows.find((r) => r.key === conversationKey && !r.processed);
    return row
      ? { id: row.id, message: structuredClone(row.message), defectAttempts: row.defectAttempts }
      : null;
  }

  async isPending(id: number): Promise<boolean> {
    const row = this.#rows[id - 1];
    return row !== undefined && !row.processed;
  }

  async markProcessed(id: number): Promise<void> {
    const row = this.#rows[id - 1];
    if (row) row.processed = true;
  }

  async markProcessedAndNext(
    id: number,
    conversationKey: string,
    sent: readonly SentMark[] = [],
  ): Promise<PendingInbound | null> {
    if (sent.length > 0 && !this.#outbox) throw new Error('this fake inbox was given no outbox');
    for (const mark of sent) await this.#outbox?.markSent(mark.id, mark.providerMessageId, mark.segments);
    await this.markProcessed(id);
    return this.nextPending(conversationKey);
  }

  async recordFailure(id: number, failure: { errorClass: string; defect: boolean }) {
    const row = this.#rows[id - 1];
    if (!row) return { attempts: 0, defectAttempts: 0 };
    row.attempts += 1;
    if (failure.defect) row.defectAttempts += 1;
    row.errorClass = failure.errorClass;
    return { attempts: row.attempts, defectAttempts: row.defectAttempts };
  }

  async markFailed(id: number): Promise<boolean> {
    const row = this.#rows[id - 1];
    if (!row || row.processed) return false;
    row.processed = true;
    row.failedAt = new Date();
    return true;
  }

  async listFailed(options: { limit: number; before?: number | undefined }): Promise<FailedInbound[]> {
    return this.#rows
      .filter((r) => r.failedAt !== null && (options.before === undefined || r.id < options.before))
      .reverse()
      .slice(0, options.limit)
      .map((r) => ({
        id: r.id,
        channel: r.message.channel,
        receivedAt: r.receivedAt,
        failedAt: r.failedAt ?? new Date(),
        attempts: r.attempts,
        errorClass: r.errorClass,
      }));
  }
}
