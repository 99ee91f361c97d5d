import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CSRF_HEADER, consoleSessionOf, type ResolveConsoleSession } from '../access-control.ts';
import { html } from '../share-page/html.ts';
import { consoleCopy } from './console.copy.ts';
import { CONSOLE_CSP, renderConsolePage } from './console-page.ts';
import { consoleLangOf } from './console-routes.ts';
import { queuesCopy } from './queues.copy.ts';
import { QUEUES_A11Y_CSS, QUEUES_A11Y_CSS_PATH, QUEUES_A11Y_JS, QUEUES_A11Y_JS_PATH } from './queues-a11y.ts';

/** What the Queues page needs. */
export interface QueueBoardDeps {
  /** The service's BullMQ queues, shown on the board. Unset: no Queues page. */
  readonly boardQueues?: readonly Queue[] | undefined;
}

export const QUEUES_PATH = '/console/queues';
/** Every route of the board, pages, API and static files alike: city staff only. */
const STAFF_ONLY = { access: 'console' as const, consoleRoles: ['staff'] as const };

/**
 * The board's Content-Security-Policy. bull-board's page is a React application whose bundle injects `<style>`
 * elements and whose HTML carries inline `style` attributes (its loading indicator): styles need
 * `'unsafe-inline'`. Everything else is as strict as the console's: scripts from this origin only (the inline
 * `<script type="application/json">` holding its settings is data, never run), requests to this origin only,
 * images from this origin (and `data:` URLs, which its CSS uses for icons), no forms, no frames. `base-uri 'self'`
 * because the page sets `<base href="/console/queues/">`.
 */
export const QUEUES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The name of the cookie bull-board's HTTP client (axios) reads its CSRF token from, and of the header it sends it
 * back in: the board's page sets the cookie to the session's CSRF token (readable by the page's scripts, as the
 * token is readable in every console form; `Path=/console/queues`, `SameSite=Strict`), and the header is taken as
 * the console's own `X-CSRF-Token`, checked by the access hook's `preHandler` like every console form.
 */
const XSRF_COOKIE = 'XSRF-TOKEN';
const XSRF_HEADER = 'x-xsrf-token';

/** bull-board's page asks Google for its fonts: the service serves everything itself, so the link is taken out. */
const FONT_LINK = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>\s*/g;

/**
 * The board's actions that change something and that staff may do: retry failed jobs, promote delayed ones, clean
 * completed ones, pause and resume. Every other one (emptying or obliterating a queue, cleaning waiting or delayed
 * jobs, adding, editing or removing jobs, schedulers, concurrency, rate limits…) would destroy or bypass the
 * durable pipeline (an outbound job is a message a citizen is owed): refused with 403 before bull-board sees it.
 * A list of what is allowed, so an action a new bull-board release adds is refused until it is looked at.
 */
type Params = Record<string, string | undefined>;
const ALLOWED_ACTIONS: ReadonlyMap<string, (params: Params) => boolean> = new Map<
  string,
  (params: Params) => boolean
>([
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/retry/:queueStatus`, (p) => p.queueStatus === 'failed'],
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/:jobId/retry`, () => true],
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/promote`, () => true],
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/:jobId/promote`, () => true],
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/clean/:queueStatus`, (p) => p.queueStatus === 'completed'],
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/pause`, () => true],
  [`PUT ${QUEUES_PATH}/api/queues/:queueName/resume`, () => true],
  [`PUT ${QUEUES_PATH}/api/queues/pause`, () => true],
  [`PUT ${QUEUES_PATH}/api/queues/resume`, () => true],
]);

/** Whether a request to the board may go on: reading anything, or one of the {@link ALLOWED_ACTIONS}. */
function allowedOnBoard(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  const allowed = ALLOWED_ACTIONS.get(`${request.method} ${request.routeOptions.url ?? ''}`);
  return allowed?.((request.params ?? {}) as Params) ?? false;
}

