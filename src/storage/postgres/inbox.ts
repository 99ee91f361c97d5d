import { type InboundMessage, InboundMessageSchema } from '../../messaging/inbound-message.ts';
import { INBOUND_DEDUPE_KEEP_MS } from '../../messaging/inbound-window.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';
import type { SentMark } from './outbox.ts';

/**
 * The key the inbox deduplicates a provider's message on, stored in `inbound_messages.provider_message_id`: a
 * keyed hash of the provider's id, never the id itself (an adapter may build one from a user id, as Zalo OA
 * does for events without a message id).
 */
export function inboundDedupeKey(cipher: DataCipher, channel: string, providerMessageId: string): string {
  return cipher.keyedHash('inbound-message', `${channel}:${providerMessageId}`);
}

/** A message to store in the inbox, with the key of its conversation. */
export interface InboundToAccept {
  readonly message: InboundMessage;
  readonly conversationKey: string;
}

/** What the inbox did with a message: its row, whether it was stored now, and whether it still waits. */
export interface AcceptedInbound {
  readonly id: number;
  /** Stored by this call (not a provider's retry of a message stored before). */
  readonly fresh: boolean;
  /** Not handled yet: its conversation's turn must be queued (a retry of a waiting message included). */
  readonly pending: boolean;
}

/** A stored inbound message waiting for its turn. */
export interface PendingInbound {
  readonly id: number;
  readonly message: InboundMessage;
  /** How many of its turns so far threw an error that was a defect, not an outage ({@link Inbox.recordFailure}). */
  readonly defectAttempts: number;
}

/** How long a failed message is kept for a person to look at before the maintenance job purges it. */
export const FAILED_INBOUND_KEEP_MS = 30 * 24 * 3600 * 1000;

/** A message given up on after its last allowed attempt, as a person looking into it sees it (no text). */
export interface FailedInbound {
  readonly id: number;
  readonly channel: string;
  readonly receivedAt: Date;
  readonly failedAt: Date;
  /** Every turn of it that threw, outages included. */
  readonly attempts: number;
  /** The last error's code or class name (`TypeError`, `UNKNOWN_FLOW`), never its message. */
  readonly errorClass: string | null;
}

/**
 * The inbox: every inbound message stored once (provider retries are absorbed by the unique key on channel and
 * the keyed hash of the provider message id, {@link inboundDedupeKey}), encrypted, and handed to the
 * conversation's turn in the order received. A handled message is kept at least as long as deduplication needs.
 */
export class Inbox {
  readonly #db: Database;
  readonly #cipher: DataCipher;

