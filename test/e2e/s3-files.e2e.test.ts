import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShare } from '../../src/domain/shares/create-share.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { ADMIN_TOKEN, type AppData, AppHarness, createAppData } from '../support/app-harness.ts';
import { LOCAL_S3_KEYS, LocalS3 } from '../support/local-s3.ts';
import { multipart } from '../support/multipart.ts';

// Two web processes with FILES_STORE=s3://... over one database, Redis prefix and bucket (s3rver on 127.0.0.1):
// an agency issues a paper through one, and a share link of it is served, authentic, by the other.

const MARK = 'Bản gốc, do UBND phường Hải Châu (UBND-HAICHAU) cấp, không bị thay đổi';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n% kept in object storage\n'), randomBytes(64 * 1024)]);

describe('papers kept in S3-compatible storage, shared by several web hosts', () => {
  let s3: LocalS3;
  let bucket: string;
  let data: AppData;
  let dropData: () => Promise<void>;
  const hosts: AppHarness[] = [];

  beforeAll(async () => {
    s3 = await LocalS3.start();
    bucket = await s3.createBucket();
    ({ data, drop: dropData } = await createAppData());
    const env = {
      FILES_STORE: `s3://${bucket}/papers`,
      S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_S3_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_KEYS.secretAccessKey,
    };
    hosts.push(await AppHarness.start({ reuse: data, workers: 0, env }));
    hosts.push(await AppHarness.start({ reuse: data, workers: 0, env }));
  });

  afterAll(async () => {
    for (const host of hosts) await host.stop({ keepData: true });
    await dropData?.();
    if (bucket) await s3.dropBucket(bucket);
    await s3?.stop();
  });

  it('stores the paper an agency uploads on one host in the bucket, and the other host serves its share link', async () => {
    const [one, other] = hosts;
    if (!one || !other) throw new Error('two hosts expected');
    const opened = await one.services.citizens.create(newCitizen({ phone: '+84905700077' }));
    if (opened.type !== 'created') throw new Error(`could not open the account: ${opened.type}`);
    // Papers go to verified accounts only.
    await one.services.citizens.recordVerification(opened.citizen.id, { outcome: 'verified' });
    const agency = await one.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
    });
    const { payload, contentType } = multipart([
      { name: 'citizen', value: opened.citizen.accountCode },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-S3-1' },
      { name: 'issuedAt', value: '2026-11-27' },
      { name: 'file', filename: 'ks.pdf', type: 'application/pdf', bytes: PDF },
    ]);

    const issued = await one.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { authorization: `Bearer ${agency.json().apiKey}`, 'content-type': contentType },
      payload,
    });

    expect(issued.statusCode).toBe(201);
    const paper = await one.services.documents.findById(issued.json().id);
    if (!paper) throw new Error('the paper was not stored');
    expect(await s3.objectKeys(bucket)).toEqual([`papers/${paper.fileKey}.enc`]);

    const { token } = await createShare(
      {
        shares: other.services.shares,
        documents: other.services.documents,
        cipher: other.services.cipher,
        publicBaseUrl: other.baseUrl,
      },
      {
        citizenId: opened.citizen.id,
        kind: 'document',
        documentId: paper.id,
        days: 7,
        maxViews: null,
        ref: `s3-${randomBytes(4).toString('hex')}`,
        at: new Date(),
      },
    );
    const page = await fetch(`${other.baseUrl}/s/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(MARK);
    const file = await fetch(`${other.baseUrl}/s/${token}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
  });
});
