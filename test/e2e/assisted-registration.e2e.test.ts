import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceJobDeps } from '../../src/app/worker.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { createMaintenanceJob } from '../../src/pipeline/maintenance-job.ts';
import { countSmsSegments, isGsm7 } from '../../src/shared/sms-segments.ts';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { type RecordedZaloMessage, signZaloEvent, zaloTextEvent } from '../fakes/fake-zalo-oa-server.ts';
import { ADMIN_TOKEN, AppHarness, SMS_GATEWAY_SECRET, ZALO_OA } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

// DKH through the real app: the volunteer on Zalo OA, the neighbour on the local SMS gateway, each phone checked
// for what it receives; the account opened on the neighbour's own CO, attributed to the team, and the
// volunteer's chat never linked to it.

const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const VOLUNTEER = '3001';
const VOLUNTEER_PHONE = '+84905000111';

type Body = { text?: string; attachment?: { payload?: { elements?: { subtitle?: string }[] } } };
const textOf = (m: RecordedZaloMessage) => {
  const body = m.message as Body;
  return body.text ?? body.attachment?.payload?.elements?.[0]?.subtitle ?? '';
};

describe('DKH end to end: a volunteer on Zalo OA registers a neighbour who consents by SMS', () => {
  let app: AppHarness;
  let msg = 0;
  const gateway = () => {
    if (!app.fakes.gateway) throw new Error('the gateway is off');
    return app.fakes.gateway;
  };
  const zalo = () => {
    if (!app.fakes.zaloOa) throw new Error('zalo-oa is off');
    return app.fakes.zaloOa;
  };
  const smsTo = (phone: string) =>
    gateway()
      .messages.filter((m) => m.to === phone)
      .map((m) => m.text);
  const zaloTo = (userId: string) =>
    zalo()
      .sent.filter((m) => m.userId === userId)
      .map(textOf);

  /** The volunteer writes on Zalo; resolves the next `count` messages their chat gets. */
  async function volunteerSays(text: string, count = 1): Promise<string[]> {
    msg += 1;
    const before = zaloTo(VOLUNTEER).length;
    const event = zaloTextEvent({
      appId: ZALO_OA.appId,
      oaId: ZALO_OA.oaId,
      userId: VOLUNTEER,
      msgId: `dkh-${msg}`,
      text,
    });
    const raw = JSON.stringify(event);
    const response = await app.postJson('/webhooks/zalo', raw, {
      'x-zevent-signature': signZaloEvent(raw, ZALO_OA),
    });
    expect(response.status).toBe(200);
    await eventually(() => zaloTo(VOLUNTEER).length >= before + count);
    return zaloTo(VOLUNTEER).slice(before);
  }

  /** The neighbour texts the short code; resolves the next `count` SMS their phone gets. */
  async function neighbourSays(phone: string, text: string, count = 1): Promise<string[]> {
    msg += 1;
    const before = smsTo(phone).length;
    const { body, headers } = smsGatewayInbound(SMS_GATEWAY_SECRET, { id: `nb-${msg}`, from: phone, text });
    expect((await app.postJson('/webhooks/sms-gateway', body, headers)).status).toBe(200);
    await eventually(() => smsTo(phone).length >= before + count);
    return smsTo(phone).slice(before);
  }

  /** How far the service's clock is ahead of real time (the expiry test moves it). */
  let ahead = 0;
  let teamId = '';
  let memberId = '';

  beforeAll(async () => {
    app = await AppHarness.start({
      channels: ['zalo-oa', 'sms-gateway'],
      clock: () => new Date(Date.now() + ahead),
    });
    const { teams, contacts } = app.services;
    const created = await teams.create({
      name: 'Tổ CNS Hải Châu 1',
      wardCode: '20194',
      inviteCode: 'HC7KQ2MX',
    });
    if (created.type !== 'created') throw new Error(created.type);
    // The volunteer's Zalo chat proved their phone and they joined the team from it (TNV is tested elsewhere).
    await contacts.touch('zalo-oa', VOLUNTEER, new Date());
    await contacts.setProvenPhone('zalo-oa', VOLUNTEER, VOLUNTEER_PHONE, 'otp', new Date());
    const joined = await teams.join(
      created.team.id,
      { phone: VOLUNTEER_PHONE, channel: 'zalo-oa', address: VOLUNTEER },
      new Date(),
    );
    teamId = created.team.id;
    memberId = joined.member.id;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('texts the neighbour, opens the account on their CO, tells both phones, and links no chat', async () => {
    const neighbour = '+84905123456';

    const [summary] = await volunteerSays('DKH 0905123456, Tran Thi Binh, 048185000321, 03/07/1985');
    expect(summary).toMatch(/^Tran Thi Binh, CCCD 048185000321, NS 03\/07\/1985\. Đúng chưa\?/);
    const [sent] = await volunteerSays('CO');
    expect(sent).toMatch(/^Đã nhắn tin tới \+84\*{6}456\. Người đó phải đồng ý/);

    // Two SMS, in order, each one GSM-7 segment: what is asked, then how to answer.
    const consent = await eventually(() => (smsTo(neighbour).length >= 2 ? smsTo(neighbour) : undefined));
    expect(consent).toEqual([
      'Yeu cau mo tai khoan Cong dan so (dung dich vu cong truc tuyen) cho: Tran Thi Binh, CCCD ********0321, sinh 03/07/1985.',
      expect.stringMatching(
        /^To CNS Hai Chau 1 dang giup ban\. Dong y: tra loi CO, hoac doc ma \d{6} cho tinh nguyen vien\. Tu choi: KHONG\. Het han sau 15 phut\.$/,
      ),
    ]);
    for (const text of consent) {
      expect(isGsm7(text)).toBe(true);
      expect(countSmsSegments(text).segments).toBe(1);
    }
    expect(await app.services.citizens.findByPhone(neighbour)).toBeNull();

    // The neighbour agrees; the welcome, then the registry result, reach their phone.
    const [welcome, result] = await neighbourSays(neighbour, 'co', 2);
    expect(welcome).toMatch(/^Da mo tai khoan tam thoi [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\./);
    const accountCode = CODE.exec(welcome ?? '')?.[0];
    expect(result).toContain(accountCode);

    // The volunteer gets the account code, then the registry result.
    const told = await eventually(() => (zaloTo(VOLUNTEER).length >= 4 ? zaloTo(VOLUNTEER) : undefined));
    expect(told.slice(2)).toEqual([
      `Đã mở tài khoản ${accountCode} cho +84******456. Kết quả đối chiếu CSDL dân cư sẽ được báo cho bạn.`,
      `Tài khoản ${accountCode} bạn đăng ký hộ đã được xác thực với CSDL dân cư.`,
    ]);

    const citizen = await app.services.citizens.findByPhone(neighbour);
    expect(citizen).toMatchObject({ status: 'verified', registeredBy: { teamId, memberId } });
    expect((await app.services.contacts.find('zalo-oa', VOLUNTEER))?.citizenId ?? null).toBeNull();
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const lookup = await app.app.inject({
      url: `/api/v1/admin/citizens?phone=${encodeURIComponent(neighbour)}`,
      headers: auth,
    });
    expect(lookup.json()).toMatchObject({ registeredBy: { teamId, memberId } });
    const figures = await app.app.inject({ url: `/api/v1/admin/teams/${teamId}`, headers: auth });
    expect(figures.json()).toMatchObject({ registrations: { total: 1, verified: 1, notMatched: 0 } });
    const consents = await app.services.citizens.listConsents(citizen?.id ?? '');
    expect(consents).toEqual([
      expect.objectContaining({
        channel: 'sms-gateway',
        assisted: expect.objectContaining({ how: 'reply', memberId }),
      }),
    ]);
    const { rows } = await app.services.db.query<{ actor: string; action: string; details: unknown }>(
      `SELECT actor, action, details FROM audit_log WHERE action LIKE 'assisted_%' OR action = 'account_opened'
       ORDER BY id`,
    );
    expect(rows.map((r) => [r.actor, r.action])).toEqual([
      ['volunteer', 'assisted_requested'],
      ['citizen', 'assisted_consented'],
      ['volunteer', 'account_opened'],
      ['volunteer', 'assisted_opened'],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/905123456|048185000321|Binh/);
  });

  it('drops a request nobody answers once ASSISTED_CONSENT_TTL_SECONDS have passed, and tells the volunteer', async () => {
    const neighbour = '+84905123457';
    await volunteerSays('DKH 0905123457, Le Minh Chau, 048201000777, 20/11/2001');
    await volunteerSays('CO');
    const { rows } = await app.services.db.query<{ id: string }>(
      `SELECT id FROM assisted_requests WHERE status = 'pending'`,
    );
    const job = await app.services.queues.assisted.getJob(`assisted-expire-${rows[0]?.id}`);
    expect(rows).toHaveLength(1);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBeGreaterThan(899_000);
    expect(job?.opts.delay).toBeLessThanOrEqual(900_000);

    // The 15 minutes are over: the service's clock moves on and the delayed job runs now.
    ahead = 15 * 60_000;
    await job?.promote();

    const [told] = await eventually(() => {
      const all = zaloTo(VOLUNTEER);
      return all.at(-1)?.startsWith('Yêu cầu đăng ký hộ') ? all.slice(-1) : undefined;
    });
    expect(told).toBe(
      'Yêu cầu đăng ký hộ cho +84******457 đã hết hạn vì chưa có trả lời. Không mở tài khoản nào.',
    );
    // Only the two SMS of the request.
    expect(smsTo(neighbour)).toHaveLength(2);
    expect(await app.services.citizens.findByPhone(neighbour)).toBeNull();
  });

  it('expires a request whose expiry job was lost at the next maintenance, telling the volunteer once', async () => {
    ahead = 0;
    await volunteerSays('DKH 0905123458, Pham Van Dung, 048070004567, 01/01/1970');
    await volunteerSays('CO');
    const { rows } = await app.services.db.query<{ id: string }>(
      `SELECT id FROM assisted_requests WHERE status = 'pending'`,
    );
    // Redis lost the delayed job.
    await (await app.services.queues.assisted.getJob(`assisted-expire-${rows[0]?.id}`))?.remove();
    const before = zaloTo(VOLUNTEER).length;

    ahead = 18 * 60_000;
    const maintain = createMaintenanceJob(maintenanceJobDeps(app.services));
    await maintain();
    await maintain();

    await eventually(() => zaloTo(VOLUNTEER).length > before);
    await app.waitForIdle();
    expect(zaloTo(VOLUNTEER).slice(before)).toEqual([
      'Yêu cầu đăng ký hộ cho +84******458 đã hết hạn vì chưa có trả lời. Không mở tài khoản nào.',
    ]);
    expect(await app.services.assistedRequests.findById(rows[0]?.id ?? '')).toMatchObject({
      status: 'expired',
    });
  });

  it('lets a member who joined by TNV send DKH, and refuses them at once once removed by the admin API', async () => {
    // Real time again (the test before moved the service's clock; Twilio's webhooks carry real time).
    ahead = 0;
    const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
      app.admin(method, url, body);
    const team = (
      await admin('POST', '/api/v1/admin/teams', { name: 'Tổ CNS TDP 9', wardCode: wards[0]?.code })
    ).json() as { id: string; inviteCode: string };
    const volunteer = '+84905610091';
    await app.say(volunteer, `TNV ${team.inviteCode}`);

    await app.say(volunteer, 'DKH 0905123459, Tran Van Hieu, 048055904519, 21/04/1955');
    const [sent] = await app.say(volunteer, 'CO');
    expect(sent).toMatch(/^Da nhan tin toi \+84\*{6}459\./);
    await eventually(() => smsTo('+84905123459').length === 2);

    const { members } = (await admin('GET', `/api/v1/admin/teams/${team.id}`)).json() as {
      members: { id: string }[];
    };
    expect(
      (await admin('DELETE', `/api/v1/admin/teams/${team.id}/members/${members[0]?.id}`)).statusCode,
    ).toBe(204);

    expect(await app.say(volunteer, 'DKH 0905123460, Tran Van Hieu, 048055904519, 21/04/1955')).toEqual([
      expect.stringMatching(/^Chi thanh vien to cong nghe so cong dong moi dang ky ho duoc\./),
    ]);
    await app.waitForIdle();
    expect(smsTo('+84905123460')).toEqual([]);
  });
});
