import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryAgencyRepository } from '../../../test/fakes/in-memory-agency-repository.ts';
import { InMemoryCitizenRepository } from '../../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryDocumentRepository } from '../../../test/fakes/in-memory-document-repository.ts';
import { InMemoryDossierRepository } from '../../../test/fakes/in-memory-dossier-repository.ts';
import { InMemoryFileStore } from '../../../test/fakes/in-memory-file-store.ts';
import { generateAgencyApiKey, hashAgencyApiKey } from '../../domain/agencies/api-key.ts';
import { createDocumentSigner } from '../../domain/documents/document-signature.ts';
import type { Dossier } from '../../domain/dossiers/dossier.ts';
import { createDataCipher } from '../../shared/crypto.ts';
import { installAccessControl } from '../access-control.ts';
import { agencyApiRoutes } from './agency-api.ts';

describe('agency API: telling the citizen', () => {
  const cipher = createDataCipher(randomBytes(32));
  const key = generateAgencyApiKey();
  let app: FastifyInstance;
  let told: { code: string; status: string; at: Date }[];
  let failNext: boolean;

  beforeEach(async () => {
    told = [];
    failNext = false;
    const agencies = new InMemoryAgencyRepository();
    await agencies.create({
      code: 'UBND-HAICHAU',
      name: 'UBND phường Hải Châu',
      keyHash: hashAgencyApiKey(cipher, key),
    });
    const citizens = new InMemoryCitizenRepository();
    await citizens.create({
      fullName: 'Nguyễn Văn An',
      cccd: '048090001234',
      dateOfBirth: '1990-02-15',
      accountCode: 'ABCD2345',
      phone: '+84905123456',
      createdVia: 'twilio-sms',
      createdByRef: 'ref-1',
      actor: { kind: 'citizen', id: 'ref-1' },
      registeredBy: null,
      consent: { purpose: 'account_registration', textVersion: 'v1', channel: 'twilio-sms', language: 'vi' },
    });
    app = Fastify();
    installAccessControl(app, { adminToken: undefined, agencies, cipher });
    app.register(
      agencyApiRoutes({
        citizens,
        documents: new InMemoryDocumentRepository(agencies),
        dossiers: new InMemoryDossierRepository(agencies),
        files: new InMemoryFileStore(),
        signer: createDocumentSigner(
          generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
        ),
        async dossierStatusChanged(dossier: Dossier, at: Date) {
          if (failNext) {
            failNext = false;
            throw new Error('notification store unavailable');
          }
          told.push({ code: dossier.code, status: dossier.status, at });
        },
      }),
    );
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  const put = (status: string) =>
    app.inject({
      method: 'PUT',
      url: '/api/v1/agency/dossiers/HS-0001',
      headers: { authorization: `Bearer ${key}` },
      payload: { citizen: 'ABCD-2345', procedure: 'Đăng ký khai sinh', status },
    });

  it('calls the notices after every accepted PUT: created, updated and unchanged alike', async () => {
    const outcomes = [await put('received'), await put('processing'), await put('processing')];

    expect(outcomes.map((r) => [r.statusCode, r.json().outcome])).toEqual([
      [201, 'created'],
      [200, 'updated'],
      [200, 'unchanged'],
    ]);
    expect(told.map((t) => [t.code, t.status])).toEqual([
      ['HS-0001', 'received'],
      ['HS-0001', 'processing'],
      ['HS-0001', 'processing'],
    ]);
  });

  it('answers 5xx when the notices fail, so the agency retries and the retry reaches them', async () => {
    failNext = true;

    const failed = await put('received');
    const retried = await put('received');

    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal Server Error' } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ outcome: 'unchanged', history: [{ seq: 1, status: 'received' }] });
    expect(told.map((t) => t.status)).toEqual(['received']);
  });

  it('tells nothing for a refused PUT', async () => {
    const refused = await app.inject({
      method: 'PUT',
      url: '/api/v1/agency/dossiers/HS-0001',
      headers: { authorization: `Bearer ${key}` },
      payload: { citizen: 'WXYZ-9999', procedure: 'Đăng ký khai sinh', status: 'received' },
    });

    expect(refused.statusCode).toBe(404);
    expect(told).toEqual([]);
  });
});
