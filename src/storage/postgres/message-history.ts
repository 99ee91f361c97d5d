import { INBOUND_DEDUPE_KEEP_MS } from '../../messaging/inbound-window.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';
import { addressHash } from './outbox.ts';

/** A channel identity: the person's address on one channel. */
export interface ChannelIdentity {
  readonly channel: string;
  readonly address: string;
}

/**
 * Forgets the messages exchanged with a purged account (their text holds its personal data): every inbound
 * message of the identities' conversations, and every outbound message to those identities or about the
 * account (notifications, SMS fallbacks). `conversationKeyOf` is the key the inbox files a message under (see
 * `acceptInbound` in src/app/services.ts); outbound rows are found by the outbox's {@link addressHash}. An inbound
 * message younger than the deduplication window keeps only its deduplication key (a keyed hash), handled and
 * tied to no conversation, so a retry or replay of it is still absorbed; the inbox's purge deletes it after.
 */
export function createPgMessageHistory(
  db: Database,
  cipher: DataCipher,
  conversationKeyOf: (channel: string, address: string) => string,
) {
  return {
    async forget(citizenId: string, identities: readonly ChannelIdentity[]): Promise<void> {
      const keys = identities.map((i) => conversationKeyOf(i.channel, i.address));
      const hashes = identities.map((i) => addressHash(cipher, i.channel, i.address));
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE inbound_messages
           SET payload_enc = '', conversation_key = 'forgotten', processed_at = coalesce(processed_at, now())
           WHERE conversation_key = ANY($1::text[]) AND received_at >= now() - ($2::int * interval '1 millisecond')`,
          [keys, INBOUND_DEDUPE_KEEP_MS],
        );
        await tx.query('DELETE FROM inbound_messages WHERE conversation_key = ANY($1::text[])', [keys]);
        await tx.query(
          'DELETE FROM outbound_messages WHERE citizen_id = $1 OR address_hash = ANY($2::text[])',
          [citizenId, hashes],
        );
      });
    },
  };
}
