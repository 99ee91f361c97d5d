/**
 * Benchmarks of the citizen data store on real parts (PostgreSQL, Redis, the encrypted file store on disk, the
 * HTTP app on 127.0.0.1), all over real HTTP with fetch so uploads and downloads really stream: agencies upload
 * papers (`POST /api/v1/agency/documents`), viewers open the share page (`GET /s/:token`, which checks the
 * signature and re-hashes the stored file on every view) and download the file (`GET /s/:token/file`).
 * Called by bench/run.ts; docs/benchmarks.md records a run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { NewCitizen } from '../src/domain/citizens/citizen-repository.ts';
import { createShare } from '../src/domain/shares/create-share.ts';
import { ADMIN_TOKEN, AppHarness } from '../test/support/app-harness.ts';
import { ms, percentile } from './lib/stats.ts';

const MB = 1024 * 1024;
const KB = 1024;
const CHUNK = 64 * KB;

const mib = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;
const mbPerS = (bytes: number, millis: number) => `${(bytes / MB / (millis / 1000)).toFixed(0)} MB/s`;
const line = (label: string, result: string) => console.log(`${label.padEnd(19)}${result}`);

/**
 * A full garbage collection: V8's `gc`, exposed when first needed. Only for the last measurement: after a forced
 * full GC, V8 ran an incremental mark-compact every ~60 ms while files streamed, and uploads, share pages and
 * downloads took 2-3 times as long (150 major GCs in the section instead of 1).
 */
let gc: (() => void) | undefined;
const collectGarbage = () => {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
};

/**
 * One PDF-like body (`%PDF-` then random bytes) of 11 MB, allocated once (when the data-store benchmarks start);
 * every upload streams views of its start, so the client holds no copy per upload and the memory measured is the
 * server's.
 */
let paper: Buffer | undefined;
const paperBytes = () => {
  paper ??= Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(11 * MB - 9)]);
  return paper;
};

/**
 * A multipart upload (the fields, then the part `file` with the first `size` bytes of {@link paperBytes}) as a
 * stream of 64 KiB views, with its exact length: nothing is copied or buffered on the client side.
 */
function uploadBody(fields: Record<string, string>, size: number) {
  const boundary = `----dcz-bench-${randomUUID()}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="paper.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let offset = -1;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset === -1) {
        controller.enqueue(head);
        offset = 0;
      } else if (offset < size) {
        const end = Math.min(size, offset + CHUNK);
        controller.enqueue(paperBytes().subarray(offset, end));
        offset = end;
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
  return {
    body,
    length: head.length + size + tail.length,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Reads a response body to its end without keeping it; resolves its length. */
async function drain(response: Response): Promise<number> {
  let bytes = 0;
  const reader = response.body?.getReader();
  if (!reader) return 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.length;
  return bytes;
}

/**
 * The largest `process.memoryUsage()` values seen while `work` runs, above those just before. Without `live`,
 * sampled every 5 ms as they come (what is referenced plus garbage not yet collected; no GC is forced). With
 * `live`, sampled right after two forced full GCs every 50 ms, from a baseline after them: only what is still
 * referenced (slows `work` down, and the timings after it: run it last).
 */
async function peakMemoryDuring(
  work: () => Promise<void>,
  options: { live?: boolean } = {},
): Promise<{ rss: number; arrayBuffers: number; heapUsed: number }> {
  // Twice: V8 frees the memory of dead buffers on a background thread, and the second GC waits for that.
  const collect = () => {
    collectGarbage();
    collectGarbage();
  };
  if (options.live) collect();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, arrayBuffers: base.arrayBuffers, heapUsed: base.heapUsed };
  const sample = () => {
    if (options.live) collect();
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
  };
  const timer = setInterval(sample, options.live ? 50 : 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
    sample();
  }
  return {
    rss: peak.rss - base.rss,
    arrayBuffers: peak.arrayBuffers - base.arrayBuffers,
    heapUsed: peak.heapUsed - base.heapUsed,
  };
}

/** An agency (created by the admin API) and a citizen whose store receives its papers. */
interface Fixture {
  readonly h: AppHarness;
  readonly apiKey: string;
  readonly citizenId: string;
  readonly phone: string;
}

/** Creates the agency (over HTTP, with the admin token) and opens the citizen's account. */
async function setUp(h: AppHarness): Promise<Fixture> {
  const created = await fetch(`${h.baseUrl}/api/v1/admin/agencies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'UBND-BENCH', name: 'UBND phường Bench' }),
  });
  if (created.status !== 201) throw new Error(`admin API answered ${created.status}`);
  const { apiKey } = (await created.json()) as { apiKey: string };
  const phone = '+84905999001';
  const citizen: NewCitizen = {
    fullName: 'Nguyễn Văn An',
    cccd: '048090009001',
    dateOfBirth: '1990-02-15',
    accountCode: 'BNCH2345',
    phone,
    createdVia: 'twilio-sms',
    createdByRef: `bench:${randomUUID()}`,
    actor: { kind: 'citizen', id: 'bench' },
    registeredBy: null,
    consent: {
      purpose: 'account_registration',
      textVersion: 'reg-2025-01',
      channel: 'twilio-sms',
      language: 'vi',
    },
  };
  const outcome = await h.services.citizens.create(citizen);
  if (outcome.type !== 'created') throw new Error(`could not open an account: ${outcome.type}`);
  // Papers are issued to verified accounts only.
  await h.services.citizens.recordVerification(outcome.citizen.id, { outcome: 'verified' });
  return { h, apiKey, citizenId: outcome.citizen.id, phone };
}

