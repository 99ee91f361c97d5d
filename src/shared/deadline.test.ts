import { describe, expect, it } from 'vitest';
import { withDeadline } from './deadline.ts';
import { UnavailableError } from './errors.ts';
import { isTransientError } from './transient-errors.ts';

describe('withDeadline', () => {
  it('gives the answer of work that answers in time, and its error', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000, 'The inbox')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new TypeError('bug')), 1000, 'The inbox')).rejects.toThrow(
      TypeError,
    );
  });

  it('fails as unavailable (an outage) when the work does not answer, and ignores its later failure', async () => {
    let fail: (error: Error) => void = () => undefined;
    const never = new Promise<number>((_, reject) => {
      fail = reject;
    });
    const error = await withDeadline(never, 10, 'The inbox').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(isTransientError(error)).toBe(true);
    fail(new Error('too late'));
    await Promise.resolve();
  });
});
