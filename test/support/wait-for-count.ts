/**
 * Resolves with a copy of `items` once it holds at least `n` entries; rejects after `timeoutMs`. The fake that
 * owns `items` calls every function in `waiters` after each push. Shared by the fake provider servers.
 */
export function waitForCount<T>(
  items: readonly T[],
  n: number,
  options: { timeoutMs: number; what: string; waiters: Set<() => void> },
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (items.length < n) return false;
      clearTimeout(timer);
      options.waiters.delete(check);
      resolve([...items]);
      return true;
    };
    const timer = setTimeout(() => {
      options.waiters.delete(check);
      reject(
        new Error(
          `${options.what}: expected ${n} message(s) within ${options.timeoutMs} ms, got ${items.length}`,
        ),
      );
    }, options.timeoutMs);
    if (!check()) options.waiters.add(check);
  });
}
