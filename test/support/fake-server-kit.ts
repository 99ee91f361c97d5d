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

/**
 * A request a fake keeps open: `arrived` settles when the request reaches the fake (the fake calls `signal`),
 * `released` when the test calls `release()` (or the fake closes, releasing everything in `holds`).
 */
export function holdRequest(holds: Set<() => void>) {
  let signal = (): void => {};
  let release = (): void => {};
  const arrived = new Promise<void>((resolve) => {
    signal = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = () => {
      holds.delete(release);
      resolve();
    };
  });
  holds.add(release);
  return { signal, released, handle: { arrived, release } };
}
