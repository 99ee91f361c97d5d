import { describe, expect, it } from 'vitest';
import { TURN_BACKOFF, WORKER_BACKOFFS } from './queues.ts';

describe('the workers’ backoffs', () => {
  it('turn: exponential from 200 ms, the last half of each delay random', () => {
    const backoff = WORKER_BACKOFFS[TURN_BACKOFF];
    if (!backoff) throw new Error('no turn backoff');
    for (let attemptsMade = 1; attemptsMade <= 12; attemptsMade++) {
      const longest = 200 * 2 ** (attemptsMade - 1);
      for (let i = 0; i < 50; i++) {
        const delay = backoff(attemptsMade);
        expect(delay).toBeGreaterThanOrEqual(longest / 2);
        expect(delay).toBeLessThanOrEqual(longest);
      }
    }
  });
});
