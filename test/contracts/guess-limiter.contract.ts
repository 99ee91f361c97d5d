import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuessLimiter } from '../../src/domain/shares/guess-limiter.ts';

/** What a contract run needs: a limiter allowing 3 misses per 10-minute window. */
export interface GuessLimiterFixture {
  limiter: GuessLimiter;
  close(): Promise<void>;
}

/** The limit the fixture's limiter must be built with. */
export const CONTRACT_GUESS_LIMIT = { misses: 3, windowMs: 10 * 60_000 } as const;

// The start of a window: 10-minute windows start on the epoch's multiples of 10 minutes.
const W0 = Date.UTC(2025, 5, 1, 8, 0);
const at = (seconds: number) => new Date(W0 + seconds * 1000);

/** The behaviour every {@link GuessLimiter} (Redis, the in-memory fake) must show. */
export function describeGuessLimiterContract(
  name: string,
  factory: () => Promise<GuessLimiterFixture>,
): void {
  describe(`GuessLimiter contract: ${name}`, () => {
    let fixture: GuessLimiterFixture;
    const limiter = () => fixture.limiter;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('lets a client miss up to the limit, then blocks it until the window ends', async () => {
      const client = randomUUID();
      await expect(limiter().check(client, at(0))).resolves.toEqual({ blocked: false });
      await expect(limiter().miss(client, at(10))).resolves.toEqual({ blocked: false });
      await expect(limiter().miss(client, at(20))).resolves.toEqual({ blocked: false });
      await expect(limiter().check(client, at(25))).resolves.toEqual({ blocked: false });
      await expect(limiter().miss(client, at(30))).resolves.toEqual({
        blocked: true,
        retryAfterSeconds: 570,
      });
      await expect(limiter().check(client, at(59.5))).resolves.toEqual({
        blocked: true,
        retryAfterSeconds: 541,
      });
      await expect(limiter().check(client, at(599.2))).resolves.toEqual({
        blocked: true,
        retryAfterSeconds: 1,
      });
      await expect(limiter().check(client, at(600))).resolves.toEqual({ blocked: false });
    });

    it('counts clients apart', async () => {
      const guesser = randomUUID();
      const bystander = randomUUID();
      for (let i = 0; i < 3; i++) await limiter().miss(guesser, at(i));
      await expect(limiter().check(guesser, at(5))).resolves.toMatchObject({ blocked: true });
      await expect(limiter().check(bystander, at(5))).resolves.toEqual({ blocked: false });
      await expect(limiter().miss(bystander, at(6))).resolves.toEqual({ blocked: false });
    });

    it('starts every window from zero', async () => {
      const client = randomUUID();
      await limiter().miss(client, at(598));
      await limiter().miss(client, at(599));
      await expect(limiter().miss(client, at(600))).resolves.toEqual({ blocked: false });
      await expect(limiter().miss(client, at(601))).resolves.toEqual({ blocked: false });
      await expect(limiter().miss(client, at(602))).resolves.toEqual({
        blocked: true,
        retryAfterSeconds: 598,
      });
    });

    it('counts concurrent misses exactly', async () => {
      const client = randomUUID();
      const states = await Promise.all(Array.from({ length: 5 }, () => limiter().miss(client, at(100))));
      expect(states.filter((s) => s.blocked)).toHaveLength(3);
    });
  });
}
