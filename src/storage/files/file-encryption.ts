import {
  createCipheriv,
  createDecipheriv,
  createHash,
  type DecipherGCM,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { Transform } from 'node:stream';
import type { StoredFile } from '../../domain/documents/file-store.ts';
import { AppError } from '../../shared/errors.ts';

/**
 * The stored form of a paper's file, the same on disk and in object storage (a file can move between them):
 * MAGIC (5 bytes) | IV (12) | AES-256-GCM ciphertext | tag (16). The file's key name is the AAD, so a file
 * copied under another key does not decrypt.
 */
export const MAGIC = Buffer.from('DCZF\u0001', 'latin1');
/** Bytes of the GCM initialisation vector, after MAGIC. */
export const IV_BYTES = 12;
/** Bytes of the GCM tag, at the end of a stored file. */
export const TAG_BYTES = 16;
/** Bytes before the ciphertext: MAGIC and the IV. */
export const HEADER_BYTES = MAGIC.length + IV_BYTES;
/** The file keys a store accepts: no path separators, nothing that could leave a directory or a prefix. */
const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Throws `BAD_FILE_KEY` unless `key` is 1-128 of A-Z a-z 0-9 . _ - (and does not start with a dot). */
export function assertSafeFileKey(key: string): void {
  if (!SAFE_KEY.test(key)) throw new AppError('BAD_FILE_KEY', 'file keys are 1-128 of A-Z a-z 0-9 . _ -');
}

/** The files' AES-256 key, derived with HKDF from the 32-byte master key (DATA_ENCRYPTION_KEY). */
export function deriveFileKey(masterKey: Buffer): Buffer {
  if (masterKey.length !== 32) throw new AppError('BAD_KEY', 'the file store key must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dcz/files/aes-256-gcm', 32));
}

/** The error of a stored file that does not decrypt: altered at rest, moved to another key, or another key. */
export function altered(): AppError {
  return new AppError('FILE_ALTERED', 'the stored file was altered or is not readable with this key');
}

/** Encrypts one file as it streams in, measuring the plaintext's size and SHA-256 on the way. */
export interface FileSealer {
  /** The stored bytes for these plaintext bytes (the header comes out with the first call). */
  update(plaintext: Buffer): Buffer;
  /** The last stored bytes (the header too for an empty file, then the tag). Call once. */
  final(): Buffer;
  /** The size and SHA-256 of the plaintext seen so far. */
  measured(): StoredFile;
}

/** A {@link FileSealer} for the file stored under `key`, with a fresh random IV. */
export function createFileSealer(fileKey: Buffer, key: string): FileSealer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  cipher.setAAD(Buffer.from(key, 'utf8'));
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let header: Buffer | null = Buffer.concat([MAGIC, iv]);
  const withHeader = (bytes: Buffer) => {
    const out = header ? Buffer.concat([header, bytes]) : bytes;
    header = null;
    return out;
  };
  return {
    update(plaintext) {
      sizeBytes += plaintext.length;
      hash.update(plaintext);
      return withHeader(cipher.update(plaintext));
    },
    final() {
      return Buffer.concat([withHeader(cipher.final()), cipher.getAuthTag()]);
    },
    measured: () => ({ sizeBytes, sha256: hash.copy().digest('hex') }),
  };
}

/**
 * A stream that takes a whole stored file from its first byte (as an object store sends it) and gives back the
 * plaintext: it reads the header from the front and holds back the last {@link TAG_BYTES} bytes, which are the
 * tag, checked at the end. A file that does not decrypt fails the stream with `FILE_ALTERED`; bytes before the
 * end are unauthenticated until then, as with the disk store's stream.
 */
export function createOpeningStream(fileKey: Buffer, key: string): Transform {
  let front: Buffer = Buffer.alloc(0);
  let decipher: DecipherGCM | null = null;
  let tail: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let bytes = chunk;
      if (!decipher) {
        front = Buffer.concat([front, bytes]);
        if (front.length < HEADER_BYTES) return callback();
        if (!front.subarray(0, MAGIC.length).equals(MAGIC)) return callback(altered());
        decipher = createDecipheriv('aes-256-gcm', fileKey, front.subarray(MAGIC.length, HEADER_BYTES));
        decipher.setAAD(Buffer.from(key, 'utf8'));
        bytes = front.subarray(HEADER_BYTES);
        front = Buffer.alloc(0);
      }
      const pending = Buffer.concat([tail, bytes]);
      const ready = Math.max(0, pending.length - TAG_BYTES);
      tail = Buffer.from(pending.subarray(ready));
      callback(null, ready > 0 ? decipher.update(pending.subarray(0, ready)) : undefined);
    },
    flush(callback) {
      if (!decipher || tail.length < TAG_BYTES) return callback(altered());
      try {
        decipher.setAuthTag(tail);
        callback(null, decipher.final());
      } catch {
        callback(altered());
      }
    },
  });
}
