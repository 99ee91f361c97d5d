import { UnavailableError } from './errors.ts';

/**
 * Resolves or rejects as `work` does, or rejects with an `UnavailableError` naming `what` once `ms` have passed
 * without an answer (a dependency that accepts connections but answers nothing: a frozen PostgreSQL). The work
 * itself goes on; what it does later is ignored here (its rejection is handled, never unhandled).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new UnavailableError(what, new Error(`no answer within ${ms} ms`))),
      ms,
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
