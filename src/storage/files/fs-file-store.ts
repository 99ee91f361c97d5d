import { createDecipheriv, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '../../domain/documents/file-store.ts';
import {
  altered,
  assertSafeFileKey,
  createFileSealer,
  deriveFileKey,
  HEADER_BYTES,
  MAGIC,
  TAG_BYTES,
} from './file-encryption.ts';

/**
 * A {@link FileStore} on disk under `dir`: one file per key (`<key>.enc`), encrypted with AES-256-GCM under a key
 * derived with HKDF from the 32-byte master key (DATA_ENCRYPTION_KEY), bound to its key name so files cannot be
 * swapped. Files stream in (to a temporary file, renamed into place once complete, with their size and SHA-256
 * measured on the way) and stream out (the tag is read from the end first; an altered file fails the stream).
 */
export function createFsFileStore(dir: string, masterKey: Buffer): FileStore {
  const fileKey = deriveFileKey(masterKey);

  const pathOf = (key: string) => {
    assertSafeFileKey(key);
    return path.join(dir, `${key}.enc`);
  };

  return {
    async put(key, content) {
      const target = pathOf(key);
      await mkdir(dir, { recursive: true });
      const temporary = path.join(dir, `.tmp-${randomUUID()}`);
      const sealer = createFileSealer(fileKey, key);
      const encrypt = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          callback(null, sealer.update(chunk));
        },
        flush(callback) {
          callback(null, sealer.final());
        },
      });
      try {
        await pipeline(content, encrypt, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return sealer.measured();
    },

    async get(key) {
      let handle: FileHandle;
      try {
        handle = await open(pathOf(key), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      try {
        return await decryptingStream(handle, fileKey, key);
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

/** Reads the header and the tag of an open file, then streams the body through the decipher. */
async function decryptingStream(handle: FileHandle, fileKey: Buffer, key: string): Promise<Readable> {
  const { size } = await handle.stat();
  if (size < HEADER_BYTES + TAG_BYTES) throw altered();
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  await handle.read(header, 0, HEADER_BYTES, 0);
  await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw altered();
  const decipher = createDecipheriv('aes-256-gcm', fileKey, header.subarray(MAGIC.length));
  decipher.setAAD(Buffer.from(key, 'utf8'));
  decipher.setAuthTag(tag);
  const decrypt = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, decipher.update(chunk));
    },
    flush(callback) {
      try {
        callback(null, decipher.final());
      } catch {
        callback(altered());
      }
    },
  });
  if (size === HEADER_BYTES + TAG_BYTES) {
    // An empty body: createReadStream's `end` cannot express "nothing", so read nothing (the tag still counts).
    await handle.close();
    decrypt.end();
    return decrypt;
  }
  const body = handle.createReadStream({ start: HEADER_BYTES, end: size - TAG_BYTES - 1, autoClose: true });
  body.on('error', (error) => decrypt.destroy(error));
  decrypt.on('close', () => body.destroy());
  return body.pipe(decrypt);
}
