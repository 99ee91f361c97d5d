/** The state of one client (a keyed hash of its IP address) for the share-token guess limit. */
export type GuessState =
  | { readonly blocked: false }
  /** Blocked until the window ends, `retryAfterSeconds` from the time asked (at least 1). */
  | { readonly blocked: true; readonly retryAfterSeconds: number };

/** The default limit: 20 failed token lookups per client in a 10-minute window. */
export const GUESS_LIMIT = { misses: 20, windowMs: 10 * 60_000 } as const;

/**
 * Limits guessing of share tokens: counts each client's failed lookups (unknown, expired, revoked, over the
 * limit, malformed) in fixed windows; once a client reaches the limit, every share request of that client is
 * refused until the window ends. Clients are named by a keyed hash of their IP address, never the address.
 * Contract (test/contracts/guess-limiter.contract.ts, run on Redis and the in-memory fake):
 * - a client under the limit is not blocked; the miss that reaches the limit blocks it;
 * - blocked until the end of the window the misses fell in, with the seconds left (rounded up);
 * - clients are counted apart; a new window starts from zero.
 */
export interface GuessLimiter {
  /** Whether `client` is blocked at `at`. */
  check(client: string, at: Date): Promise<GuessState>;
  /** Counts one failed lookup of `client` at `at`; answers the state after counting it. */
  miss(client: string, at: Date): Promise<GuessState>;
}

/** The window a time falls in, and when it ends (ms since the epoch). */
export function guessWindow(at: Date, windowMs: number): { index: number; endsAt: number } {
  const index = Math.floor(at.getTime() / windowMs);
  return { index, endsAt: (index + 1) * windowMs };
}

/** The state of a client with `misses` in the window ending at `endsAt`, seen at `at`. */
export function guessState(misses: number, limit: number, endsAt: number, at: Date): GuessState {
  if (misses < limit) return { blocked: false };
  return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - at.getTime()) / 1000)) };
}
