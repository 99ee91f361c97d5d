import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { MismatchField } from '../../src/domain/citizens/citizen.ts';
import type { TeamMember } from '../../src/domain/teams/team.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { newHandoff } from '../contracts/handoff-repository.contract.ts';
import { ADMIN_TOKEN, type AppHarness } from './app-harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The `dcz_console=<id>` pair of a response's cookies. */
export const consoleCookieOf = (setCookie: string | string[] | undefined): string =>
  [setCookie ?? []]
    .flat()
    .find((c) => c.startsWith('dcz_console='))
    ?.split(';')[0] ?? '';

const post = (h: AppHarness, url: string, form: Record<string, string>) =>
  h.app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams(form).toString() });

/** Signs city staff in through `inject`; resolves the session cookie (`dcz_console=…`). */
export async function injectStaffSession(h: AppHarness): Promise<string> {
  const response = await post(h, '/console/sign-in/staff', { token: ADMIN_TOKEN });
  expect(response.statusCode).toBe(303);
  return consoleCookieOf(response.headers['set-cookie']);
}

/** Signs a team member in through `inject` with the code sent to the chat where they joined. */
export async function injectMemberSession(h: AppHarness, phone: string): Promise<string> {
  const before = h.inbox(phone).length;
  expect((await post(h, '/console/sign-in/phone', { phone })).statusCode).toBe(200);
  const [text] = (await h.waitForInbox(phone, before + 1)).slice(before);
  const response = await post(h, '/console/sign-in/code', {
    phone,
    code: /\d{6}/.exec(text ?? '')?.[0] ?? '',
  });
  expect(response.statusCode).toBe(303);
  return consoleCookieOf(response.headers['set-cookie']);
}

/** Signs city staff in, in a browser page, and waits for the console's home page. */
export async function browserStaffSignIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.fill('#token', ADMIN_TOKEN);
  await page.click('form[action="/console/sign-in/staff"] button');
  await page.waitForURL(/\/console$/);
}

/** Signs a team member in, in a browser page, with the code sent to the chat where they joined their team. */
export async function browserMemberSignIn(page: Page, h: AppHarness, phone: string): Promise<void> {
  const before = h.inbox(phone).length;
  await page.goto(`${h.baseUrl}/console/sign-in`);
  await page.fill('#phone', phone);
  await page.click('form[action="/console/sign-in/phone"] button');
  const [text] = (await h.waitForInbox(phone, before + 1)).slice(before);
  await page.fill('#code', /\d{6}/.exec(text ?? '')?.[0] ?? '');
  await page.click('form[action="/console/sign-in/code"] button');
  await page.waitForURL(/\/console$/);
}

/** A team made through the admin API, and members who joined it by texting `TNV <code>` by SMS. */
export async function teamWithMembers(
  h: AppHarness,
  name: string,
  wardCode: string,
  phones: readonly string[],
): Promise<{ id: string; inviteCode: string; members: TeamMember[] }> {
  const team = (await h.admin('POST', '/api/v1/admin/teams', { name, wardCode })).json();
  const members: TeamMember[] = [];
  for (const phone of phones) {
    await h.say(phone, `TNV ${team.inviteCode}`);
    const membership = await h.services.teams.membershipOf(phone);
    if (!membership) throw new Error(`${phone} did not join`);
    members.push(membership.member);
  }
  return { id: team.id, inviteCode: team.inviteCode, members };
}

let opened = 0;

/**
 * An account opened now through the real repository, by a volunteer (`by`, as DKH does: `registeredBy`) or by the
 * citizen (null), then verified or not matched by the registry when `outcome` says so.
 */
export async function openAccount(
  h: AppHarness,
  channel: string,
  by: TeamMember | null,
  outcome?: 'verified' | MismatchField,
): Promise<string> {
  opened += 1;
  const n = String(opened).padStart(4, '0');
  const created = await h.services.citizens.create(
    newCitizen({
      phone: `+8491100${n}`,
      cccd: `04809100${n}`,
      accountCode: `ACDF${[...n].map((d) => 'ABCDEFGHJK'[Number(d)]).join('')}`,
      createdVia: channel,
      actor: by ? { kind: 'volunteer', id: by.id } : { kind: 'citizen', id: `${channel}:${n}` },
      registeredBy: by ? { teamId: by.teamId, memberId: by.id } : null,
    }),
  );
  if (created.type !== 'created') throw new Error(created.type);
  const id = created.citizen.id;
  if (outcome === 'verified') await h.services.citizens.recordVerification(id, { outcome: 'verified' });
  else if (outcome)
    await h.services.citizens.recordVerification(id, { outcome: 'not_matched', field: outcome });
  return id;
}

/** A hand-off opened now in `wardCode`, answered `seconds` later by `by` (who takes it first), when given. */
export async function openHandoff(
  h: AppHarness,
  wardCode: string,
  answer?: { by: TeamMember; seconds: number },
): Promise<void> {
  opened += 1;
  const at = new Date(Date.now() - 3_600_000);
  const { handoff } = await h.services.handoffs.open(
    newHandoff({ chat: { channel: 'telegram', address: `dashboard-chat-${opened}` }, wardCode }),
    at,
  );
  if (!answer) return;
  const { by, seconds } = answer;
  await h.services.handoffs.take(
    handoff.id,
    { memberId: by.id, teamId: by.teamId, chat: { channel: 'twilio-sms', address: by.phone } },
    new Date(at.getTime() + (seconds - 1) * 1000),
  );
  const message = await h.services.handoffs.append(
    handoff.id,
    { author: 'volunteer', memberId: by.id, text: 'Chào chị', ref: `dashboard-${handoff.id}` },
    new Date(at.getTime() + seconds * 1000),
  );
  expect(message).not.toBeNull();
}
