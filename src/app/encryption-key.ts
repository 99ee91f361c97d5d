import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * The master key for personal data: DATA_ENCRYPTION_KEY when set (required in production); otherwise, for
 * development, a key generated once into DATA_DIR/encryption.key (with a warning: lose it and the data is lost).
 */
export async function resolveEncryptionKey(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, 'encryption.key');
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(`${file} does not hold a 32-byte base64 key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn(
    { file },
    'DATA_ENCRYPTION_KEY is not set: generated a development key. Set DATA_ENCRYPTION_KEY in production and keep it safe.',
  );
  return key;
}
