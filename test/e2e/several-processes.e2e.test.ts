import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { ADMIN_TOKEN, AppHarness, SMS_GATEWAY_SECRET, type WorkerProcess } from '../support/app-harness.ts';
import { eventually, freePort, REDIS_URL } from '../support/services.ts';

// Several machines (docs/scaling.md): two web processes and three worker processes share one Redis and one
// PostgreSQL. Citizens register conversationally, each message posted to either web process in turn without
// waiting for the reply, and a third of the webhooks delivered twice (to the other process): every citizen must
// get every reply exactly once and in the order of their messages, and exactly one account each.

const CITIZENS = 40;
const phoneOf = (i: number) => `+8490777${String(i).padStart(4, '0')}`;
const cccdOf = (i: number) => `048090${String(700_000 + i).padStart(6, '0')}`;
const script = (i: number) => ['DK', 'Nguyen Van An', cccdOf(i), '15/02/1990', 'CO'];

/** Starts `src/app/main.ts web` over the harness's data and fakes; resolves its base URL once ready. */
async function startWeb(h: AppHarness): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts', 'web'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: url,
      DATABASE_URL: h.data.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: h.data.prefix,
      DATA_ENCRYPTION_KEY: h.data.encryptionKey,
      ADMIN_TOKEN,
      SMS_GATEWAY_URL: h.fakes.gateway?.url ?? '',
      SMS_GATEWAY_SECRET,
      QUIET_HOURS: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await eventually(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, 60_000);
  return { url, child };
}

describe('two web processes and three worker processes on one Redis and one PostgreSQL', () => {
  let h: AppHarness;
  const webs: { url: string; child: ChildProcess }[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    h = await AppHarness.start({ workers: 0, channels: ['sms-gateway'] });
    webs.push(...(await Promise.all([startWeb(h), startWeb(h)])));
    for (let i = 0; i < 3; i += 1) workers.push(h.spawnWorker());
    await Promise.all(workers.map((w) => w.ready));
  }, 120_000);
  afterAll(async () => {
    for (const process of [...webs.map((w) => w.child), ...workers.map((w) => w.child)])
      process.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await h?.stop();
  });

  it('answers every message once, in order per conversation, and opens one account per citizen', async () => {
    const receivedAt = new Date().toISOString();
    const post = async (web: { url: string }, body: string, headers: Record<string, string>) => {
      const response = await fetch(`${web.url}/webhooks/sms-gateway`, { method: 'POST', headers, body });
      expect(response.status).toBe(200);
    };
    await Promise.all(
      Array.from({ length: CITIZENS }, async (_, i) => {
        for (const [step, text] of script(i).entries()) {
          const signed = smsGatewayInbound(SMS_GATEWAY_SECRET, {
            id: `multi-${i}-${step}`,
            from: phoneOf(i),
            text,
            receivedAt,
          });
          const first = webs[(i + step) % 2] ?? webs[0];
          const other = webs[(i + step + 1) % 2] ?? webs[0];
          if (!first || !other) throw new Error('no web process');
          await post(first, signed.body, signed.headers);
          // A third of the webhooks arrive twice, the second time at the other web process.
          if ((i + step) % 3 === 0) await post(other, signed.body, signed.headers);
        }
      }),
    );
    const gateway = h.fakes.gateway;
    if (!gateway) throw new Error('no gateway');
    const repliesTo = (phone: string) => gateway.messages.filter((m) => m.to === phone).map((m) => m.text);
    // Five replies and the registry's answer each; then the system goes idle and the replies are counted.
    await eventually(
      () => Array.from({ length: CITIZENS }, (_, i) => repliesTo(phoneOf(i)).length >= 6).every(Boolean),
      180_000,
    );
    await h.waitForIdle();

    for (let i = 0; i < CITIZENS; i += 1) {
      const replies = repliesTo(phoneOf(i));
      expect(replies).toHaveLength(6);
      expect(replies[0]).toMatch(/^Dang ky tai khoan cong dan so \(buoc 1\/3\)/);
      expect(replies[1]).toBe('Buoc 2/3: gui so CCCD (12 chu so) cua ban.');
      expect(replies[2]).toBe('Buoc 3/3: gui ngay sinh, vi du 15/02/1990.');
      expect(replies[3]).toMatch(new RegExp(`^Nguyen Van An, CCCD ${cccdOf(i)}, NS 15/02/1990\\. `));
      expect(replies[4]).toMatch(/^Da mo tai khoan tam thoi/);
    }
    expect(gateway.messages).toHaveLength(CITIZENS * 6);
    const { rows } = await h.services.db.query<{ n: string }>('SELECT count(*) AS n FROM citizens');
    expect(Number(rows[0]?.n)).toBe(CITIZENS);
  }, 300_000);
});