  constructor(db: Database, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /**
   * Stores a message unless the same provider message was stored before. Resolves whether it is new and whether
   * it still waits to be handled (a retry of a message not yet handled must still get a turn).
   */
  async accept(message: InboundMessage, conversationKey: string): Promise<AcceptedInbound> {
    const [accepted] = await this.acceptMany([{ message, conversationKey }]);
    if (!accepted) throw new Error('inbox: no result for the message accepted');
    return accepted;
  }

  /**
   * Stores several messages at once, as {@link accept} does each (one multi-row statement, one transaction; a
   * second statement only for those stored before). Rows get their ids in the order of `items`, so the messages
   * of one conversation are handled in that order. The same provider message twice in `items` is stored once:
   * the first is fresh, the second is not and still pending. Resolves one result per item, in order; rejects
   * (nothing stored) when the statement fails.
   */
  async acceptMany(items: readonly InboundToAccept[]): Promise<AcceptedInbound[]> {
    if (items.length === 0) return [];
    const keyOf = (item: InboundToAccept) =>
      inboundDedupeKey(this.#cipher, item.message.channel, item.message.providerMessageId);
    const rowKey = (channel: string, dedupeKey: string) => `${channel}\u0000${dedupeKey}`;
    const keys = items.map(keyOf);
    /** The first item of each provider message: the one stored. */
    const firsts = new Map<string, number>();
    items.forEach((item, index) => {
      const key = rowKey(item.message.channel, keys[index] ?? '');
      if (!firsts.has(key)) firsts.set(key, index);
    });
    const stored = [...firsts.values()];
    const column = (value: (index: number) => string) => stored.map(value);
    const inserted = await this.#db.query<{ id: number; channel: string; provider_message_id: string }>(
      `INSERT INTO inbound_messages (channel, provider_message_id, conversation_key, payload_enc)
       SELECT channel, provider_message_id, conversation_key, payload_enc
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         WITH ORDINALITY AS batch (channel, provider_message_id, conversation_key, payload_enc, n)
       ORDER BY n
       ON CONFLICT (channel, provider_message_id) DO NOTHING RETURNING id, channel, provider_message_id`,
      [
        column((i) => items[i]?.message.channel ?? ''),
        column((i) => keys[i] ?? ''),
        column((i) => items[i]?.conversationKey ?? ''),
        column((i) => this.#cipher.encrypt(JSON.stringify(items[i]?.message))),
      ],
    );
    const rows = new Map<string, { id: number; fresh: boolean; processed: boolean }>();
    for (const row of inserted.rows)
      rows.set(rowKey(row.channel, row.provider_message_id), { id: row.id, fresh: true, processed: false });
    const before = [...firsts].filter(([key]) => !rows.has(key)).map(([, index]) => index);
    if (before.length > 0) {
      const existing = await this.#db.query<{
        id: number;
        channel: string;
        provider_message_id: string;
        processed: boolean;
      }>(
        `SELECT id, channel, provider_message_id, processed_at IS NOT NULL AS processed FROM inbound_messages
         WHERE (channel, provider_message_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [before.map((i) => items[i]?.message.channel), before.map((i) => keys[i])],
      );
      for (const row of existing.rows)
        rows.set(rowKey(row.channel, row.provider_message_id), {
          id: row.id,
          fresh: false,
          processed: row.processed,
        });
    }
    return items.map((item, index) => {
      const key = rowKey(item.message.channel, keys[index] ?? '');
      const row = rows.get(key);
      if (!row) throw new Error('inbound message vanished between insert and select');
      return { id: row.id, fresh: row.fresh && firsts.get(key) === index, pending: !row.processed };
    });
  }

  /** The oldest message of a conversation not yet handled. */
  async nextPending(conversationKey: string): Promise<PendingInbound | null> {
    const { rows } = await this.#db.query<{ id: number; payload_enc: string; defect_attempts: number }>(
      `SELECT id, payload_enc, defect_attempts FROM inbound_messages
       WHERE conversation_key = $1 AND processed_at IS NULL ORDER BY id LIMIT 1`,
      [conversationKey],
    );
    return rows[0] ? this.#pending(rows[0]) : null;
  }

  /** Whether message `id` still waits for its turn (stored, neither handled nor given up on). */
  async isPending(id: number): Promise<boolean> {
    const { rows } = await this.#db.query<{ pending: boolean }>(
      'SELECT processed_at IS NULL AS pending FROM inbound_messages WHERE id = $1',
      [id],
    );
    return rows[0]?.pending ?? false;
  }

  /** Marks message `id` handled. */
  async markProcessed(id: number): Promise<void> {
    await this.#db.query('UPDATE inbound_messages SET processed_at = now() WHERE id = $1', [id]);
  }

  /**
   * Marks message `id` of conversation `conversationKey` handled and resolves the conversation's next message
   * waiting, in one statement: what {@link markProcessed} then {@link nextPending} do, in one round trip. `sent`:
   * the provider's acceptance of the turn's replies sent at once, recorded in the same statement exactly as
   * `Outbox.markSent` records it (only on a row still pending).
   */
  async markProcessedAndNext(
    id: number,
    conversationKey: string,
    sent: readonly SentMark[] = [],
  ): Promise<PendingInbound | null> {
    const { rows } = await this.#db.query<{ id: number; payload_enc: string; defect_attempts: number }>(
      `WITH sent AS (
         UPDATE outbound_messages o SET status = 'queued', provider_message_id = s.provider_message_id,
           segments = s.segments, attempts = o.attempts + 1, error_code = NULL, updated_at = now()
         FROM unnest($3::bigint[], $4::text[], $5::int[]) AS s(id, provider_message_id, segments)
         WHERE o.id = s.id AND o.status = 'pending'),
       done AS (UPDATE inbound_messages SET processed_at = now() WHERE id = $1)
       SELECT id, payload_enc, defect_attempts FROM inbound_messages
       WHERE conversation_key = $2 AND processed_at IS NULL AND id <> $1 ORDER BY id LIMIT 1`,
      [
        id,
        conversationKey,
        sent.map((mark) => mark.id),
        sent.map((mark) => mark.providerMessageId),
        sent.map((mark) => mark.segments ?? null),
      ],
    );
    return rows[0] ? this.#pending(rows[0]) : null;
  }

  /**
   * Counts a turn of message `id` that threw: every one in `attempts`, a defect (`defect: true`) also in
   * `defect_attempts`, and keeps the error's class. Resolves the counts after this one.
   */
  async recordFailure(
    id: number,
    failure: { errorClass: string; defect: boolean },
  ): Promise<{ attempts: number; defectAttempts: number }> {
    const { rows } = await this.#db.query<{ attempts: number; defect_attempts: number }>(
      `UPDATE inbound_messages
       SET attempts = attempts + 1, defect_attempts = defect_attempts + $2::int, error_class = $3
       WHERE id = $1 RETURNING attempts, defect_attempts`,
      [id, failure.defect ? 1 : 0, failure.errorClass],
    );
    const row = rows[0];
    return { attempts: row?.attempts ?? 0, defectAttempts: row?.defect_attempts ?? 0 };
  }

  /**
   * Gives up on message `id`: marks it failed and handled, so the conversation's next message gets its turn and
   * the maintenance job does not queue it again. Resolves false when it was already handled (a replay).
   */
  async markFailed(id: number): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `UPDATE inbound_messages SET failed_at = now(), processed_at = now()
       WHERE id = $1 AND processed_at IS NULL`,
      [id],
    );
    return rowCount > 0;
  }

  /** The failed messages, newest first, at most `limit`, those before id `before` when given (paging). */
  async listFailed(options: { limit: number; before?: number | undefined }): Promise<FailedInbound[]> {
    const { rows } = await this.#db.query<{
      id: number;
      channel: string;
      received_at: Date;
      failed_at: Date;
      attempts: number;
      error_class: string | null;
    }>(
      `SELECT id, channel, received_at, failed_at, attempts, error_class FROM inbound_messages
       WHERE failed_at IS NOT NULL AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1`,
      [options.limit, options.before ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      receivedAt: new Date(r.received_at),
      failedAt: new Date(r.failed_at),
      attempts: r.attempts,
      errorClass: r.error_class,
    }));
  }

  /** Conversations with a message waiting longer than `olderThanMs` (their turn job was lost). */
  async stalledConversations(olderThanMs: number, limit = 500): Promise<string[]> {
    const { rows } = await this.#db.query<{ conversation_key: string }>(
      `SELECT DISTINCT conversation_key FROM inbound_messages
       WHERE processed_at IS NULL AND received_at < now() - ($1::int * interval '1 millisecond') LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => r.conversation_key);
  }

  /**
   * Deletes the handled messages stored longer ago than the deduplication window and its clock skew
   * ({@link INBOUND_DEDUPE_KEEP_MS}), and no others: a younger one's key must still absorb a retry or a replay,
   * and an older one's text is personal data no longer needed. A failed message is kept
   * {@link FAILED_INBOUND_KEEP_MS} after it failed, for a person to look at.
   */
  async purgeProcessed(): Promise<number> {
    const { rowCount } = await this.#db.query(
      `DELETE FROM inbound_messages
       WHERE processed_at IS NOT NULL AND received_at < now() - ($1::int * interval '1 millisecond')
         AND (failed_at IS NULL OR failed_at < now() - ($2::float8 * interval '1 millisecond'))`,
      [INBOUND_DEDUPE_KEEP_MS, FAILED_INBOUND_KEEP_MS],
    );
    return rowCount;
  }

  #pending(row: { id: number; payload_enc: string; defect_attempts: number }): PendingInbound {
    return {
      id: row.id,
      message: InboundMessageSchema.parse(JSON.parse(this.#cipher.decrypt(row.payload_enc))),
      defectAttempts: row.defect_attempts,
    };
  }
}
