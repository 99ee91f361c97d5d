import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';

it('probe', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-probe-'));
  const h = await AppHarness.start({ env: { DATA_DIR: dataDir }, workers: 0 });
  try {
    const r = await fetch(`${h.baseUrl}/api/v1/admin/agencies`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'P-1', name: 'P' }) });
    const { apiKey } = await r.json() as { apiKey: string };
    const c = await h.services.citizens.create(newCitizen());
    const code = c.type === 'created' ? c.citizen.accountCode : '';
    for (const size of [30 * 1024 * 1024, 100]) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ citizen: code, typeCode: 'KS', title: 'T', number: randomUUID(), issuedAt: '2025-01-01' })) form.append(k, v);
      const bytes = Buffer.alloc(size, 0x20); bytes.write('%PDF-1.4');
      form.append('file', new Blob([bytes]), 'a.pdf');
      const t = Date.now();
      const res = await fetch(`${h.baseUrl}/api/v1/agency/documents`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form }).then(async (x) => [x.status, await x.text()], (e) => ['ERR', String(e), e.cause]);
      console.log(size, res, Date.now() - t, 'ms');
    }
    const res2 = await fetch(`${h.baseUrl}/api/v1/agency/dossiers/a%2Fb`, { headers: { authorization: `Bearer ${apiKey}` } });
    console.log('slash', res2.status, await res2.text());
    const docs = await fetch(`${h.baseUrl}/docs`, { redirect: 'manual' });
    console.log('docs', docs.status, docs.headers.get('location'));
    const spec = await (await fetch(`${h.baseUrl}/docs/json`)).json();
    console.log(JSON.stringify(spec.paths['/api/v1/agency/documents'].post.requestBody, null, 1).slice(0, 1500));
    console.log(Object.keys(spec.paths));
    expect(1).toBe(1);
  } finally { await h.stop(); }
});
