import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { InMemoryAgencyRepository } from '../../test/fakes/in-memory-agency-repository.ts';
import { InMemoryDataRequestRepository } from '../../test/fakes/in-memory-data-request-repository.ts';
import { createDataCipher } from '../shared/crypto.ts';
import { createDataRequestCallbackJob } from './data-requests.ts';

describe('the data-request callback job and the callback host', () => {
  const setUp = async (callbackUrl: string, publicOnly: boolean) => {
    const cipher = createDataCipher(randomBytes(32));
    const agencies = new InMemoryAgencyRepository();
    const made = await agencies.create({
      code: 'SOTP',
      name: 'Sở Tư pháp',
      keyHash: 'h',
      webhookSecret: cipher.encrypt('s'.repeat(32)),
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
    const job = createDataRequestCallbackJob({
      dataRequests,
      agencies,
      cipher,
      logger: pino({ level: 'silent' }),
      publicOnly,
      fetch: (async (url: string) => {
        posted.push(url);
        return new Response(null, { status: 204 });
      }) as unknown as typeof fetch,
    });
    return { job, posted, id: created.request.id };
  };

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
});
