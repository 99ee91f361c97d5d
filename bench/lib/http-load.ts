/**
 * A small HTTP load generator over keep-alive connections (node:http), light enough to share a 2-core machine
 * with the service it measures. Closed loop (`concurrency` requests in flight until `total` are done) or open
 * loop (`ratePerSecond`: request i starts at i / rate seconds, whatever the answers, so latency is not hidden
 * by a slow server).
 */
import http from 'node:http';
import { percentile } from './stats.ts';

/** One request to make: the path and the exact body bytes and headers. */
export interface LoadRequest {
  readonly path: string;
  readonly body: string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a load run measured. */
export interface LoadResult {
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Time from sending to the full answer, per request, in ms. */
  readonly latencies: readonly number[];
  /** When each request was sent (performance.now()), by index. */
  readonly sentAt: readonly number[];
  /** How many answers had each status (0: a network error). */
  readonly statuses: Readonly<Record<number, number>>;
  readonly p50: number;
  readonly p99: number;
}

/** Sends one request on `agent`; resolves with the status (0 on a network error). */
function send(agent: http.Agent, base: URL, request: LoadRequest): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: request.path,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(request.body);
  });
}

/**
 * Posts `total` requests made by `make(i)` to `baseUrl`, `concurrency` at a time (closed loop) or at
 * `ratePerSecond` (open loop, `concurrency` then only caps the sockets).
 */
export async function runLoad(options: {
  baseUrl: string;
  total: number;
  concurrency: number;
  ratePerSecond?: number;
  make: (i: number) => LoadRequest;
}): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = new Array(options.total);
  const sentAt: number[] = new Array(options.total);
  const statuses: Record<number, number> = {};
  const one = async (i: number) => {
    const request = options.make(i);
    const t0 = performance.now();
    sentAt[i] = t0;
    const status = await send(agent, base, request);
    latencies[i] = performance.now() - t0;
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const started = performance.now();
  if (options.ratePerSecond) {
    const rate = options.ratePerSecond;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < options.total; i += 1) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(one(i));
    }
    await Promise.all(inFlight);
  } else {
    let next = 0;
    const lane = async () => {
      while (next < options.total) {
        const i = next;
        next += 1;
        await one(i);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, lane));
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    count: options.total,
    seconds,
    perSecond: options.total / seconds,
    latencies,
    sentAt,
    statuses,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