/** The script and styles that make bull-board's page pass axe-core (queues-a11y.ts), put at the end of its page. */
const A11Y_TAGS = `<link href="${QUEUES_A11Y_CSS_PATH}" rel="stylesheet"><script defer src="${QUEUES_A11Y_JS_PATH}"></script>`;

/**
 * The console's Queues page: bull-board (the BullMQ board) mounted at `/console/queues`, for city staff only. Every
 * route the board registers (its pages, its JSON API, its static files) is given the console's access declaration
 * here, so the application's access hook checks the session and the role before the board sees the request, and
 * its CSRF check covers the board's actions (retry, clean, pause…). Members and leaders get the console's 403
 * page; without a session, the sign-in page.
 */
export function queueBoardRoutes(
  deps: QueueBoardDeps & { readonly consoleSession: ResolveConsoleSession },
): FastifyPluginAsync {
  return async (app) => {
    const pages = new Set<string>();
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, ...STAFF_ONLY };
      const url = route.url ?? route.path;
      const board = !url.startsWith(`${QUEUES_PATH}/api/`) && !url.includes('/static/') && !url.includes('.');
      if (route.method === 'GET' && board) {
        pages.add(url);
      }
    });

    // The board's client sends the token in its own header; the access hook reads the console's.
    app.addHook('onRequest', async (request) => {
      const given = request.headers[XSRF_HEADER];
      if (request.headers[CSRF_HEADER] === undefined && typeof given === 'string') {
        request.headers[CSRF_HEADER] = given;
      }
    });

    // After the access hook (the root's preHandler: session, role, CSRF), before the board's handler.
    app.addHook('preHandler', async (request, reply) => {
      if (!allowedOnBoard(request)) {
        return reply.code(403).send({ error: queuesCopy.en.refused, message: queuesCopy.en.refused });
      }
    });

    const asset = (path: string, type: string, body: string) =>
      app.get(path, async (_request, reply) =>
        reply
          .header('content-type', `${type}; charset=utf-8`)
          .header('x-content-type-options', 'nosniff')
          .send(body),
      );
    asset(QUEUES_A11Y_JS_PATH, 'text/javascript', QUEUES_A11Y_JS);
    asset(QUEUES_A11Y_CSS_PATH, 'text/css', QUEUES_A11Y_CSS);

    const isPage = (request: FastifyRequest) =>
      request.method === 'GET' && pages.has(request.routeOptions.url ?? '');

    app.addHook('onSend', async (request, reply, payload) => {
      reply.header('content-security-policy', QUEUES_CSP);
      reply.header('x-content-type-options', 'nosniff');
      if (!request.routeOptions.url?.includes('/static/')) reply.header('cache-control', 'no-store');
      if (!isPage(request)) return payload;
      if (reply.statusCode === 403) {
        // A member or leader: the console's own 403 page, with their navigation.
        const session = await deps.consoleSession(request);
        const lang = consoleLangOf(request, reply);
        reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', CONSOLE_CSP);
        return renderConsolePage({
          developmentMode: request.server.developmentMode,
          lang,
          path: QUEUES_PATH,
          title: consoleCopy[lang].forbidden,
          session: session ?? undefined,
          content: html`<p>${queuesCopy[lang].forbidden}</p>`,
        });
      }
      if (reply.statusCode === 200 && typeof payload === 'string') {
        reply.header(
          'set-cookie',
          `${XSRF_COOKIE}=${consoleSessionOf(request).csrf}; Path=${QUEUES_PATH}; Max-Age=43200; Secure; SameSite=Strict`,
        );
        return payload.replace(FONT_LINK, '').replace('</body>', `${A11Y_TAGS}</body>`);
      }
      return payload;
    });

    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUES_PATH);
    createBullBoard({
      queues: (deps.boardQueues ?? []).map((queue) => new BullMQAdapter(queue)),
      serverAdapter,
      options: {
        uiConfig: {
          boardTitle: 'Queues',
          hideDocsLink: true,
          miscLinks: [{ text: queuesCopy.en.back, url: '/console' }],
          locale: { lng: 'en-US' },
        },
      },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: QUEUES_PATH });
  };
}
