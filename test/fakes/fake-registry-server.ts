import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RegistryRecord } from '../../src/domain/verification/population-registry.ts';
import { closeServer, listenOnLoopback, readBody } from '../support/fake-server-kit.ts';

/**
 * How the fake answers: `normal` follows the JSON contract (docs/registry-connector.md); the others play a
 * broken registry: `unavailable` (503), `rate-limited` (429), `hang` (never answers), `bad-json` (200 with a
 * body that is not JSON), `bad-shape` (200 with JSON of the wrong shape), `bad-request` (400).
 */
export type FakeRegistryMode =
  | 'normal'
  | 'unavailable'
  | 'rate-limited'
  | 'hang'
  | 'bad-json'
  | 'bad-shape'
  | 'bad-request';

/** One request the fake received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A running fake registry connector on 127.0.0.1. */
export interface FakeRegistryServer {
  /** The base URL to give createHttpRegistry, e.g. http://127.0.0.1:54321 */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[];
  /** Switches how the next requests are answered. */
  setMode(mode: FakeRegistryMode): void;
  /** Stops the server, dropping hanging connections. */
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

/**
 * Starts a tiny HTTP server on 127.0.0.1 (a free port) implementing `POST /v1/lookup` over `records`.
 * With `token`, requests without `Authorization: Bearer <token>` get 401.
 */
export async function startFakeRegistryServer(
  records: readonly RegistryRecord[],
  options: { token?: string } = {},
): Promise<FakeRegistryServer> {
  const people = new Map(records.map((record) => [record.cccd, record]));
  const requests: ReceivedRequest[] = [];
  let mode: FakeRegistryMode = 'normal';

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = (await readBody(request)).toString('utf8');
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body,
    });
    if (mode === 'hang') return;
    if (mode === 'unavailable') return send(response, 503, '{"error":"maintenance"}');
    if (mode === 'rate-limited') return send(response, 429, '{"error":"slow down"}');
    if (mode === 'bad-request') return send(response, 400, '{"error":"bad request"}');
    if (mode === 'bad-json') return send(response, 200, '<html>Gateway says hello</html>');
    if (mode === 'bad-shape') return send(response, 200, '{"found":"yes"}');

    if (request.method !== 'POST' || request.url !== '/v1/lookup') return send(response, 404, '{}');
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      return send(response, 401, '{"error":"unauthorized"}');
    }
    let cccd: unknown;
    try {
      cccd = (JSON.parse(body) as { cccd?: unknown }).cccd;
    } catch {
      return send(response, 400, '{"error":"body is not JSON"}');
    }
    if (typeof cccd !== 'string' || !/^\d{12}$/.test(cccd))
      return send(response, 400, '{"error":"bad cccd"}');
    const person = people.get(cccd);
    send(response, 200, JSON.stringify(person === undefined ? { found: false } : { found: true, person }));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, '{}');
    });
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode(next) {
      mode = next;
    },
    close: () => closeServer(server),
  };
}
