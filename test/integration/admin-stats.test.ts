import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vietnamDay } from '../../src/domain/stats/stats-filter.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';

const WARD = '20194';
const TEAM_NAME = '=Tổ "Một", Hải Vân';

describe('admin API: the dashboard’s figures', () => {
  let h: AppHarness;
  let teamId: string;
  let today: string;

  beforeAll(async () => {
    h = await AppHarness.start({ workers: 0 });
    const created = await h.admin('POST', '/api/v1/admin/teams', { name: TEAM_NAME, wardCode: WARD });
    expect(created.statusCode).toBe(201);
    teamId = (created.json() as { id: string }).id;
    const joined = await h.services.teams.join(
      teamId,
      { phone: '+84905000001', channel: 'zalo-oa', address: 'z-1' },
      new Date(),
    );
    if (joined.type !== 'joined') throw new Error(joined.type);
    const opened = await h.services.citizens.create(
      newCitizen({
        createdVia: 'zalo-oa',
        actor: { kind: 'volunteer', id: joined.member.id },
        registeredBy: { teamId, memberId: joined.member.id },
      }),
    );
    expect(opened.type).toBe('created');
    today = vietnamDay(new Date());
  });
  afterAll(async () => {
    await h?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } });

  it('answers a table as JSON with its period and ward', async () => {
    const response = await get(
      `/api/v1/admin/stats/registrations-by-team?from=${today}&to=${today}&ward=${WARD}`,
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      from: today,
      to: today,
      ward: WARD,
      rows: [{ day: today, teamId, teamName: TEAM_NAME, wardCode: WARD, registrations: 1 }],
    });
  });

  it('defaults to the last 30 days and the whole city', async () => {
    const response = await get('/api/v1/admin/stats/funnel');

    expect(response.status).toBe(200);
    const body = (await response.json()) as { from: string; to: string; ward: null; rows: unknown[] };
    expect(body.to).toBe(today);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(29 * 24 * 3600 * 1000);
    expect(body.ward).toBeNull();
    expect(body.rows).toEqual([
      { stage: 'started', assisted: 0, self: 0, total: 0 },
      { stage: 'consent_given', assisted: 0, self: 0, total: 0 },
      { stage: 'account_opened', assisted: 0, self: 0, total: 0 },
      { stage: 'verified', assisted: 0, self: 0, total: 0 },
    ]);
  });

  it('answers the same table as CSV for Accept: text/csv, UTF-8 with a BOM, quoted and formula-safe', async () => {
    const response = await get(`/api/v1/admin/stats/leaderboard?from=${today}&to=${today}&ward=${WARD}`, {
      accept: 'text/csv',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="leaderboard_${today}_${today}_${WARD}.csv"`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(
      '\uFEFFrank,team_id,team_name,ward_code,members,registrations,verified,handoffs_answered\r\n' +
        `1,${teamId},"'=Tổ ""Một"", Hải Vân",${WARD},1,1,0,0\r\n`,
    );
  });

  it('writes the hand-offs’ total as the last CSV row', async () => {
    const response = await get(`/api/v1/admin/stats/handoffs?from=${today}&to=${today}`, {
      accept: 'text/csv;q=0.9, application/json;q=0.1',
    });

    // text() decodes UTF-8 and drops the byte-order mark.
    expect(await response.text()).toBe(
      'day,opened,answered,median_seconds_to_first_answer,average_seconds_to_first_answer\r\n' +
        'total,0,0,,\r\n',
    );
  });

  it('answers JSON when CSV is refused (q=0)', async () => {
    const response = await get(`/api/v1/admin/stats/funnel?from=${today}&to=${today}`, {
      accept: 'text/csv;q=0, application/json',
    });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('serves every table', async () => {
    for (const table of [
      'registrations-by-channel',
      'registrations-by-team',
      'registrations-by-ward',
      'funnel',
      'mismatches',
      'handoffs',
      'leaderboard',
    ]) {
      const response = await get(`/api/v1/admin/stats/${table}?from=${today}&to=${today}`);
      expect(response.status, table).toBe(200);
      expect(((await response.json()) as { rows: unknown[] }).rows.length, table).toBeGreaterThan(0);
    }
  });

  it('refuses a bad date, a period backwards and an unknown ward with 400', async () => {
    for (const [query, code] of [
      ['from=2026-02-30', 'VALIDATION'],
      ['to=30/11/2026', 'VALIDATION'],
      ['from=2026-11-02&to=2026-11-01', 'VALIDATION'],
      ['ward=99999', 'UNKNOWN_WARD'],
    ] as const) {
      const response = await get(`/api/v1/admin/stats/registrations-by-ward?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code, query).toBe(code);
    }
  });

  it('refuses a caller without the admin token', async () => {
    const response = await fetch(`${h.baseUrl}/api/v1/admin/stats/funnel`, {
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(401);
  });
});
