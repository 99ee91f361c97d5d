import { type InboundMessage, InboundMessageSchema } from '../../messaging/inbound-message.ts';
import { INBOUND_DEDUPE_KEEP_MS } from '../../messaging/inbound-window.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';

/**
 * The key the inbox deduplicates a provider's message on, stored in `inbound_messages.provider_message_id`: a
 * keyed hash of the provider's id, never the id itself (an adapter may build one from a user id, as Zalo OA
 * does for events without a message id).
 */
export function inboundDedupeKey(cipher: DataCipher, channel: string, providerMessageId: string): string {
  return cipher.keyedHash('inbound-message', `${channel}:${providerMessageId}`);
}

/** A stored inbound message waiting for its turn. */
export interface PendingInbound {
  readonly id: number;
  readonly message: InboundMessage;
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
  async accept(
    message: InboundMessage,
    conversationKey: string,
  ): Promise<{ id: number; fresh: boolean; pending: boolean }> {
    const dedupeKey = inboundDedupeKey(this.#cipher, message.channel, message.providerMessageId);
    const inserted = await this.#db.query<{ id: number }>(
      `INSERT INTO inbound_messages (channel, provider_message_id, conversation_key, payload_enc)
       VALUES ($1, $2, $3, $4) ON CONFLICT (channel, provider_message_id) DO NOTHING RETURNING id`,
      [message.channel, dedupeKey, conversationKey, this.#cipher.encrypt(JSON.stringify(message))],
    );
    const row = inserted.rows[0];
    if (row) return { id: row.id, fresh: true, pending: true };
    const existing = await this.#db.query<{ id: number; processed: boolean }>(
      `SELECT id, processed_at IS NOT NULL AS processed FROM inbound_messages
       WHERE channel = $1 AND provider_message_id = $2`,
      [message.channel, dedupeKey],
    );
    const found = existing.rows[0];
    if (!found) throw new Error('inbound message vanished between insert and select');
    return { id: found.id, fresh: false, pending: !found.processed };
  }

  /** The oldest message of a conversation not yet handled. */
  async nextPending(conversationKey: string): Promise<PendingInbound | null> {
    const { rows } = await this.#db.query<{ id: number; payload_enc: string }>(
      `SELECT id, payload_enc FROM inbound_messages WHERE conversation_key = $1 AND processed_at IS NULL
       ORDER BY id LIMIT 1`,
      [conversationKey],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      message: InboundMessageSchema.parse(JSON.parse(this.#cipher.decrypt(row.payload_enc))),
    };
  }

  async markProcessed(id: number): Promise<void> {
    await this.#db.query('UPDATE inbound_messages SET processed_at = now() WHERE id = $1', [id]);
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
   * and an older one's text is personal data no longer needed.
   */
  async purgeProcessed(): Promise<number> {
    const { rowCount } = await this.#db.query(
      `DELETE FROM inbound_messages
       WHERE processed_at IS NOT NULL AND received_at < now() - ($1::int * interval '1 millisecond')`,
      [INBOUND_DEDUPE_KEEP_MS],
    );
    return rowCount;
  }
}
