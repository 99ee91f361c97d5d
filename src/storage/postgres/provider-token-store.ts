import { z } from 'zod';
import type { ProviderTokenStore, ProviderTokens } from '../../messaging/provider-token-store.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';

const StoredTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.iso.datetime(),
  seed: z.string(),
});

/**
 * The PostgreSQL (and PGlite) implementation of {@link ProviderTokenStore}: one encrypted row per provider
 * account. `update` holds the row lock (`SELECT … FOR UPDATE`) for the whole refresh, so processes refresh one
 * at a time and each sees the tokens the previous one stored.
 */
export function createPgProviderTokenStore(db: Database, cipher: DataCipher): ProviderTokenStore {
  const decode = (value: string | null): ProviderTokens | null => {
    if (value === null) return null;
    const stored = StoredTokensSchema.parse(JSON.parse(cipher.decrypt(value)));
    return { ...stored, expiresAt: new Date(stored.expiresAt) };
  };
  const encode = (tokens: ProviderTokens) =>
    cipher.encrypt(JSON.stringify({ ...tokens, expiresAt: tokens.expiresAt.toISOString() }));

  return {
    async read(name) {
      const { rows } = await db.query<{ tokens_enc: string | null }>(
        'SELECT tokens_enc FROM provider_tokens WHERE name = $1',
        [name],
      );
      return decode(rows[0]?.tokens_enc ?? null);
    },
    async update(name, fn) {
      await db.query('INSERT INTO provider_tokens (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ tokens_enc: string | null }>(
          'SELECT tokens_enc FROM provider_tokens WHERE name = $1 FOR UPDATE',
          [name],
        );
        const current = decode(rows[0]?.tokens_enc ?? null);
        const next = await fn(current);
        if (next === null) return current;
        await tx.query('UPDATE provider_tokens SET tokens_enc = $2, updated_at = now() WHERE name = $1', [
          name,
          encode(next),
        ]);
        return next;
      });
    },
  };
}
