import { readFile } from 'node:fs/promises';
import { type Credentials, Zalo, ZaloApiError } from 'zca-js';
import { z } from 'zod';
import { AppError } from '../../src/shared/errors.ts';
import { invalidFields } from '../../src/shared/invalid-fields.ts';
import type { ZaloPersonalPort } from './zalo-personal.port.ts';

/** One cookie, in either shape zca-js accepts (tough-cookie's `key`/`value` or a browser export's `name`/`value`). */
const CookieSchema = z.looseObject({ value: z.string() });

/**
 * The credentials file written by `npm run zalo:login` (`ZALO_PERSONAL_CREDENTIALS`): the session cookies of
 * the team's Zalo account, the `imei` (Zalo Web's device id) and the user agent they were issued to. A browser
 * cookie export (`[{ name, value, domain… }]` or J2TEAM's `{ url, cookies }`) works too.
 */
export const ZaloPersonalCredentialsSchema = z.object({
  cookie: z.union([
    z.array(CookieSchema).min(1),
    z.object({ url: z.string().min(1), cookies: z.array(CookieSchema).min(1) }),
  ]),
  imei: z.string().min(1),
  userAgent: z.string().min(1),
  language: z.string().min(1).optional(),
});

function credentialsError(path: string, problem: string): AppError {
  return new AppError(
    'ZALO_PERSONAL_CREDENTIALS_INVALID',
    `Zalo personal credentials file ${path} ${problem}; log in again with ` +
      `ZALO_PERSONAL_CREDENTIALS=${path} npm run zalo:login`,
  );
}

/**
 * Reads and validates the credentials file. Errors name the file and the faulty fields, never its contents
 * (the cookies are a live session of the account).
 */
export async function readZaloPersonalCredentials(path: string): Promise<Credentials> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw credentialsError(path, `cannot be read (${typeof code === 'string' ? code : 'unknown error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text around the error: not passed on.
    throw credentialsError(path, 'is not valid JSON');
  }
  const parsed = ZaloPersonalCredentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw credentialsError(path, `is malformed (${invalidFields(parsed.error, '(root)')})`);
  }
  const { cookie, imei, userAgent, language } = parsed.data;
  return {
    // zod checked the shape zca-js reads (a value per cookie); zca-js parses the rest with tough-cookie.
    cookie: cookie as Credentials['cookie'],
    imei,
    userAgent,
    ...(language === undefined ? {} : { language }),
  };
}

/**
 * Logs the team's Zalo account in with the saved session (no QR, no socket yet) and returns its API. The
 * update check, library logging and our own echoes are off. Throws `AppError` `ZALO_PERSONAL_CREDENTIALS_INVALID`
 * for an unreadable file and `ZALO_PERSONAL_LOGIN_FAILED` (retryable) when Zalo refuses the session; neither
 * carries the cookies or Zalo's answer.
 */
export async function connectZaloPersonal(credentialsPath: string): Promise<ZaloPersonalPort> {
  const credentials = await readZaloPersonalCredentials(credentialsPath);
  const zalo = new Zalo({ checkUpdate: false, logging: false, selfListen: false });
  try {
    return await zalo.login(credentials);
  } catch (error) {
    const reason =
      error instanceof ZaloApiError
        ? error.code === null
          ? 'refused by Zalo'
          : `zalo:${error.code}`
        : error instanceof Error && /^[A-Za-z]{1,60}$/.test(error.name)
          ? error.name
          : 'unknown error';
    throw new AppError(
      'ZALO_PERSONAL_LOGIN_FAILED',
      `Zalo personal login failed (${reason}): if the session expired, run ` +
        `ZALO_PERSONAL_CREDENTIALS=${credentialsPath} npm run zalo:login`,
      { retryable: true },
    );
  }
}
