import { z } from 'zod';
import { type ChannelId, ChannelIdSchema, LanguageSchema } from '../../messaging/channel.ts';
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

/** The provider's acceptance of a message, to record (see {@link Outbox.markSent}). */
export interface SentMark {
  readonly id: number;
  readonly providerMessageId: string;
  readonly segments: number | undefined;
}

/** The keyed hash the outbox files a recipient under (never the address itself). */
export function addressHash(cipher: DataCipher, channel: string, address: string): string {
  return cipher.keyedHash('address', `${channel}:${address}`);
}

/** Whom the outbox files a message under: the channel and the keyed hash of the address (never the address). */
export interface Recipient {
  readonly channel: ChannelId;
  readonly addressHash: string;
}

/** The recipient of `address` on `channel`. */
export function recipientOf(cipher: DataCipher, channel: ChannelId, address: string): Recipient {
  return { channel, addressHash: addressHash(cipher, channel, address) };
}

const PayloadSchema = z.object({ to: z.string(), reply: ReplySchema, language: LanguageSchema });

interface OutboundRow {
  id: number;
  channel: string;
  status: string;
  purpose: OutboundPurpose;
  attempts: number;
  citizen_id: string | null;
  not_before: Date | null;
  payload_enc: string;
}
const COLUMNS = 'id, channel, status, purpose, attempts, citizen_id, not_before, payload_enc';

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

  /** The stored message `id`, or null. */
  async get(id: number): Promise<OutboundRecord | null> {
    const { rows } = await this.#db.query<OutboundRow>(
      `SELECT ${COLUMNS} FROM outbound_messages WHERE id = $1`,
      [id],
    );
    return rows[0] ? this.#record(rows[0]) : null;
  }

  /**
   * The recipient's oldest message still to send (id order) after id `afterId`, leaving out those held back
   * until after `now` (`not_before`): a message held for the morning does not hold back the ones after it.
   */
  async nextDue(recipient: Recipient, now: Date, afterId = 0): Promise<OutboundRecord | null> {
    const { rows } = await this.#db.query<OutboundRow>(
      `SELECT ${COLUMNS} FROM outbound_messages
       WHERE channel = $1 AND address_hash = $2 AND status = 'pending' AND id > $3
         AND (not_before IS NULL OR not_before <= $4::timestamptz)
       ORDER BY id LIMIT 1`,
      [recipient.channel, recipient.addressHash, afterId, now],
    );
    return rows[0] ? this.#record(rows[0]) : null;
  }

  /** Records the provider's acceptance: the attempt counts, and an error of an earlier attempt is cleared. */
  async markSent(id: number, providerMessageId: string, segments: number | undefined): Promise<void> {
    await this.#db.query(
      `UPDATE outbound_messages SET status = 'queued', provider_message_id = $2, segments = $3,
         attempts = attempts + 1, error_code = NULL, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, providerMessageId, segments ?? null],
    );
  }

  /** Records an attempt the provider refused for now: the message stays pending, to be tried again. */
  async recordAttempt(id: number, errorCode: string): Promise<void> {
    await this.#db.query(
      `UPDATE outbound_messages SET attempts = attempts + 1, error_code = $2, updated_at = now()
       WHERE id = $1 AND status = 'pending'`,
      [id, errorCode],
    );
  }

  /** Ends a pending message the provider refused for good, or on its last attempt: that attempt counts. */
  async markFailed(id: number, errorCode: string): Promise<void> {
    await this.#db.query(
      `UPDATE outbound_messages SET status = 'failed', attempts = attempts + 1, error_code = $2,
         updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, errorCode],
    );
  }

  /** Ends a pending message that is not to be sent (opted out, account closed, channel off): nothing was tried. */
  async markSuppressed(id: number, reason: string): Promise<void> {
    await this.#db.query(
      `UPDATE outbound_messages SET status = 'suppressed', error_code = $2, updated_at = now()
       WHERE id = $1 AND status = 'pending'`,
      [id, reason],
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
   * The recipients with a message still pending after `olderThanMs` (their send job was lost). A message held
   * back until `not_before` counts from then (by the clock `now`), so it is never queued early.
   */
  async stalledRecipients(olderThanMs: number, limit = 500, now: Date = new Date()): Promise<Recipient[]> {
    const { rows } = await this.#db.query<{ channel: string; address_hash: string }>(
      `SELECT DISTINCT channel, address_hash FROM outbound_messages WHERE status = 'pending'
       AND created_at < now() - ($1::int * interval '1 millisecond')
       AND (not_before IS NULL OR not_before < $3::timestamptz - ($1::int * interval '1 millisecond'))
       LIMIT $2`,
      [olderThanMs, limit, now],
    );
    return rows.map((r) => ({ channel: ChannelIdSchema.parse(r.channel), addressHash: r.address_hash }));
  }

  #record(row: OutboundRow): OutboundRecord {
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
}
