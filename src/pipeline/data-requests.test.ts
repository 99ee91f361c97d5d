import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { InMemoryAgencyRepository } from '../../test/fakes/in-memory-agency-repository.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryDataRequestRepository } from '../../test/fakes/in-memory-data-request-repository.ts';
import { InMemoryDocumentRepository } from '../../test/fakes/in-memory-document-repository.ts';
import { signWebhookBody } from '../domain/agencies/webhook-secret.ts';
import { createDataCipher } from '../shared/crypto.ts';
import { AppError } from '../shared/errors.ts';
import {
  CALLBACK_RETRY_WINDOW_MS,
  createDataRequestCallbackJob,
  createDataRequestEvents,
  type Decided,
} from './data-requests.ts';

const SECRET = 's'.repeat(32);

describe('the data-request callback job and the callback host', () => {
  const setUp = async (
    callbackUrl: string,
    publicOnly: boolean,
    answer: (url: string, init: RequestInit) => Promise<Response> = async () =>
      new Response(null, { status: 204 }),
    secret: string | null = SECRET,
  ) => {
    const cipher = createDataCipher(randomBytes(32));
    const agencies = new InMemoryAgencyRepository();
    const made = await agencies.create({
      code: 'SOTP',
      name: 'Sở Tư pháp',
      keyHash: 'h',
      ...(secret === null ? {} : { webhookSecret: cipher.encrypt(secret) }),
    });
    if (made.type !== 'created') throw new Error('no agency');
    const { agency } = made;
    const dataRequests = new InMemoryDataRequestRepository(agencies);
    const created = await dataRequests.create(
      {
        agencyId: agency.id,
        citizenId: 'c1',
        purpose: 'Đăng ký thường trú',
        fields: ['fullName'],
        documentTypes: [],
        callbackUrl,
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
      20,
    );
    if (created.type !== 'created') throw new Error('not created');
    const posted: string[] = [];
    const sent: RequestInit[] = [];
    const job = createDataRequestCallbackJob({
      dataRequests,
      agencies,
      cipher,
      logger: pino({ level: 'silent' }),
      publicOnly,
      fetch: (async (url: string, init: RequestInit) => {
        posted.push(url);
        sent.push(init);
        return answer(url, init);
      }) as unknown as typeof fetch,
    });
    return { job, posted, sent, id: created.request.id };
  };
  /** The error a callback job run ends with (null when it ends well). */
  const outcomeOf = async (run: Promise<void>) =>
    run.then(
      () => null,
      (error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        return { code: error.code, retryable: error.retryable };
      },
    );
  const URL_ = 'http://127.0.0.1:4000/cb';

  it('in production never posts to a host resolving to this machine or a private network', async () => {
    for (const url of ['https://localhost/cb', 'https://127.0.0.1:8443/cb', 'https://[::1]/cb']) {
      const { job, posted, id } = await setUp(url, true);
      await job({ requestId: id, status: 'approved', queuedAt: Date.now() });
      expect(posted, url).toEqual([]);
    }
  });

  it('outside production posts to the address given (the tests’ own receiver on 127.0.0.1)', async () => {
    const { job, posted, id } = await setUp('http://127.0.0.1:4000/cb', false);
    await job({ requestId: id, status: 'approved', queuedAt: Date.now() });
    expect(posted).toEqual(['http://127.0.0.1:4000/cb']);
  });

  it('posts {id, status} signed with the agency’s webhook secret, without following redirects', async () => {
    const { job, sent, id } = await setUp(URL_, false);
    await job({ requestId: id, status: 'refused', queuedAt: Date.now() });
    const body = JSON.stringify({ id, status: 'refused' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', 'x-signature': signWebhookBody(body, SECRET) },
    });
  });

  it.each([
    [500, true],
    [503, true],
    [408, true],
    [429, true],
    [404, false],
    [400, false],
    [302, false],
  ])('an answer %i is retried: %s', async (status, retryable) => {
    const { job, id } = await setUp(URL_, false, async () => new Response(null, { status }));
    expect(await outcomeOf(job({ requestId: id, status: 'approved', queuedAt: Date.now() }))).toEqual({
      code: 'CALLBACK_REFUSED',
      retryable,
    });
  });

  it('retries a network error, and gives up on any failure 24 hours after the callback was queued', async () => {
    const refused = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      });
    };
    const down = await setUp(URL_, false, refused);
    const now = Date.now();
    expect(await outcomeOf(down.job({ requestId: down.id, status: 'approved', queuedAt: now }))).toEqual({
      code: 'CALLBACK_FAILED',
      retryable: true,
    });
    const old = now - CALLBACK_RETRY_WINDOW_MS - 1000;
    expect(await outcomeOf(down.job({ requestId: down.id, status: 'approved', queuedAt: old }))).toEqual({
      code: 'CALLBACK_FAILED',
      retryable: false,
    });
    const failing = await setUp(URL_, false, async () => new Response(null, { status: 503 }));
    expect(
      await outcomeOf(failing.job({ requestId: failing.id, status: 'approved', queuedAt: old })),
    ).toEqual({
      code: 'CALLBACK_REFUSED',
      retryable: false,
    });
  });

  it('posts nothing for an agency without a webhook secret, nor for a request that is gone', async () => {
    const noSecret = await setUp(URL_, false, undefined, null);
    await noSecret.job({ requestId: noSecret.id, status: 'approved', queuedAt: Date.now() });
    const gone = await setUp(URL_, false);
    await gone.job({ requestId: 'no-such-request', status: 'approved', queuedAt: Date.now() });
    expect([...noSecret.posted, ...gone.posted]).toEqual([]);
  });
});

