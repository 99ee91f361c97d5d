import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { DocumentRepository } from '../../domain/documents/document.ts';
import type { DocumentSigner } from '../../domain/documents/document-signature.ts';
import { type FileStore, isFileStoreOutage } from '../../domain/documents/file-store.ts';
import { checkedFileStream } from '../../domain/shares/checked-file-stream.ts';
import type { GuessLimiter, GuessState } from '../../domain/shares/guess-limiter.ts';
import { type OpenedShare, openShare } from '../../domain/shares/open-share.ts';
import type { Share, ShareRepository, ShareView } from '../../domain/shares/share.ts';
import { shareUrl } from '../../domain/shares/share-token.ts';
import { userAgentClass } from '../../domain/shares/user-agent-class.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { useZodSchemas } from '../api-errors.ts';
import { downloadName } from '../share-page/download-name.ts';
import { SHARE_PAGE_CSP } from '../share-page/page-layout.ts';
import { renderExportPage } from '../share-page/render-export-page.ts';
import { NOT_FOUND_PAGE, renderTooManyPage } from '../share-page/render-notice-page.ts';
import { renderPaperPage } from '../share-page/render-paper-page.ts';

/** What the public share page needs. */
export interface SharePageDeps {
  readonly publicBaseUrl: string;
  readonly shares: ShareRepository;
  readonly documents: Pick<DocumentRepository, 'findById'>;
  readonly files: Pick<FileStore, 'get'>;
  readonly signer: Pick<DocumentSigner, 'verify'>;
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
  readonly guessLimiter: GuessLimiter;
  /** SHARE_PLACE_HEADER: the header in which the proxy in front says where a viewer is (e.g. `cf-ipcity`). */
  readonly sharePlaceHeader: string | undefined;
  /** Tells the owner their link was opened; called at most once an hour per share, not awaited by the page. */
  shareViewed(share: Share, view: ShareView): Promise<void>;
  /** Everything held about a citizen, for the data-export link. */
  exportData(citizenId: string): Promise<unknown>;
  /** The time; the real clock unless a test sets it. */
  readonly clock: () => Date;
}

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string } }>;

const PLACE_MAX = 80;

const Token = z.object({ token: z.string().describe('The share link’s token (22 characters)') });
const Lang = z.object({ lang: z.string().optional().describe('`en` for English; Vietnamese otherwise') });
const page = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const NOT_OPENED = {
  404: page('The same page for a link that is unknown, expired, revoked or used up'),
  429: page('Too many links that could not be opened from this client; `Retry-After` says when to try again'),
};

/**
 * The options of a share route: public, described under `pages`, and without an automatic HEAD route (a link
 * checker's HEAD must not count as a view).
 */
function pageRoute(summary: string, ok: { description: string; contentType: string }) {
  return {
    exposeHeadRoute: false,
    config: { access: 'public' },
    schema: {
      tags: ['pages'],
      summary,
      params: Token,
      querystring: Lang,
      response: {
        200: { description: ok.description, content: { [ok.contentType]: { schema: z.string() } } },
        ...NOT_OPENED,
      },
    },
  } as const;
}

/**
 * The public share page: `GET /s/:token` (the paper with its authenticity mark, or the data export's page),
 * `/s/:token/qr.png` and `/qr.svg` (the QR code of the link), `/s/:token/file` (the paper's file or the JSON
 * export). Every page view and download is logged (keyed hash of the IP, user-agent class, place) and may tell
 * the owner. Any link that cannot be opened gets the same 404 page and counts as a miss for its client; a
 * client with too many misses gets 429 for every share request until its window ends.
 */
export function sharePageRoutes(deps: SharePageDeps): FastifyPluginAsync {
  return async (root) => {
    await root.register(shareScope(deps), { prefix: '/s' });
  };
}

