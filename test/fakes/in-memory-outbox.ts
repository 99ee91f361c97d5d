import type { ChannelId } from '../../src/messaging/channel.ts';
import type {
  NewOutbound,
  OutboundPurpose,
  OutboundRecord,
  Outbox,
  Recipient,
} from '../../src/storage/postgres/outbox.ts';

/** The outbox as the turn and send stages use it. */
export type OutboxPort = Pick<
  Outbox,
  'add' | 'get' | 'nextDue' | 'markSent' | 'recordAttempt' | 'markFailed' | 'markSuppressed'
>;

interface Row {
  readonly id: number;
  readonly dedupeKey: string;
  readonly recipient: Recipient;
  readonly item: NewOutbound;
  status: string;
  attempts: number;
  errorCode: string | null;
  providerMessageId: string | null;
}

/**
 * A working in-memory outbox; passes test/contracts/outbox.contract.ts. `recipientOf` files a message under its
 * recipient as the real one does (a keyed hash of the address).
 */
export class InMemoryOutbox implements OutboxPort {
  readonly #rows: Row[] = [];
  readonly #recipientOf: (channel: ChannelId, address: string) => Recipient;

  constructor(recipientOf: (channel: ChannelId, address: string) => Recipient) {
    this.#recipientOf = recipientOf;
  }

  async add(items: readonly NewOutbound[]): Promise<number[]> {
    return items.map((item) => {
      const existing = this.#rows.find((r) => r.dedupeKey === item.dedupeKey);
      if (existing) return existing.id;
      const row: Row = {
        id: this.#rows.length + 1,
        dedupeKey: item.dedupeKey,
        recipient: this.#recipientOf(item.channel, item.to),
        item: structuredClone(item),
        status: 'pending',
        attempts: 0,
        errorCode: null,
        providerMessageId: null,
      };
      this.#rows.push(row);
      return row.id;
    });
  }

  async get(id: number): Promise<OutboundRecord | null> {
    const row = this.#rows[id - 1];
    return row ? this.#record(row) : null;
  }

  /** The stored message `id` as the real outbox keeps it (for tests): status, attempts, error, provider id. */
  state(id: number) {
    const row = this.#rows[id - 1];
    return row && { status: row.status, attempts: row.attempts, errorCode: row.errorCode };
  }

  async nextDue(recipient: Recipient, now: Date, afterId = 0): Promise<OutboundRecord | null> {
    const row = this.#rows.find(
      (r) =>
        r.id > afterId &&
        r.status === 'pending' &&
        r.recipient.channel === recipient.channel &&
        r.recipient.addressHash === recipient.addressHash &&
        (r.item.notBefore === undefined || r.item.notBefore.getTime() <= now.getTime()),
    );
    return row ? this.#record(row) : null;
  }

  async markSent(id: number, providerMessageId: string): Promise<void> {
    this.#pending(id, (row) => {
      row.status = 'queued';
      row.providerMessageId = providerMessageId;
      row.attempts += 1;
      row.errorCode = null;
    });
  }

  async recordAttempt(id: number, errorCode: string): Promise<void> {
    this.#pending(id, (row) => {
      row.attempts += 1;
      row.errorCode = errorCode;
    });
  }

  async markFailed(id: number, errorCode: string): Promise<void> {
    this.#pending(id, (row) => {
      row.status = 'failed';
      row.attempts += 1;
      row.errorCode = errorCode;
    });
  }

  async markSuppressed(id: number, reason: string): Promise<void> {
    this.#pending(id, (row) => {
      row.status = 'suppressed';
      row.errorCode = reason;
    });
  }

  #pending(id: number, change: (row: Row) => void): void {
    const row = this.#rows[id - 1];
    if (row?.status === 'pending') change(row);
  }

  #record(row: Row): OutboundRecord {
    const { item } = row;
    return {
      id: row.id,
      status: row.status,
      purpose: item.purpose as OutboundPurpose,
      attempts: row.attempts,
      citizenId: item.citizenId ?? null,
      notBefore: item.notBefore ?? null,
      message: {
        channel: item.channel,
        to: item.to,
        reply: structuredClone(item.reply),
        language: item.language,
        clientRef: `out-${row.id}`,
      },
    };
  }
}