describe('the data-request events', () => {
  const AT = new Date('2026-12-04T03:00:00Z');
  const HOUR = 3_600_000;

  /** The events over in-memory repositories, with a clock and what they told and queued. */
  const setUp = async (callbackUrl: string | null) => {
    let now = AT;
    const agencies = new InMemoryAgencyRepository();
    const made = await agencies.create({
      code: 'SOTP',
      name: 'Sở Tư pháp',
      keyHash: 'h',
    });
    if (made.type !== 'created') throw new Error('no agency');
    const citizens = new InMemoryCitizenRepository();
    const opened = await citizens.create(newCitizen());
    if (opened.type !== 'created') throw new Error(opened.type);
    const dataRequests = new InMemoryDataRequestRepository(agencies);
    const created = await dataRequests.create(
      {
        agencyId: made.agency.id,
        citizenId: opened.citizen.id,
        purpose: 'Đăng ký thường trú',
        fields: ['fullName'],
        documentTypes: [],
        callbackUrl,
        createdAt: AT,
        expiresAt: new Date(AT.getTime() + 2 * HOUR),
      },
      20,
    );
    if (created.type !== 'created') throw new Error('not created');
    const told: string[] = [];
    const expiries: [string, number][] = [];
    const callbacks: [string, Decided][] = [];
    const events = createDataRequestEvents({
      dataRequests,
      citizens,
      documents: new InMemoryDocumentRepository(),
      notify: async (_citizen, dedupeKey) => {
        told.push(dedupeKey);
      },
      expireLater: async (...args) => {
        expiries.push(args);
      },
      callbackLater: async (...args) => {
        callbacks.push(args);
      },
      clock: () => now,
    });
    const later = (ms: number) => {
      now = new Date(AT.getTime() + ms);
    };
    return {
      events,
      dataRequests,
      request: created.request,
      citizen: opened.citizen,
      told,
      expiries,
      callbacks,
      later,
    };
  };

  it('a new request is told to the citizen once per request, marked noticed, and its expiry queued', async () => {
    const s = await setUp(null);
    await s.events.created(s.request);
    expect(s.told).toEqual([`datarequest-${s.request.id}`]);
    expect((await s.dataRequests.findById(s.request.id))?.noticedAt).toEqual(AT);
    expect(s.expiries).toEqual([[s.request.id, 2 * HOUR]]);
  });

  it('an expiry job that runs early fails to be retried, and changes nothing', async () => {
    const s = await setUp('https://agency.example/cb');
    s.later(2 * HOUR - 1000);
    await expect(s.events.expire(s.request.id)).rejects.toMatchObject({
      code: 'DATA_REQUEST_NOT_DUE',
      retryable: true,
    });
    expect([(await s.dataRequests.findById(s.request.id))?.status, s.callbacks]).toEqual(['pending', []]);
  });

  it('expires a request that is due and queues the agency’s callback, once', async () => {
    const s = await setUp('https://agency.example/cb');
    s.later(2 * HOUR);
    expect((await s.events.expire(s.request.id))?.status).toBe('expired');
    expect((await s.events.expire(s.request.id))?.status).toBe('expired');
    expect(s.callbacks).toEqual([[s.request.id, 'expired']]);
    expect(await s.events.expire('no-such-request')).toBeNull();
  });

  it('queues a callback for an answer only when the agency gave a callback URL', async () => {
    for (const url of ['https://agency.example/cb', null]) {
      const s = await setUp(url);
      const answered = await s.dataRequests.answer(s.request.id, s.citizen.id, {
        answer: 'approved',
        at: AT,
        channel: 'telegram',
      });
      if (answered.type !== 'changed') throw new Error(answered.type);
      await s.events.changed(answered.request);
      expect(s.callbacks, String(url)).toEqual(url ? [[s.request.id, 'approved']] : []);
    }
  });
});