/** The routes under `/s`, and their not-found handler: any other path there is a link that cannot be opened. */
function shareScope(deps: SharePageDeps): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    app.addHook('onRequest', async (_request, reply) => {
      reply.headers({
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-robots-tag': 'noindex, nofollow',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': SHARE_PAGE_CSP,
      });
    });

    /** The client as the limiter and the view log know it: a keyed hash of its IP address. */
    const clientOf = (request: FastifyRequest) => deps.cipher.keyedHash('viewer-ip', request.ip);

    const guard = async (request: FastifyRequest, at: Date): Promise<GuessState> => {
      try {
        return await deps.guessLimiter.check(clientOf(request), at);
      } catch (error) {
        // Fail open: tokens cannot be guessed anyway (128 bits); the limiter is a second line.
        request.log.warn({ code: codeOf(error) }, 'share guess limiter unavailable');
        return { blocked: false };
      }
    };

    const tooMany = (reply: FastifyReply, state: Extract<GuessState, { blocked: true }>) =>
      reply
        .code(429)
        .header('retry-after', String(state.retryAfterSeconds))
        .type('text/html; charset=utf-8')
        .send(renderTooManyPage(state.retryAfterSeconds));

    const notFound = (reply: FastifyReply) =>
      reply.code(404).type('text/html; charset=utf-8').send(NOT_FOUND_PAGE);

    /** A link that could not be opened: counted for its client, answered with the one 404 page. */
    const miss = async (request: FastifyRequest, reply: FastifyReply, at: Date) => {
      try {
        await deps.guessLimiter.miss(clientOf(request), at);
      } catch (error) {
        request.log.warn({ code: codeOf(error) }, 'share guess limiter unavailable');
      }
      return notFound(reply);
    };

    /** Logs one opening; false when it went past the share's view limit (a race on the last view). */
    const recordView = async (request: FastifyRequest, share: Share, at: Date): Promise<boolean> => {
      const view: ShareView = {
        at,
        ipHash: clientOf(request),
        userAgentClass: userAgentClass(request.headers['user-agent']),
        place: placeOf(request, deps.sharePlaceHeader),
      };
      const { viewCount, notifyOwner } = await deps.shares.recordView(share.id, view);
      if (notifyOwner) {
        // Not awaited: the page does not wait for the notice; a failure is logged, never lost silently.
        Promise.resolve()
          .then(() => deps.shareViewed({ ...share, viewCount }, view))
          .catch((error: unknown) => {
            request.log.error({ shareId: share.id, code: codeOf(error) }, 'share view notice failed');
          });
      }
      return share.maxViews === null || viewCount <= share.maxViews;
    };

    /** Opens the share of the request's token, or answers 429/404 and resolves null. */
    const open = async (
      request: TokenRequest,
      reply: FastifyReply,
      at: Date,
      checkAuthenticity: boolean,
    ): Promise<OpenedShare | null> => {
      const state = await guard(request, at);
      if (state.blocked) {
        await tooMany(reply, state);
        return null;
      }
      const opened = await openShare(deps, request.params.token, at, { checkAuthenticity });
      if (opened === null) await miss(request, reply, at);
      return opened;
    };

    app.get(
      '/:token',
      pageRoute('The shared paper, with its authenticity mark (or the data export’s page)', {
        description: 'The page',
        contentType: 'text/html',
      }),
      async (request: TokenRequest, reply) => {
        const at = deps.clock();
        const opened = await open(request, reply, at, true);
        if (opened === null) return reply;
        if (!(await recordView(request, opened.share, at))) return miss(request, reply, at);
        const lang = request.query.lang === 'en' ? 'en' : 'vi';
        const { token } = request.params;
        const page =
          opened.kind === 'export'
            ? renderExportPage({ lang, token, expiresAt: opened.share.expiresAt })
            : renderPaperPage({
                lang,
                token,
                publicBaseUrl: deps.publicBaseUrl,
                document: opened.document,
                authenticity: opened.authenticity ?? { authentic: false, reason: 'file_changed' },
                keyId: opened.document.signingKeyId,
                shareExpiresAt: opened.share.expiresAt,
              });
        return reply.type('text/html; charset=utf-8').send(page);
      },
    );

    app.get(
      '/:token/qr.png',
      pageRoute('The link’s QR code (PNG)', { description: 'A QR code', contentType: 'image/png' }),
      async (request: TokenRequest, reply) => {
        if ((await open(request, reply, deps.clock(), false)) === null) return reply;
        const png = await QRCode.toBuffer(shareUrl(deps.publicBaseUrl, request.params.token), {
          type: 'png',
          errorCorrectionLevel: 'M',
          margin: 2,
          width: 300,
        });
        return reply.type('image/png').send(png);
      },
    );

    app.get(
      '/:token/qr.svg',
      pageRoute('The link’s QR code (SVG)', { description: 'A QR code', contentType: 'image/svg+xml' }),
      async (request: TokenRequest, reply) => {
        if ((await open(request, reply, deps.clock(), false)) === null) return reply;
        const svg = await QRCode.toString(shareUrl(deps.publicBaseUrl, request.params.token), {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 2,
        });
        return reply.type('image/svg+xml').send(svg);
      },
    );

    // Anything else under /s/ (a token too long for the router, a path that does not exist): a miss as well.
    app.setNotFoundHandler(async (request, reply) => {
      const at = deps.clock();
      const state = await guard(request, at);
      return state.blocked ? tooMany(reply, state) : miss(request, reply, at);
    });

    app.get(
      '/:token/file',
      pageRoute('The paper’s file (PDF, PNG or JPEG) or the data export (JSON), checked against its hash', {
        description: 'The file, as an attachment',
        contentType: 'application/octet-stream',
      }),
      async (request: TokenRequest, reply) => {
        const at = deps.clock();
        const opened = await open(request, reply, at, false);
        if (opened === null) return reply;
        if (!(await recordView(request, opened.share, at))) return miss(request, reply, at);
        if (opened.kind === 'export') {
          const body = JSON.stringify(await deps.exportData(opened.share.citizenId), null, 2);
          return reply
            .type('application/json; charset=utf-8')
            .header('content-disposition', 'attachment; filename="du-lieu-cua-toi.json"')
            .send(body);
        }
        const { document } = opened;
        const stream = await deps.files.get(document.fileKey).catch((error: unknown) => {
          // An outage is 503 (try again), not a file that is gone.
          if (isFileStoreOutage(error)) throw error;
          return null;
        });
        // The link is good but the file is gone: not a guess, so not counted.
        if (stream === null) return notFound(reply);
        return reply
          .type(document.contentType)
          .header('content-length', String(document.sizeBytes))
          .header(
            'content-disposition',
            `attachment; filename="${downloadName(document.title, document.contentType)}"`,
          )
          .send(checkedFileStream(stream, document));
      },
    );
  };
}

/** The viewer's approximate place from the configured proxy header: printable, trimmed, at most 80 characters. */
function placeOf(request: FastifyRequest, header: string | undefined): string | null {
  if (header === undefined) return null;
  const raw = request.headers[header.toLowerCase()];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.replace(/[\p{Cc}\p{Cf}]/gu, '').trim() ?? '';
  return value === '' ? null : value.slice(0, PLACE_MAX);
}

/** A loggable code for an error: never its message, which might carry data. */
function codeOf(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return error instanceof Error ? error.name : 'UNKNOWN';
}