/** Uploads a paper of `size` bytes over HTTP; resolves the status, the paper's id (when issued) and the time. */
async function upload(
  f: Fixture,
  size: number,
): Promise<{ status: number; id: string | null; millis: number }> {
  const { body, length, contentType } = uploadBody(
    {
      citizen: f.phone,
      typeCode: 'KHAISINH',
      title: 'Giấy khai sinh',
      number: `KS-${randomUUID()}`,
      issuedAt: '2026-11-27',
    },
    size,
  );
  const t0 = performance.now();
  const response = await fetch(`${f.h.baseUrl}/api/v1/agency/documents`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${f.apiKey}`,
      'content-type': contentType,
      'content-length': String(length),
    },
    body,
    duplex: 'half',
  } as RequestInit);
  const answer = (await response.json()) as { id?: string };
  return { status: response.status, id: answer.id ?? null, millis: performance.now() - t0 };
}

async function issued(f: Fixture, size: number): Promise<string> {
  const { status, id } = await upload(f, size);
  if (status !== 201 || id === null) throw new Error(`upload answered ${status}`);
  return id;
}

let shares = 0;

/** A share link of a paper, created as the chat's `CS` does; resolves its URL. */
async function shareOf(f: Fixture, documentId: string): Promise<string> {
  shares += 1;
  const { services } = f.h;
  const { url } = await createShare(
    {
      shares: services.shares,
      documents: services.documents,
      cipher: services.cipher,
      publicBaseUrl: f.h.baseUrl,
    },
    {
      citizenId: f.citizenId,
      kind: 'document',
      documentId,
      days: 30,
      ref: `bench:share:${shares}`,
      at: new Date(),
    },
  );
  return url;
}

/** `n` uploads of 10 MB at once. */
const atOnce = (f: Fixture, n: number) => async () => {
  const statuses = (await Promise.all(Array.from({ length: n }, () => upload(f, 10 * MB)))).map(
    (u) => u.status,
  );
  if (statuses.some((s) => s !== 201)) throw new Error(`concurrent uploads answered ${statuses.join(', ')}`);
};

/**
 * 1. Uploads: memory while 4 uploads of 10 MB run at once, 20 uploads of 10 MB in a row, uploads refused
 *    from their announced length (11 MB) and from reading them (10 MB + 1 KB).
 */
async function benchUploads(f: Fixture): Promise<void> {
  await issued(f, 100 * KB); // warm-up (code paths, connections), small so it does not raise the baseline

  const four = await peakMemoryDuring(atOnce(f, 4));
  line(
    'upload 4 x 10 MB',
    `peak growth: RSS ${mib(four.rss)}  arrayBuffers ${mib(four.arrayBuffers)}  heap ${mib(four.heapUsed)}  (the bodies: 40 MiB)`,
  );

  const times: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const { status, millis } = await upload(f, 10 * MB);
    if (status !== 201) throw new Error(`upload answered ${status}`);
    times.push(millis);
  }
  const p50 = percentile(times, 50);
  line(
    'upload 10 MB',
    `p50 ${ms(p50)}  p95 ${ms(percentile(times, 95))}  = ${mbPerS(10 * MB, p50)} (20 sequential)`,
  );

  // Announced over the limit plus the form's margin: refused from the Content-Length, before parsing.
  // Just over the limit: only reading the file finds it out.
  for (const [label, size] of [
    ['413 at 11 MB', 11 * MB],
    ['413 at 10 MB+1 KB', 10 * MB + 1024],
  ] as const) {
    const refused: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { status, millis } = await upload(f, size);
      if (status !== 413) throw new Error(`${label}: answered ${status}`);
      refused.push(millis);
    }
    line(label, `p50 ${ms(percentile(refused, 50))}  max ${ms(Math.max(...refused))} (5 sequential)`);
  }
}

/** Opens the share page `count` times in a row; resolves the latencies. */
async function pageViews(url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    const response = await fetch(url);
    const page = await response.text();
    times.push(performance.now() - t0);
    if (response.status !== 200 || !page.includes('Bản gốc, do')) {
      throw new Error(`share page answered ${response.status} without the authenticity mark`);
    }
  }
  return times;
}

/** 2. The share page: 100 KB and 10 MB papers one view at a time, then 10 clients for 5 s on the 100 KB one. */
async function benchSharePage(f: Fixture): Promise<{ url10: string }> {
  const url100 = await shareOf(f, await issued(f, 100 * KB));
  const url10 = await shareOf(f, await issued(f, 10 * MB));
  await pageViews(url100, 5); // warm-up

  const small = await pageViews(url100, 50);
  const large = await pageViews(url10, 50);
  const perMb = (percentile(large, 50) - percentile(small, 50)) / (10 - 100 / 1024);
  line(
    'page, 100 KB paper',
    `p50 ${ms(percentile(small, 50))}  p95 ${ms(percentile(small, 95))} (50 sequential)`,
  );
  line(
    'page, 10 MB paper',
    `p50 ${ms(percentile(large, 50))}  p95 ${ms(percentile(large, 95))} (50 sequential)`,
  );
  line('page re-hash cost', `about ${ms(perMb)} per MB of paper (difference of the p50s)`);

  const times: number[] = [];
  const deadline = performance.now() + 5000;
  let failed = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const response = await fetch(url100);
      await response.text();
      if (response.status === 200) times.push(performance.now() - t0);
      else failed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, client));
  const seconds = (performance.now() - started) / 1000;
  line(
    'page, 10 clients',
    `${(times.length / seconds).toFixed(0)} views/s  p50 ${ms(percentile(times, 50))}  p95 ${ms(percentile(times, 95))}  (100 KB paper, ${seconds.toFixed(1)} s, ${failed} not 200)`,
  );
  return { url10 };
}

/** 3. Downloads: the 10 MB paper's file, 20 times in a row. */
async function benchDownload(url10: string): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const t0 = performance.now();
    const response = await fetch(`${url10}/file`);
    const bytes = await drain(response);
    times.push(performance.now() - t0);
    if (response.status !== 200 || bytes !== 10 * MB) {
      throw new Error(`download answered ${response.status} with ${bytes} bytes`);
    }
  }
  const p50 = percentile(times, 50);
  line(
    'download 10 MB',
    `p50 ${ms(p50)}  p95 ${ms(percentile(times, 95))}  = ${mbPerS(10 * MB, p50)} (20 sequential)`,
  );
}

/** 1b. The same 4 uploads at once, counting only memory still referenced (forces GCs: run it last). */
async function benchUploadLiveMemory(f: Fixture): Promise<void> {
  const live = await peakMemoryDuring(atOnce(f, 4), { live: true });
  line(
    'upload 4 x 10 MB',
    `live after full GCs (every 50 ms): peak growth arrayBuffers ${mib(live.arrayBuffers)}  heap ${mib(live.heapUsed)}`,
  );
}

/** The data-store benchmarks on one app over a temporary data directory (removed afterwards). */
export async function dataStore(): Promise<void> {
  paperBytes();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-bench-'));
  const h = await AppHarness.start({ env: { LOG_LEVEL: 'warn', DATA_DIR: dataDir } });
  try {
    const f = await setUp(h);
    await benchUploads(f);
    const { url10 } = await benchSharePage(f);
    await benchDownload(url10);
    await benchUploadLiveMemory(f);
    console.log(`process RSS        ${(process.memoryUsage().rss / MB).toFixed(0)} MiB`);
  } finally {
    await h.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
