import {
  GUESS_LIMIT,
  type GuessLimiter,
  guessState,
  guessWindow,
} from '../../src/domain/shares/guess-limiter.ts';

/** A working in-memory {@link GuessLimiter}; passes the same contract as the Redis one. */
export class InMemoryGuessLimiter implements GuessLimiter {
  /** Misses per `client:window`. */
  readonly counts = new Map<string, number>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(options: { misses?: number; windowMs?: number } = {}) {
    this.#limit = options.misses ?? GUESS_LIMIT.misses;
    this.#windowMs = options.windowMs ?? GUESS_LIMIT.windowMs;
  }

  async check(client: string, at: Date) {
    const { index, endsAt } = guessWindow(at, this.#windowMs);
    return guessState(this.counts.get(`${client}:${index}`) ?? 0, this.#limit, endsAt, at);
  }

  async miss(client: string, at: Date) {
    const { index, endsAt } = guessWindow(at, this.#windowMs);
    const key = `${client}:${index}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return guessState(count, this.#limit, endsAt, at);
  }
}
