import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** A comment line every so often keeps proxies from closing an idle event stream. */
export const SSE_KEEP_ALIVE_MS = 25_000;

/** An open server-sent event stream. */
export interface EventStream {
  /** Sends one event (`data` as JSON); nothing once the stream is closed. */
  send(event: string, data: unknown, id?: string): void;
  /** Ends the stream (the browser reconnects after `retry`, unless the page is gone). */
  end(): void;
  /** Calls `listener` once when the stream closes (ended, or the browser went away). */
  onClose(listener: () => void): void;
  readonly closed: boolean;
}

/** The streams a fastify instance has open, ended when it closes (so `app.close()` does not wait for browsers). */
const openStreams = new WeakMap<FastifyInstance, Set<ServerResponse>>();

/** Ends the event streams of `app` when it closes; call once in the plugin that opens them. */
export function endEventStreamsOnClose(app: FastifyInstance): void {
  if (openStreams.has(app)) return;
  const streams = new Set<ServerResponse>();
  openStreams.set(app, streams);
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });
}

/**
 * Turns a reply into a server-sent event stream (`text/event-stream`, `no-store`, no proxy buffering): the
 * reconnection delay, then a keep-alive comment every {@link SSE_KEEP_ALIVE_MS}. The reply is hijacked: the
 * route's handler returns nothing after this. Extra headers (a Content-Security-Policy, …) go in `headers`.
 */
export function openEventStream(
  app: FastifyInstance,
  reply: FastifyReply,
  options: { retryMs?: number; keepAliveMs?: number; headers?: Record<string, string> } = {},
): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...options.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${options.retryMs ?? 3000}\n\n`);
  const streams = openStreams.get(app);
  streams?.add(raw);
  const listeners: Array<() => void> = [];
  let closed = false;
  const keepAlive = setInterval(() => {
    if (!closed) raw.write(': keep-alive\n\n');
  }, options.keepAliveMs ?? SSE_KEEP_ALIVE_MS);
  raw.on('close', () => {
    closed = true;
    clearInterval(keepAlive);
    streams?.delete(raw);
    for (const listener of listeners.splice(0)) listener();
  });
  return {
    send(event, data, id) {
      if (closed || raw.destroyed) return;
      raw.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (!closed) raw.end();
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    get closed() {
      return closed;
    },
  };
}

/**
 * Streams a feed to an open event stream: every entry after `last` as an `entry` event (its id the event id),
 * then each new one as the feed announces it, until the stream closes. Reads never overlap: an announcement
 * during a read makes one more read. `beforeRead` may end it (a session that signed out: return false).
 */
export async function pipeFeed<E>(
  stream: EventStream,
  feed: {
    read(key: string, afterId?: string): Promise<readonly { id: string; entry: E }[]>;
    watch(key: string, listener: () => void): Promise<() => void>;
  },
  options: {
    key: string;
    last?: string | undefined;
    describe: (entry: E) => unknown;
    beforeRead?: () => Promise<boolean>;
  },
): Promise<void> {
  let last = options.last;
  let reading = false;
  let again = false;
  const pump = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        if (options.beforeRead && !(await options.beforeRead())) return;
        for (const item of await feed.read(options.key, last)) {
          stream.send('entry', options.describe(item.entry), item.id);
          last = item.id;
        }
      } while (again);
    } finally {
      reading = false;
    }
  };
  try {
    const stop = await feed.watch(options.key, () => void pump().catch(() => stream.end()));
    stream.onClose(stop);
    await pump();
  } catch {
    stream.end();
  }
}
