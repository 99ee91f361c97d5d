import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/** The admin token the service uses, and the file it was read from or written to (development only). */
export interface AdminToken {
  /** Unset: no admin (API and console staff sign-in off). */
  readonly token: string | undefined;
  /** `DATA_DIR/admin-token` when the token is a generated development one. */
  readonly file: string | undefined;
}

/**
 * ADMIN_TOKEN when set. Otherwise, outside production, a random token generated once into `DATA_DIR/admin-token`
 * (mode 0600) and read from there on every later start, so staff can sign in to a fresh `npm start`; only the
 * file's path is logged, never the token. In production an unset ADMIN_TOKEN stays "admin off".
 */
export async function resolveAdminToken(
  configured: string | undefined,
  options: { nodeEnv: string; dataDir: string; logger: Logger },
): Promise<AdminToken> {
  if (configured) return { token: configured, file: undefined };
  if (options.nodeEnv === 'production') return { token: undefined, file: undefined };
  const file = path.resolve(options.dataDir, 'admin-token');
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 16) {
      options.logger.info({ file }, 'ADMIN_TOKEN is not set: using the development admin token in this file');
      return { token, file };
    }
    throw new Error(`${file} does not hold an admin token of at least 16 characters`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  options.logger.warn(
    { file },
    'ADMIN_TOKEN is not set: generated a development admin token into this file (staff sign in to /console with it)',
  );
  return { token, file };
}
