import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldLock, RecipientLock } from '../../src/queues/recipient-lock.ts';

/** What a contract run needs. */
export interface RecipientLockFixture {
  /** A lock whose keys live `ttlMs`. */
  lock: RecipientLock;
  readonly ttlMs: number;
  /** Another lock on the same shared store, as another worker process has (Redis: its own connection). */
  connect(): Promise<RecipientLock>;
  /** Lets `ms` milliseconds pass for the lock (a real wait, or an injected clock moved on). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

function held(result: HeldLock | { busyMs: number }): HeldLock {
  if (!('release' in result)) throw new Error(`expected the lock, busy for ${result.busyMs} ms`);
  return result;
}

/**
 * The behaviour every {@link RecipientLock} (Redis, the in-memory fake) must show; see the contract in
 * src/queues/recipient-lock.ts. Call it once per implementation.
 */
export function describeRecipientLockContract(
  name: string,
  factory: () => Promise<RecipientLockFixture>,
): void {
  describe(`RecipientLock contract: ${name}`, () => {
    let fixture: RecipientLockFixture;
    const key = () => `sms-gateway:${randomUUID()}`;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('gives a free key at once, and while it is held tells every process how long it stays busy', async () => {
      const k = key();
      const mine = held(await fixture.lock.acquire(k));
      const other = await fixture.connect();
      const busy = await other.acquire(k);
      expect(busy).toEqual({ busyMs: expect.any(Number) });
      if (!('busyMs' in busy)) return;
      expect(busy.busyMs).toBeGreaterThan(0);
      expect(busy.busyMs).toBeLessThanOrEqual(fixture.ttlMs);
      await expect(fixture.lock.acquire(key())).resolves.toHaveProperty('release');
      await mine.release();
      held(await other.acquire(k));
    });

    it('frees a lock whose holder died after its time to live; the late release frees nothing', async () => {
      const k = key();
      const dead = held(await fixture.lock.acquire(k));
      await fixture.advance(fixture.ttlMs + 20);
      const other = await fixture.connect();
      const taken = held(await other.acquire(k));
      await dead.release();
      await expect(fixture.lock.acquire(k)).resolves.toHaveProperty('busyMs');
      await taken.release();
    });
  });
}
