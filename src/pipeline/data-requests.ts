import type { Logger } from 'pino';
import { noticeReply } from '../../flows/datarequests/data-request-text.ts';
import type { AgencyRepository } from '../domain/agencies/agency.ts';
import { signWebhookBody } from '../domain/agencies/webhook-secret.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { DataRequest, DataRequestRepository } from '../domain/datarequests/data-request.ts';
import type { DocumentRepository } from '../domain/documents/document.ts';
import type { DataCipher } from '../shared/crypto.ts';
import { AppError } from '../shared/errors.ts';
import { isRetryableHttpStatus, networkErrorCode } from '../shared/http-errors.ts';
import { resolvesOnlyToPublic } from '../shared/public-address.ts';
import type { Notify } from './notify.ts';

/** How long a callback is retried after it was queued: 24 hours. */
export const CALLBACK_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How long one callback attempt may take. */
const CALLBACK_TIMEOUT_MS = 10_000;

/** A decided status, told to the agency by its callback. */
export type Decided = 'approved' | 'refused' | 'expired' | 'withdrawn';

/** What the data-request events need. */
export interface DataRequestEventsDeps {
  readonly dataRequests: Pick<DataRequestRepository, 'markNoticed' | 'expire'>;
  readonly citizens: Pick<CitizenRepository, 'findById'>;
  readonly documents: Pick<DocumentRepository, 'listByCitizen'>;
  readonly notify: Notify;
  /** Queues the expiry job of a request, to run in `delayMs` (one job per request). */
  expireLater(requestId: string, delayMs: number): Promise<void>;
  /** Queues the agency's callback telling `status` (one job per request and status). */
  callbackLater(requestId: string, status: Decided): Promise<void>;
  readonly clock: () => Date;
}

/**
 * What happens around a data request outside its storage: the citizen's notice when it is made, its expiry job,
 * and the agency's callback when it is decided, expires or is withdrawn.
 */
export function createDataRequestEvents(deps: DataRequestEventsDeps) {
  const callbackFor = async (request: DataRequest) => {
    if (request.callbackUrl !== null && request.status !== 'pending') {
      await deps.callbackLater(request.id, request.status);
    }
  };
  return {
    /**
     * A new request: the citizen hears of it on the channel they used last (not urgent: quiet hours respected),
     * in one SMS segment or with buttons on a messenger; its expiry is queued.
     */
    async created(request: DataRequest): Promise<void> {
      const citizen = await deps.citizens.findById(request.citizenId);
      if (citizen) {
        const typeTitles: Record<string, string> = {};
        for (const paper of await deps.documents.listByCitizen(citizen.id)) {
          typeTitles[paper.typeCode.toUpperCase()] ??= paper.title;
        }
        await deps.notify(citizen, `datarequest-${request.id}`, (language, channel) =>
          noticeReply(language, channel, { request, typeTitles }),
        );
        await deps.dataRequests.markNoticed(request.id, deps.clock());
      }
      await deps.expireLater(request.id, request.expiresAt.getTime() - deps.clock().getTime());
    },
    /** The citizen answered or withdrew: the agency's callback is queued. */
    changed: callbackFor,
    /**
     * Expires a pending request whose time has come (the expiry job, or a read that found it due) and queues its
     * callback; resolves the request as it now is. A job that runs a moment early fails to be retried.
     */
    async expire(requestId: string): Promise<DataRequest | null> {
      const outcome = await deps.dataRequests.expire(requestId, deps.clock());
      if (outcome.type === 'not_found') return null;
      if (outcome.type === 'changed') await callbackFor(outcome.request);
      else if (outcome.request.status === 'pending') {
        throw new AppError('DATA_REQUEST_NOT_DUE', 'the request expires a moment later', {
          retryable: true,
          context: { requestId },
        });
      }
      return outcome.request;
    },
  };
}

/** The data-request events of the service. */
export type DataRequestEvents = ReturnType<typeof createDataRequestEvents>;

/**
 * The callback job: POSTs `{"id","status"}` to the request's `callbackUrl`, signed with the agency's webhook
 * secret (`X-Signature: sha256=<hex HMAC-SHA256 of the body>`). A 2xx ends it; a 5xx, 408, 429 or a network
 * error is retried (the queue's backoff) until 24 hours after the job was queued; any other answer, a request
 * without callback, an agency without secret or (in production) a host resolving to a non-public address ends it
 * for good. Logs carry ids and codes, never the URL.
 */
export function createDataRequestCallbackJob(deps: {
  dataRequests: Pick<DataRequestRepository, 'findById'>;
  agencies: Pick<AgencyRepository, 'findWebhookSecret'>;
  cipher: Pick<DataCipher, 'decrypt'>;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Production: the callback's host must resolve only to public addresses (never this machine or a LAN). */
  publicOnly: boolean;
  fetch?: typeof fetch;
}) {
  const post = deps.fetch ?? fetch;
  return async (job: { requestId: string; status: Decided; queuedAt: number }): Promise<void> => {
    const request = await deps.dataRequests.findById(job.requestId);
    if (!request || request.callbackUrl === null) return;
    const sealed = await deps.agencies.findWebhookSecret(request.agency.id);
    if (sealed === null) {
      deps.logger.warn(
        { requestId: request.id },
        'data request callback not sent: the agency has no webhook secret',
      );
      return;
    }
    if (deps.publicOnly && !(await resolvesOnlyToPublic(new URL(request.callbackUrl).hostname))) {
      deps.logger.warn(
        { requestId: request.id },
        'data request callback not sent: its host does not resolve only to public addresses',
      );
      return;
    }
    const body = JSON.stringify({ id: request.id, status: job.status });
    const giveUp = Date.now() - job.queuedAt > CALLBACK_RETRY_WINDOW_MS;
    let status: number;
    try {
      const response = await post(request.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signWebhookBody(body, deps.cipher.decrypt(sealed)),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      const code = networkErrorCode((error as { cause?: unknown }).cause) ?? 'NETWORK_ERROR';
      throw new AppError('CALLBACK_FAILED', 'the agency callback could not be delivered', {
        retryable: !giveUp,
        context: { requestId: request.id, code },
      });
    }
    if (status >= 200 && status < 300) {
      deps.logger.info({ requestId: request.id, status: job.status }, 'data request callback delivered');
      return;
    }
    throw new AppError('CALLBACK_REFUSED', `the agency callback answered ${status}`, {
      retryable: isRetryableHttpStatus(status) && !giveUp,
      context: { requestId: request.id, httpStatus: status },
    });
  };
}
