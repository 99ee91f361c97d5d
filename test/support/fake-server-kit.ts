import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Reads a request's body to its end. Shared by the fake provider servers. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts `server` on 127.0.0.1 with a free port; resolves the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Stops `server`, closing every connection (kept-alive and in-flight ones too). */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

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
