import { createHash, createPublicKey, randomUUID, verify } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { readAll } from '../contracts/file-store.contract.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { multipart, type Part } from '../support/multipart.ts';
import { eventually } from '../support/services.ts';

const FIXTURES = new URL('../fixtures/documents/', import.meta.url);
const MB = 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('agency API', () => {
  let h: AppHarness;
  let dataDir: string;
  let pdf: Buffer;
  let png: Buffer;
  let jpeg: Buffer;
  let citizenN = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-agency-api-'));
    h = await AppHarness.start({ env: { DATA_DIR: dataDir } });
    [pdf, png, jpeg] = (await Promise.all(
      ['paper.pdf', 'paper.png', 'paper.jpg'].map((f) => readFile(new URL(f, FIXTURES))),
    )) as [Buffer, Buffer, Buffer];
  });
  afterAll(async () => {
    await h?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The files of papers on disk (not counting temporary files). */
  const storedFiles = async () =>
    (await readdir(path.join(dataDir, 'documents')).catch(() => [])).filter((f) => f.endsWith('.enc'));

  const admin = (
    method: 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    token: string | null = ADMIN_TOKEN,
  ) =>
    h.app.inject({
      method,
      url,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });

  async function createAgency(code: string) {
    const response = await admin('POST', '/api/v1/admin/agencies', { code, name: `UBND ${code}` });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; apiKey: string; keyId: string }>();
  }

  /**
   * Opens an account directly through the services, verified by the registry unless `status` says otherwise;
   * its phone, CCCD and account code are unique.
   */
  async function openAccount(status: 'verified' | 'provisional' | 'not_matched' = 'verified') {
    citizenN += 1;
    const n = String(citizenN).padStart(4, '0');
    const input = newCitizen({
      phone: `+8490555${n}`,
      cccd: `04809000${n}`,
      accountCode: `AGEN${n}`.replace(/[01]/g, 'Z'),
    });
    const outcome = await h.services.citizens.create(input);
    if (outcome.type !== 'created') throw new Error(`could not open an account: ${outcome.type}`);
    if (status === 'verified') {
      await h.services.citizens.recordVerification(outcome.citizen.id, { outcome: 'verified' });
    } else if (status === 'not_matched') {
      await h.services.citizens.recordVerification(outcome.citizen.id, {
        outcome: 'not_matched',
        field: 'cccd',
      });
    }
    return { ...outcome.citizen, cccd: input.cccd };
  }

  const paperFields = (citizen: string, overrides: Record<string, string | undefined> = {}): Part[] =>
    Object.entries({
      citizen,
      typeCode: 'KHAISINH',
      title: 'Giấy khai sinh',
      number: `KS-${randomUUID().slice(0, 8)}`,
      issuedAt: '2025-06-01',
      ...overrides,
    }).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));

  const fileOf = (bytes: Buffer, filename = 'paper.pdf', type = 'application/pdf'): Part => ({
    name: 'file',
    filename,
    type,
    bytes,
  });

  const upload = (key: string | null, parts: readonly Part[]) => {
    const { payload, contentType } = multipart(parts);
    return h.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { 'content-type': contentType, ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      payload,
    });
  };

  const putDossier = (key: string, code: string, body: Record<string, unknown>) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/v1/agency/dossiers/${encodeURIComponent(code)}`,
      headers: { authorization: `Bearer ${key}` },
      payload: body,
    });

  const getDossier = (key: string | null, code: string) =>
    h.app.inject({
      method: 'GET',
      url: `/api/v1/agency/dossiers/${encodeURIComponent(code)}`,
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    });

  describe('keys', () => {
    it('creates an agency and shows its key once; only a hash of the key is stored', async () => {
      const created = await createAgency('UBND-HAICHAU');

      expect(created).toEqual({
        id: expect.any(String),
        apiKey: expect.stringMatching(/^dcz_ak_[A-Za-z0-9_-]{43}$/),
        keyId: expect.any(String),
        webhookSecret: expect.stringMatching(/^dcz_whs_[A-Za-z0-9_-]{43}$/),
      });
      const { rows } = await h.services.db.query('SELECT * FROM agency_api_keys');
      expect(JSON.stringify(rows)).not.toContain(created.apiKey.slice(7));
      expect((await getDossier(created.apiKey, 'NO-SUCH-DOSSIER')).statusCode).toBe(404);
    });

    it('keeps the admin routes behind the admin token and refuses a taken code', async () => {
      expect(
        (await admin('POST', '/api/v1/admin/agencies', { code: 'X-1', name: 'X' }, null)).statusCode,
      ).toBe(401);
      expect(
        (await admin('POST', '/api/v1/admin/agencies', { code: 'X-1', name: 'X' }, 'wrong-token-0123456789'))
          .statusCode,
      ).toBe(401);
      await createAgency('UBND-TAKEN');

      const again = await admin('POST', '/api/v1/admin/agencies', { code: 'UBND-TAKEN', name: 'Again' });

      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual({ error: { code: 'AGENCY_CODE_TAKEN', message: expect.any(String) } });
    });

    it('refuses a second agency whose name is the same but for case, diacritics or spaces (409 AGENCY_NAME_TAKEN)', async () => {
      const first = await admin('POST', '/api/v1/admin/agencies', {
        code: 'UBND-THACHTHANG',
        name: 'UBND phường Thạch Thang',
      });
      expect(first.statusCode).toBe(201);

      const answers = [];
      for (const [i, name] of [
        'UBND phường Thạch Thang',
        'ubnd phuong thach thang',
        '  UBND   PHƯỜNG  Thạch Thang ',
        'UBND phường Thạch Thang'.normalize('NFD'),
      ].entries()) {
        const response = await admin('POST', '/api/v1/admin/agencies', { code: `UBND-TT-${i}`, name });
        answers.push([response.statusCode, response.json()]);
      }

      expect(answers).toEqual(
        Array(4).fill([409, { error: { code: 'AGENCY_NAME_TAKEN', message: expect.any(String) } }]),
      );
      const { rows } = await h.services.db.query("SELECT 1 FROM agencies WHERE code LIKE 'UBND-TT-%'");
      expect(rows).toEqual([]);
    });

    it('answers 401 with www-authenticate to a missing, unknown or malformed agency key', async () => {
      for (const key of [null, `dcz_ak_${'A'.repeat(43)}`, 'not-a-key', ADMIN_TOKEN]) {
        const response = await getDossier(key, 'HS-1');
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
        expect(response.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      }
      expect((await upload(null, paperFields('ABCD-2345'))).statusCode).toBe(401);
    });

    it('rotates keys: a new key works beside the old one until the old one is revoked, at once', async () => {
      const agency = await createAgency('UBND-ROTATE');

      const added = await admin('POST', `/api/v1/admin/agencies/${agency.id}/keys`);
      expect(added.statusCode).toBe(201);
      const second = added.json<{ apiKey: string; keyId: string }>();
      expect(second.apiKey).not.toBe(agency.apiKey);
      expect((await getDossier(agency.apiKey, 'HS-1')).statusCode).toBe(404);
      expect((await getDossier(second.apiKey, 'HS-1')).statusCode).toBe(404);

      const revoked = await admin('DELETE', `/api/v1/admin/agencies/${agency.id}/keys/${agency.keyId}`);

      expect(revoked.statusCode).toBe(204);
      expect(revoked.body).toBe('');
      expect((await getDossier(agency.apiKey, 'HS-1')).statusCode).toBe(401);
      expect((await getDossier(second.apiKey, 'HS-1')).statusCode).toBe(404);
      expect(
        (await admin('DELETE', `/api/v1/admin/agencies/${agency.id}/keys/${agency.keyId}`)).statusCode,
      ).toBe(204);
      expect(
        (await admin('DELETE', `/api/v1/admin/agencies/${agency.id}/keys/${randomUUID()}`)).statusCode,
      ).toBe(404);
      expect((await admin('POST', `/api/v1/admin/agencies/${randomUUID()}/keys`)).statusCode).toBe(404);
      const badId = await admin('POST', '/api/v1/admin/agencies/not-a-uuid/keys');
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.message).toMatch(/^id: /);
    });
  });

  describe('validation', () => {
    let key: string;
    let accountCode: string;
    beforeAll(async () => {
      key = (await createAgency('UBND-VALIDATION')).apiKey;
      accountCode = (await openAccount()).accountCode;
    });

    /** Expects a 400 VALIDATION answer whose message names `field`. */
    async function expectRefused(response: Awaited<ReturnType<typeof upload>>, field: RegExp) {
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body).toEqual({ error: { code: 'VALIDATION', message: expect.any(String) } });
      expect(body.error.message).toMatch(field);
    }

    it('names each missing or invalid field of a paper, and stores nothing', async () => {
      const file = fileOf(pdf);
      await expectRefused(
        await upload(key, [...paperFields(accountCode, { citizen: undefined }), file]),
        /citizen: is required/,
      );
      await expectRefused(
        await upload(key, [...paperFields(accountCode, { typeCode: 'KHAI SINH!' }), file]),
        /typeCode:/,
      );
      await expectRefused(await upload(key, [...paperFields(accountCode, { title: '   ' }), file]), /title:/);
      await expectRefused(
        await upload(key, [...paperFields(accountCode, { number: 'x'.repeat(101) }), file]),
        /number:/,
      );
      await expectRefused(
        await upload(key, [...paperFields(accountCode, { issuedAt: '2025-02-30' }), file]),
        /issuedAt: must be a real date/,
      );
      await expectRefused(
        await upload(key, [...paperFields(accountCode, { issuedAt: '01/06/2025' }), file]),
        /issuedAt:/,
      );
      await expectRefused(
        await upload(key, [...paperFields(accountCode, { expiresAt: '2025-05-31' }), file]),
        /expiresAt: must be after issuedAt/,
      );
      await expectRefused(await upload(key, paperFields(accountCode)), /file: is required/);
      expect(await storedFiles()).toEqual([]);
    });

    it('refuses fields sent after the file, saying they must come first', async () => {
      const [citizen, ...rest] = paperFields(accountCode);
      const response = await upload(key, [...rest, fileOf(pdf), citizen as Part]);

      await expectRefused(response, /citizen: is required.*before the file/);
    });

    it('refuses a field sent after the file even when the required ones came first, and keeps no file', async () => {
      const before = await storedFiles();
      const response = await upload(key, [
        ...paperFields(accountCode),
        fileOf(pdf),
        { name: 'expiresAt', value: '2030-01-01' },
      ]);

      await expectRefused(response, /expiresAt: comes after the file part/);
      expect(await storedFiles()).toEqual(before);
    });

    it('refuses a second file, and keeps neither', async () => {
      const before = await storedFiles();
      const response = await upload(key, [
        ...paperFields(accountCode),
        fileOf(pdf),
        fileOf(png, 'b.png', 'image/png'),
      ]);

      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION');
      expect(await storedFiles()).toEqual(before);
    });

    it('refuses a body that is not multipart with 415', async () => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/agency/documents',
        headers: { authorization: `Bearer ${key}` },
        payload: { citizen: accountCode },
      });

      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'body: must be multipart/form-data' },
      });
    });

    it('names each invalid field of a dossier update', async () => {
      const body = { citizen: accountCode, procedure: 'Đăng ký khai sinh', status: 'received' };
      await expectRefused(
        await putDossier(key, 'HS-V1', { ...body, status: 'lost' }),
        /status: must be one of/,
      );
      await expectRefused(
        await putDossier(key, 'HS-V1', { ...body, procedure: undefined }),
        /procedure: is required/,
      );
      await expectRefused(
        await putDossier(key, 'HS-V1', { ...body, expectedAt: '2025-13-01' }),
        /expectedAt:/,
      );
      await expectRefused(await putDossier(key, 'HS-V1', { ...body, note: 42 }), /note:/);
      await expectRefused(await putDossier(key, 'HS V1!', body), /code: must be 1-64/);
      await expectRefused(await putDossier(key, 'H'.repeat(65), body), /code:/);
      expect((await getDossier(key, 'HS-V1')).statusCode).toBe(404);
    });
  });

  describe('issuing papers', () => {
    let key: string;
    let citizen: Awaited<ReturnType<typeof openAccount>>;
    beforeAll(async () => {
      key = (await createAgency('UBND-PAPERS')).apiKey;
      citizen = await openAccount();
    });

    it('issues a paper once: the same number and file again answers 200 with the same id (one row, one file)', async () => {
      const fields = paperFields(citizen.accountCode, { number: 'KS-IDEMPOTENT', expiresAt: '2035-06-01' });
      const before = (await storedFiles()).length;

      const first = await upload(key, [...fields, fileOf(pdf)]);
      const again = await upload(key, [...fields, fileOf(pdf)]);

      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({ id: expect.any(String) });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      const rows = await h.services.db.query('SELECT id FROM documents WHERE id = $1', [first.json().id]);
      expect(rows.rowCount).toBe(1);
      expect(
        (await h.services.documents.listByCitizen(citizen.id)).filter((d) => d.number === 'KS-IDEMPOTENT'),
      ).toHaveLength(1);
      expect((await storedFiles()).length).toBe(before + 1);
    });

    it('refuses another file under a used number with 409 and keeps no new file', async () => {
      const fields = paperFields(citizen.accountCode, { number: 'KS-REUSED' });
      expect((await upload(key, [...fields, fileOf(pdf)])).statusCode).toBe(201);
      const before = await storedFiles();

      const response = await upload(key, [...fields, fileOf(png, 'other.png', 'image/png')]);

      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        error: { code: 'DOCUMENT_NUMBER_REUSED', message: expect.any(String) },
      });
      expect(await storedFiles()).toEqual(before);
    });

    it('finds the holder by account code, phone or CCCD, and answers 404 for an unknown one', async () => {
      for (const holder of [
        citizen.accountCode.toLowerCase(),
        citizen.phone.replace('+84', '0'),
        citizen.cccd,
      ]) {
        expect((await upload(key, [...paperFields(holder), fileOf(pdf)])).statusCode).toBe(201);
      }
      const unknown = await upload(key, [...paperFields('WXYZ-9999'), fileOf(pdf)]);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('CITIZEN_NOT_FOUND');
    });

    it('issues papers only to verified accounts: pending or not matched is 409 CITIZEN_NOT_VERIFIED with the status, and keeps nothing', async () => {
      for (const status of ['provisional', 'not_matched'] as const) {
        const unverified = await openAccount(status);
        const before = await storedFiles();
        for (const holder of [unverified.accountCode, unverified.cccd]) {
          const response = await upload(key, [...paperFields(holder), fileOf(pdf)]);

          expect(response.statusCode).toBe(409);
          expect(response.json()).toEqual({
            error: { code: 'CITIZEN_NOT_VERIFIED', message: expect.any(String), citizenStatus: status },
          });
        }
        expect(await h.services.documents.listByCitizen(unverified.id)).toEqual([]);
        expect(await storedFiles()).toEqual(before);
      }
    });

    it('types a file by its content, not its name: a PDF named .png is a PDF; PNG and JPEG are accepted', async () => {
      const disguised = await upload(key, [
        ...paperFields(citizen.accountCode),
        fileOf(pdf, 'scan.png', 'image/png'),
      ]);
      const image = await upload(key, [
        ...paperFields(citizen.accountCode),
        fileOf(png, 'a.bin', 'application/octet-stream'),
      ]);
      const photo = await upload(key, [
        ...paperFields(citizen.accountCode),
        fileOf(jpeg, 'a.pdf', 'application/pdf'),
      ]);

      const types = await Promise.all(
        [disguised, image, photo].map(async (r) => {
          expect(r.statusCode).toBe(201);
          return (await h.services.documents.findById(r.json().id))?.contentType;
        }),
      );
      expect(types).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
    });

    it('refuses a text file named .pdf with 415 and keeps no file', async () => {
      const before = await storedFiles();

      const response = await upload(key, [
        ...paperFields(citizen.accountCode),
        fileOf(Buffer.from('Not a PDF at all, just text.\n'.repeat(10)), 'paper.pdf', 'application/pdf'),
      ]);

      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({
        error: { code: 'UNSUPPORTED_FILE_TYPE', message: expect.any(String) },
      });
      expect(await storedFiles()).toEqual(before);
    });

    it('refuses a file over 10 MB with 413 over a real connection and keeps nothing; exactly 10 MB is accepted', async () => {
      const before = await storedFiles();
      const form = new FormData();
      for (const part of paperFields(citizen.accountCode, { number: 'KS-BIG' })) {
        if ('value' in part) form.append(part.name, part.value);
      }
      // Far over the limit: the answer comes before the upload ends, and the connection is not left hanging.
      form.append('file', new Blob([pdf, Buffer.alloc(25 * MB)], { type: 'application/pdf' }), 'big.pdf');

      const response = await fetch(`${h.baseUrl}/api/v1/agency/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });

      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error: { code: 'FILE_TOO_LARGE', message: expect.any(String) },
      });
      const justOver = Buffer.concat([pdf, Buffer.alloc(10 * MB + 1 - pdf.length, 0x20)]);
      const refused = await upload(key, [
        ...paperFields(citizen.accountCode, { number: 'KS-BIG' }),
        fileOf(justOver),
      ]);
      expect(refused.statusCode).toBe(413);
      expect(await storedFiles()).toEqual(before);
      expect(
        (
          await h.services.db.query('SELECT 1 FROM documents WHERE number_hash = $1', [
            h.services.cipher.keyedHash('document-number', 'KS-BIG'),
          ])
        ).rowCount,
      ).toBe(0);

      const exact = Buffer.concat([pdf, Buffer.alloc(10 * MB - pdf.length, 0x20)]);
      const accepted = await upload(key, [
        ...paperFields(citizen.accountCode, { number: 'KS-BIG' }),
        fileOf(exact),
      ]);
      expect(accepted.statusCode).toBe(201);
      expect(await h.services.documents.findById(accepted.json().id)).toMatchObject({ sizeBytes: 10 * MB });
    });

    it('refuses a body announced over the limit before reading it: the 413 comes while the upload has barely begun', async () => {
      const before = await storedFiles();
      const boundary = 'dcz-announced-too-big';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="citizen"\r\n\r\n${citizen.accountCode}\r\n`,
      );
      const { port } = new URL(h.baseUrl);
      const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port: Number(port),
            method: 'POST',
            path: '/api/v1/agency/documents',
            headers: {
              authorization: `Bearer ${key}`,
              'content-type': `multipart/form-data; boundary=${boundary}`,
              'content-length': String(20 * MB),
            },
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => {
              body += chunk;
            });
            response.on('end', () => {
              request.destroy();
              resolve({ status: response.statusCode, body });
            });
          },
        );
        request.on('error', reject);
        // Only the first field is sent; the other 20 MB never are, so only a refusal from the header answers.
        request.write(head);
      });

      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'FILE_TOO_LARGE', message: expect.any(String) },
      });
      expect(await storedFiles()).toEqual(before);
    });

    it('signs the record: it verifies with the published key using node:crypto alone, and the file matches', async () => {
      const number = 'KS-SIGNED-0001';
      const issued = await upload(key, [
        ...paperFields(citizen.accountCode, {
          number,
          title: 'Giấy khai sinh (bản sao)',
          expiresAt: '2030-01-31',
        }),
        fileOf(pdf),
      ]);
      const document = await h.services.documents.findById(issued.json().id);
      if (!document) throw new Error('paper not stored');

      const published = await h.app.inject({ method: 'GET', url: '/.well-known/document-signing-key' });

      expect(published.statusCode).toBe(200);
      expect(published.headers['cache-control']).toMatch(/max-age=\d+/);
      const { keys, verification } = published.json<{
        keys: Record<string, string>[];
        verification: string;
      }>();
      expect(verification).toMatch(/Ed25519/);
      const jwk = keys.find((k) => k.kid === document.signingKeyId);
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      const record = JSON.stringify({
        v: 1,
        id: document.id,
        issuer: 'UBND-PAPERS',
        issuerName: 'UBND UBND-PAPERS',
        typeCode: 'KHAISINH',
        title: 'Giấy khai sinh (bản sao)',
        number,
        issuedAt: '2025-06-01',
        expiresAt: '2030-01-31',
        contentType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: sha256(pdf),
      });
      const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
      expect(verify(null, Buffer.from(record), publicKey, Buffer.from(document.signature, 'base64url'))).toBe(
        true,
      );
      expect(
        verify(
          null,
          Buffer.from(record.replace(number, 'KS-FORGED')),
          publicKey,
          Buffer.from(document.signature, 'base64url'),
        ),
      ).toBe(false);
      const stored = await h.services.files.get(document.fileKey);
      expect(stored && sha256(await readAll(stored))).toBe(sha256(pdf));
    });
  });

  describe('dossiers', () => {
    let a: { id: string; apiKey: string };
    let b: { id: string; apiKey: string };
    let citizen: Awaited<ReturnType<typeof openAccount>>;
    beforeAll(async () => {
      a = await createAgency('UBND-DOSSIER-A');
      b = await createAgency('UBND-DOSSIER-B');
      citizen = await openAccount();
    });

    const body = (status: string, extra: Record<string, unknown> = {}) => ({
      citizen: citizen.accountCode,
      procedure: 'Đăng ký khai sinh',
      status,
      ...extra,
    });

    it('keeps the history received → processing → completed; a repeated PUT adds nothing', async () => {
      const code = '000.00.20.H17-250601/0001';

      const created = await putDossier(a.apiKey, code, body('received', { expectedAt: '2025-06-10' }));
      const processing = await putDossier(a.apiKey, code, body('processing', { expectedAt: '2025-06-10' }));
      const completed = await putDossier(a.apiKey, code, body('completed'));
      const repeated = await putDossier(a.apiKey, code, body('completed'));

      expect([created, processing, completed, repeated].map((r) => [r.statusCode, r.json().outcome])).toEqual(
        [
          [201, 'created'],
          [200, 'updated'],
          [200, 'updated'],
          [200, 'unchanged'],
        ],
      );
      expect(repeated.json()).toMatchObject({
        code,
        status: 'completed',
        procedure: 'Đăng ký khai sinh',
        expectedAt: null,
      });
      expect(repeated.json().history.map((e: { seq: number; status: string }) => [e.seq, e.status])).toEqual([
        [1, 'received'],
        [2, 'processing'],
        [3, 'completed'],
      ]);
      const read = await getDossier(a.apiKey, code);
      expect(read.statusCode).toBe(200);
      expect(read.json().history).toHaveLength(3);
    });

    it('takes a dossier code in any case as one code, shown in upper case, that TT finds whatever the case', async () => {
      const own = await openAccount();
      const ownBody = { ...body('received'), citizen: own.accountCode };

      const created = await putDossier(a.apiKey, 'hs-case-0001', ownBody);
      const again = await putDossier(a.apiKey, 'HS-Case-0001', ownBody);
      const taken = await putDossier(b.apiKey, 'HS-CASE-0001', { ...ownBody, status: 'rejected' });
      const read = await getDossier(a.apiKey, 'Hs-cAsE-0001');

      expect([created.statusCode, created.json().code, created.json().outcome]).toEqual([
        201,
        'HS-CASE-0001',
        'created',
      ]);
      expect([again.statusCode, again.json().outcome]).toEqual([200, 'unchanged']);
      expect([taken.statusCode, taken.json().error.code]).toEqual([403, 'DOSSIER_OF_ANOTHER_AGENCY']);
      expect([read.statusCode, read.json().code, read.json().history]).toEqual([
        200,
        'HS-CASE-0001',
        [expect.objectContaining({ seq: 1, status: 'received' })],
      ]);
      // The citizen is told of the new dossier first; then asks for it, typed in any case.
      await eventually(() => h.inbox(own.phone).find((text) => text.includes('TT HS-CASE-0001')));
      for (const typed of ['hs-case-0001', 'Hs-Case-0001', 'HS-CASE-0001']) {
        const [shown] = await h.say(own.phone, `TT ${typed}`);
        expect(shown).toMatch(/^Ho so HS-CASE-0001: Dang ky khai sinh/);
      }
    });

    it('tells the citizen about a new dossier', async () => {
      const code = 'HS-TOLD-0001';
      expect((await putDossier(a.apiKey, code, body('received'))).statusCode).toBe(201);

      const told = await eventually(() => h.inbox(citizen.phone).find((text) => text.includes(code)));

      expect(told).toContain(`TT ${code}`);
    });

    it('lets agency B neither change (403) nor read (404) agency A’s dossier, which stays as it was', async () => {
      const code = 'HS-SCOPE-0001';
      expect(
        (await putDossier(a.apiKey, code, body('processing', { note: 'Đang thẩm định' }))).statusCode,
      ).toBe(201);

      const put = await putDossier(b.apiKey, code, body('rejected', { note: 'Không hợp lệ' }));
      const read = await getDossier(b.apiKey, code);

      expect(put.statusCode).toBe(403);
      expect(put.json()).toEqual({
        error: { code: 'DOSSIER_OF_ANOTHER_AGENCY', message: expect.any(String) },
      });
      expect(read.statusCode).toBe(404);
      expect(JSON.stringify(read.json())).not.toContain('Đang thẩm định');
      const own = await getDossier(a.apiKey, code);
      expect(own.json()).toMatchObject({ status: 'processing', note: 'Đang thẩm định' });
      expect(own.json().history).toHaveLength(1);
    });

    it('never moves a dossier to another citizen (409) and answers 404 for an unknown citizen', async () => {
      const code = 'HS-OWNER-0001';
      const other = await openAccount();
      expect((await putDossier(a.apiKey, code, body('received'))).statusCode).toBe(201);

      const moved = await putDossier(a.apiKey, code, { ...body('processing'), citizen: other.accountCode });
      const unknown = await putDossier(a.apiKey, 'HS-OWNER-0002', {
        ...body('received'),
        citizen: '048090009999',
      });

      expect(moved.statusCode).toBe(409);
      expect(moved.json().error.code).toBe('DOSSIER_OF_ANOTHER_CITIZEN');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('CITIZEN_NOT_FOUND');
      expect((await getDossier(a.apiKey, code)).json()).toMatchObject({ status: 'received' });
    });
  });

  describe('documentation', () => {
    it('serves the interactive page at /docs from this service', async () => {
      let response = await h.app.inject({ method: 'GET', url: '/docs' });
      if (response.statusCode === 302) {
        response = await h.app.inject({ method: 'GET', url: String(response.headers.location) });
      }

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.body).toMatch(/swagger-ui/i);
      expect(response.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
      const script = await h.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
      expect(script.statusCode).toBe(200);
    });

    it('describes every route of the API in OpenAPI 3.1, the upload as multipart with a binary file', async () => {
      const response = await h.app.inject({ method: 'GET', url: '/docs/json' });

      expect(response.statusCode).toBe(200);
      const spec = response.json();
      expect(spec.openapi).toBe('3.1.0');
      expect(Object.keys(spec.components.securitySchemes)).toEqual(
        expect.arrayContaining(['adminToken', 'agencyKey']),
      );
      const paths = spec.paths as Record<string, Record<string, unknown>>;
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining([
          '/.well-known/document-signing-key',
          '/api/v1/admin/agencies',
          '/api/v1/admin/agencies/{id}/keys',
          '/api/v1/admin/agencies/{id}/keys/{keyId}',
          '/api/v1/agency/documents',
          '/api/v1/agency/dossiers/{code}',
        ]),
      );
      expect(Object.keys(paths).filter((p) => p.startsWith('/docs'))).toEqual([]);
      expect(Object.keys(paths['/api/v1/agency/dossiers/{code}'] ?? {}).sort()).toEqual(['get', 'put']);
      const upload = spec.paths['/api/v1/agency/documents'].post;
      const form = upload.requestBody.content['multipart/form-data'].schema;
      expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
      expect(form.required).toEqual(
        expect.arrayContaining(['citizen', 'typeCode', 'title', 'number', 'issuedAt', 'file']),
      );
      expect(Object.keys(upload.responses).sort()).toEqual([
        '200',
        '201',
        '400',
        '401',
        '404',
        '409',
        '413',
        '415',
      ]);
      expect(upload.security).toEqual([{ agencyKey: [] }]);
      const put = spec.paths['/api/v1/agency/dossiers/{code}'].put;
      expect(put.requestBody.content['application/json'].schema.properties.status.enum).toContain(
        'needs_more_info',
      );
    });
  });

  it('writes no personal data, key or paper number to the logs', async () => {
    const logs = h.logLines.join('\n');

    expect(logs).not.toMatch(
      /dcz_ak_|KS-SIGNED-0001|KS-IDEMPOTENT|04809000\d{4}|Đang thẩm định|Giấy khai sinh/,
    );
  });
});
