import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { createDocumentSigner, type DocumentSigner } from '../domain/documents/document-signature.ts';

/**
 * The key that signs papers: DOCUMENT_SIGNING_KEY when set (required in production); otherwise, for
 * development, an Ed25519 key generated once into DATA_DIR/document-signing.key (with a warning: papers signed
 * with it are trusted only as long as that file is kept). Papers signed by the `retired` public keys
 * (DOCUMENT_RETIRED_PUBLIC_KEYS) stay authentic.
 */
export async function resolveDocumentSigner(
  configured: string | undefined,
  retired: readonly string[],
  dataDir: string,
  logger: Logger,
): Promise<DocumentSigner> {
  if (configured) return createDocumentSigner(configured, retired);
  const file = path.join(dataDir, 'document-signing.key');
  try {
    return createDocumentSigner(await readFile(file, 'utf8'), retired);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(aside, pem, { mode: 0o600 });
  try {
    await link(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process started at the same moment generated the key first: use its key.
    return createDocumentSigner(await readFile(file, 'utf8'), retired);
  } finally {
    await rm(aside, { force: true });
  }
  logger.warn(
    { file },
    'DOCUMENT_SIGNING_KEY is not set: generated a development signing key. Set DOCUMENT_SIGNING_KEY in production.',
  );
  return createDocumentSigner(pem, retired);
}
