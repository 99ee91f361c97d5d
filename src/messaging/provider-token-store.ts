/** An OAuth token pair of a provider account (e.g. the Zalo OA access and single-use refresh token). */
export interface ProviderTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
  /**
   * A fingerprint of the configured initial refresh token these tokens descend from, so a new value set by an
   * operator replaces the stored chain instead of being ignored.
   */
  readonly seed: string;
}

/**
 * Durable storage of provider tokens, shared by every process. Contract:
 * - `read` returns the stored tokens of `name`, or null.
 * - `update` runs `fn` holding an exclusive lock on `name` across processes (one refresh at a time); `fn` sees
 *   the tokens as stored at that moment and returns the tokens to store, or null to keep them. What `fn`
 *   returns is persisted before `update` resolves; if `fn` throws, nothing changes and the error propagates.
 * Tokens are secrets: implementations encrypt them at rest.
 */
export interface ProviderTokenStore {
  read(name: string): Promise<ProviderTokens | null>;
  update(
    name: string,
    fn: (current: ProviderTokens | null) => Promise<ProviderTokens | null>,
  ): Promise<ProviderTokens | null>;
}
