import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import {
  type FakeSmsGateway,
  smsGatewayInbound,
  smsGatewayStatus,
} from '../fakes/fake-sms-gateway-server.ts';
import { AppHarness, SMS_GATEWAY_SECRET } from '../support/app-harness.ts';
import { eventually, inboundCount, sleep } from '../support/services.ts';

// The local SMS gateway channel against the running app: signed JSON webhooks in (inbound SMS and delivery
// reports), signed sends out to the fake gateway, which checks every signature and deduplicates on clientRef.

const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const INBOUND = '/webhooks/sms-gateway';
const STATUS = '/webhooks/sms-gateway/status';
const sign = (body: string) =>
  `sha256=${createHmac('sha256', SMS_GATEWAY_SECRET).update(body).digest('hex')}`;
const FORGED = `sha256=${'ab'.repeat(32)}`;
const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('SMS by the local gateway: signed webhooks, delivery reports, registration, retries', () => {
  let app: AppHarness;
  let smsId = 0;
  const nextId = () => {
    smsId += 1;
    return `gw-in-${smsId}`;
  };
  const gateway = (): FakeSmsGateway => {
    if (!app.fakes.gateway) throw new Error('the gateway is off');
    return app.fakes.gateway;
  };
  const textsTo = (phone: string) => gateway().messages.filter((m) => m.to === phone);
  const storedInbound = (id: string) => inboundCount(app.services, 'sms-gateway', id);
  const outboxRow = (phone: string) => app.lastOutbound('sms-gateway', phone);
  /** Posts a signed inbound SMS from `from` (as the gateway writes it) and resolves the response. */
  const inbound = (from: string, text: string, id = nextId()) => {
    const { body, headers } = smsGatewayInbound(SMS_GATEWAY_SECRET, { id, from, text });
    return app.postJson(INBOUND, body, headers);
  };
  /** Texts the short code from `phone` (written as `from`) and resolves the `replies` next SMS sent to it. */
  async function say(phone: string, text: string, replies = 1, from = phone): Promise<string[]> {
    const before = textsTo(phone).length;
    expect((await inbound(from, text)).status).toBe(200);
    await eventually(() => textsTo(phone).length >= before + replies);
    return textsTo(phone)
      .slice(before)
      .map((m) => m.text);
  }

  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['sms-gateway'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers a signed inbound SMS with 200 {"ok":true} and replies through the gateway, signed', async () => {
    const response = await inbound('0905123678', 'HD');

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
    const [reply] = await gateway().waitForMessages(1);
    expect(reply).toMatchObject({ to: '+84905123678', signatureValid: true });
    expect(reply?.text).toMatch(/^Cong dan so Da Nang\. Tra loi so hoac tu khoa:\n1 DK: Dang ky tai khoan/);
    expect(gateway().requests.every((r) => r.signatureValid)).toBe(true);
    expect(app.inbox('+84905123678')).toEqual([]); // Twilio is on too, but a reply goes where the SMS came from
  });

  it('refuses a forged, tampered or missing signature with 403 and stores nothing', async () => {
    const phone = '+84905100002';
    const id = nextId();
    const { body, headers } = smsGatewayInbound(SMS_GATEWAY_SECRET, { id, from: phone, text: 'HD' });

    const forged = await app.postJson(INBOUND, body, { 'x-signature': FORGED });
    const tampered = await app.postJson(INBOUND, body.replace('"HD"', '"DK"'), headers);
    const missing = await app.postJson(INBOUND, body);

    expect([forged.status, tampered.status, missing.status]).toEqual([403, 403, 403]);
    expect(await errorCode(forged)).toMatch(/^SMS_GATEWAY_SIGNATURE_/);
    expect(await storedInbound(id)).toBe(0);
    await sleep(700);
    expect(textsTo(phone)).toEqual([]);
  });

  it('answers 400 to a signed body that is not JSON or not an inbound SMS, and stores nothing', async () => {
    const notJson = '{"id":"gw-bad-1","from":"0905100003","text":';
    const noFrom = JSON.stringify({
      id: 'gw-bad-2',
      to: '8079',
      text: 'DK',
      receivedAt: '2026-03-01T09:15:02Z',
    });
    const badPhone = smsGatewayInbound(SMS_GATEWAY_SECRET, {
      id: 'gw-bad-3',
      from: 'VIETTEL',
      text: 'DK',
    }).body;

    const responses = await Promise.all(
      [notJson, noFrom, badPhone].map((body) => app.postJson(INBOUND, body, { 'x-signature': sign(body) })),
    );

    expect(responses.map((r) => r.status)).toEqual([400, 400, 400]);
    const codes = await Promise.all(responses.map(errorCode));
    expect(codes.slice(1)).toEqual(['SMS_GATEWAY_BAD_BODY', 'SMS_GATEWAY_BAD_PHONE']);
    expect((await storedInbound('gw-bad-2')) + (await storedInbound('gw-bad-3'))).toBe(0);
  });

  it('checks the signature before reading a body that is not JSON, as documented', async () => {
    const notJson = '{"id":"gw-bad-4","from":';

    const forged = await app.postJson(INBOUND, notJson, { 'x-signature': FORGED });
    const signed = await app.postJson(INBOUND, notJson, { 'x-signature': sign(notJson) });

    expect(forged.status).toBe(403);
    expect(await errorCode(signed)).toBe('SMS_GATEWAY_BAD_JSON');
  });

  it('replies once to the same SMS id delivered three times', async () => {
    const phone = '+84905100004';
    const id = nextId();

    const statuses = (await Promise.all([inbound(phone, 'TT', id), inbound(phone, 'TT', id)])).map(
      (r) => r.status,
    );
    statuses.push((await inbound(phone, 'TT', id)).status);
    await eventually(() => textsTo(phone).length >= 1);
    await sleep(700);

    expect(statuses).toEqual([200, 200, 200]);
    expect(textsTo(phone)).toHaveLength(1);
    expect(await storedInbound(id)).toBe(1);
  });

  it('applies a signed delivery report to the reply, refuses a forged one, and never moves back', async () => {
    const phone = '+84905100005';
    const [reply] = await say(phone, 'HD').then(() => textsTo(phone));
    if (!reply) throw new Error('no reply');
    const sent = await eventually(async () => {
      const row = await outboxRow(phone);
      return row?.status === 'queued' ? row : undefined;
    });
    expect(sent).toMatchObject({ status: 'queued', provider_message_id: reply.id });

    const delivered = smsGatewayStatus(SMS_GATEWAY_SECRET, { id: reply.id, status: 'delivered' });
    const ok = await app.postJson(STATUS, delivered.body, delivered.headers);
    const failed = JSON.stringify({ id: reply.id, status: 'failed', errorCode: 'EXPIRED' });
    const forged = await app.postJson(STATUS, failed, { 'x-signature': FORGED });
    const late = smsGatewayStatus(SMS_GATEWAY_SECRET, { id: reply.id, status: 'sent' });
    const lateAnswer = await app.postJson(STATUS, late.body, late.headers);

    expect([ok.status, forged.status, lateAnswer.status]).toEqual([200, 403, 200]);
    expect(await ok.text()).toBe('{"ok":true}');
    expect(await outboxRow(phone)).toMatchObject({ status: 'delivered', error_code: null });
  });

  it('registers in one SMS and sends the registry result by the gateway, each reply one GSM-7 part', async () => {
    const phone = '+84905222333';

    const [summary] = await say(phone, 'DK Nguyen Van An, 048090001234, 15/02/1990', 1, '0905 222 333');
    expect(summary).toMatch(/^Nguyen Van An, CCCD 048090001234, NS 15\/02\/1990\. .*CO/);
    const [opened, result] = await say(phone, 'CO', 2);
    const code = CODE.exec(opened ?? '')?.[0];

    expect(opened).toMatch(/^Da mo tai khoan tam thoi /);
    expect(code).toBeDefined();
    expect(result).toBe(
      `Tai khoan cong dan so ${code} da duoc xac minh voi CSDL dan cu. Ban co the dung dich vu cong truc tuyen. Gui TT de xem.`,
    );
    expect(await say(phone, 'TT')).toEqual([`Tai khoan ${code}: da xac minh.`]);
    for (const sms of textsTo(phone)) {
      expect(countSmsSegments(sms.text), sms.text).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
    expect(app.inbox(phone)).toEqual([]);
    expect(app.services.smsChannel).toBe('sms-gateway'); // codes and fallbacks go by the gateway too
    expect(await app.services.citizens.findByPhone(phone)).toMatchObject({
      status: 'verified',
      createdVia: 'sms-gateway',
    });
  });

  it('retries a send the gateway answered 503 with the same clientRef, and the SMS goes out once', async () => {
    const phone = '+84905100006';
    gateway().failNext(503, { error: { code: 'BUSY' } });

    const [reply] = await say(phone, 'HD');
    const row = await eventually(async () => {
      const found = await outboxRow(phone);
      return found?.status === 'queued' ? found : undefined;
    });
    await sleep(700);

    expect(reply).toMatch(/^Cong dan so Da Nang\./);
    expect(textsTo(phone)).toHaveLength(1);
    expect(row).toMatchObject({ status: 'queued', attempts: 2, error_code: null });
    const tries = gateway().requests.filter((r) => r.clientRef === `out-${row?.id}`);
    expect(tries.map((r) => r.status)).toEqual([503, 201]);
  });
});
