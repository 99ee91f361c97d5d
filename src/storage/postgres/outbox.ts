import { z } from 'zod';
import { ChannelIdSchema, LanguageSchema } from '../../messaging/channel.ts';
import {
  type DeliveryReport,
  DeliveryStatusSchema,
  deliveryStatusRank,
} from '../../messaging/delivery-status.ts';
import { type OutboundMessage, ReplySchema } from '../../messaging/outbound-message.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';

/**
 * Why a message is sent; `opt_out_confirmation` is the only one allowed to an opted-out address. A
 * `notification` a messenger refuses for good falls back to SMS; `otp` carries a one-time code.
 */
export type OutboundPurpose = 'reply' | 'opt_out_confirmation' | 'notification' | 'otp';

/** A message to store in the outbox. `dedupeKey` makes adding it twice add it once. */
export interface NewOutbound {
  readonly dedupeKey: string;
  readonly channel: OutboundMessage['channel'];
  readonly to: string;
  readonly reply: OutboundMessage['reply'];
  readonly language: OutboundMessage['language'];
  readonly purpose: OutboundPurpose;
  /** The account the message is about, when there is one (lets a notification fall back to SMS). */
  readonly citizenId?: string | undefined;
  /** Not to be sent before this moment (a notification held back by quiet hours). */
  readonly notBefore?: Date | undefined;
}

/** A stored outbound message. */
export interface OutboundRecord {
  readonly id: number;
  readonly status: string;
  readonly purpose: OutboundPurpose;
  readonly attempts: number;
  readonly citizenId: string | null;
  /** Not to be sent before this moment (quiet hours), or null. */
  readonly notBefore: Date | null;
  readonly message: OutboundMessage;
}

/** The keyed hash the outbox files a recipient under (never the address itself). */
export function addressHash(cipher: DataCipher, channel: string, address: string): string {
  return cipher.keyedHash('address', `${channel}:${address}`);
}

const PayloadSchema = z.object({ to: z.string(), reply: ReplySchema, language: LanguageSchema });

/**
 * The outbox: every message we send, stored once (by dedupe key) and encrypted before it is queued, with its
 * delivery state. Delivery reports only move a message forward (queued → sent → delivered/failed).
 */
export class Outbox {
  readonly #db: Database;
  readonly #cipher: DataCipher;

  constructor(db: Database, cipher: DataCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /** Stores messages (those already stored are kept as they are) and resolves their ids, in order. */
  async add(items: readonly NewOutbound[]): Promise<number[]> {
    const ids: number[] = [];
    for (const item of items) {
      const payload = this.#cipher.encrypt(
        JSON.stringify({ to: item.to, reply: item.reply, language: item.language }),
      );
      const { rows } = await this.#db.query<{ id: number }>(
        `WITH ins AS (
           INSERT INTO outbound_messages
             (dedupe_key, channel, address_hash, payload_enc, purpose, citizen_id, not_before)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id)
         SELECT id FROM ins UNION ALL SELECT id FROM outbound_messages WHERE dedupe_key = $1`,
        [
          item.dedupeKey,
          item.channel,
          addressHash(this.#cipher, item.channel, item.to),
          payload,
          item.purpose,
          item.citizenId ?? null,
          item.notBefore ?? null,
        ],
      );
      const row = rows[0];
      if (!row) throw new Error('outbox insert returned no id');
      ids.push(row.id);
    }
    return ids;
  }

  async get(id: number): Promise<OutboundRecord | null> {
    const { rows } = await this.#db.query<{
      id: number;
      channel: string;
      status: string;
      purpose: OutboundPurpose;
      attempts: number;
      citizen_id: string | null;
      not_before: Date | null;
      payload_enc: string;
    }>(
      `SELECT id, channel, status, purpose, attempts, citizen_id, not_before, payload_enc
       FROM outbound_messages WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const payload = PayloadSchema.parse(JSON.parse(this.#cipher.decrypt(row.payload_enc)));
    return {
      id: row.id,
      status: row.status,
      purpose: row.purpose,
      attempts: row.attempts,
      citizenId: row.citizen_id,
      notBefore: row.not_before === null ? null : new Date(row.not_before),
      message: { channel: ChannelIdSchema.parse(row.channel), ...payload, clientRef: `out-${row.id}` },
    };
  }

  async markSent(id: number, providerMessageId: string, segments: number | undefined): Promise<void> {
    await this.#db.query(
      `UPDATE outbound_messages SET status = 'queued', provider_message_id = $2, segments = $3,
         attempts = attempts + 1, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, providerMessageId, segments ?? null],
    );
  }

  async recordAttempt(id: number, errorCode: string): Promise<void> {
    await this.#db.query(
      'UPDATE outbound_messages SET attempts = attempts + 1, error_code = $2, updated_at = now() WHERE id = $1',
      [id, errorCode],
    );
  }

  /**
   * Whether an earlier reply (not a notification) to the same recipient, stored in the last 10 minutes, is still
   * waiting to be sent: a notification waits for it, so it never overtakes the reply it follows.
   */
  async hasEarlierPending(id: number): Promise<boolean> {
    const { rows } = await this.#db.query(
      `SELECT 1 FROM outbound_messages earlier, outbound_messages this
       WHERE this.id = $1 AND earlier.channel = this.channel AND earlier.address_hash = this.address_hash
         AND earlier.id < this.id AND earlier.status = 'pending' AND earlier.purpose <> 'notification'
         AND earlier.created_at > now() - interval '10 minutes'
       LIMIT 1`,
      [id],
    );
    return rows.length > 0;
  }

  /** Ends a message that will not be sent: `failed` (provider refused) or `suppressed` (opted out, channel off). */
  async markFinal(id: number, status: 'failed' | 'suppressed', errorCode: string): Promise<void> {
    await this.#db.query(
      `UPDATE outbound_messages SET status = $2, error_code = $3, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, status, errorCode],
    );
  }

  /** Applies a provider's delivery report if it moves the message forward; resolves whether it did. */
  async applyDeliveryReport(channel: string, report: DeliveryReport): Promise<boolean> {
    const lower = DeliveryStatusSchema.options.filter(
      (status) => deliveryStatusRank(status) < deliveryStatusRank(report.status),
    );
    const { rowCount } = await this.#db.query(
      `UPDATE outbound_messages SET status = $3, error_code = coalesce($4, error_code), updated_at = now()
       WHERE channel = $1 AND provider_message_id = $2 AND status = ANY($5::text[])`,
      [channel, report.providerMessageId, report.status, report.errorCode ?? null, lower],
    );
    return rowCount > 0;
  }

  /**
   * Messages still pending after `olderThanMs` (their send job was lost). A message held back until `not_before`
   * counts from then (by the clock `now`), so it is never queued early.
   */
  async stalledIds(olderThanMs: number, limit = 500, now: Date = new Date()): Promise<number[]> {
    const { rows } = await this.#db.query<{ id: number }>(
      `SELECT id FROM outbound_messages WHERE status = 'pending'
       AND created_at < now() - ($1::int * interval '1 millisecond')
       AND (not_before IS NULL OR not_before < $3::timestamptz - ($1::int * interval '1 millisecond'))
       ORDER BY id LIMIT $2`,
      [olderThanMs, limit, now],
    );
    return rows.map((r) => r.id);
  }
}
