import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { AppError } from './errors.ts';

/**
 * Encryption of personal data at rest and in Redis (AES-256-GCM), and keyed hashes (HMAC-SHA-256) for
 * uniqueness and lookup of values we must never store in clear (ID numbers, phone numbers). Both keys are
 * derived from the one DATA_ENCRYPTION_KEY with HKDF, so rotating that key rotates both.
 */
export interface DataCipher {
  /** Encrypts a string; each call uses a fresh IV, so equal inputs give different outputs. */
  encrypt(plain: string): string;
  /** Decrypts what {@link DataCipher.encrypt} produced. Throws `AppError('DECRYPT_FAILED')` if it was altered. */
  decrypt(sealed: string): string;
  /** A stable keyed hash (hex) of `value` within `purpose`, e.g. `keyedHash('cccd', '048090001234')`. */
  keyedHash(purpose: string, value: string): string;
}

/** A keyed hash in hex, as {@link DataCipher.keyedHash} computes it. */
export type KeyedHash = DataCipher['keyedHash'];

const VERSION = 'v1';

/** Random bytes the IVs are cut from: one call to the CSPRNG for 512 IVs rather than one for each. */
const IV_POOL_BYTES = 12 * 512;
let ivPool = Buffer.alloc(0);
let ivPoolAt = 0;

/** A fresh random 96-bit IV, never handed out twice (the pool is replaced, not refilled in place, when used up). */
function freshIv(): Buffer {
  if (ivPoolAt + 12 > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolAt = 0;
  }
  const iv = ivPool.subarray(ivPoolAt, ivPoolAt + 12);
  ivPoolAt += 12;
  return iv;
}

/** Builds a {@link DataCipher} from the 32-byte master key. */
export function createDataCipher(masterKey: Buffer): DataCipher {
  if (masterKey.length !== 32) throw new AppError('BAD_KEY', 'DATA_ENCRYPTION_KEY must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dcz/aes-256-gcm', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dcz/hmac-sha256', 32));

  return {
    encrypt(plain) {
      const iv = freshIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = cipher.update(plain, 'utf8');
      const last = cipher.final();
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body, last]).toString('base64url')}`;
    },
    decrypt(sealed) {
      const [version, payload] = sealed.split('.', 2);
      if (version !== VERSION || payload === undefined) {
        throw new AppError('DECRYPT_FAILED', 'unknown ciphertext format');
      }
      const raw = Buffer.from(payload, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new AppError('DECRYPT_FAILED', 'ciphertext could not be decrypted with this key', { cause });
      }
    },
    keyedHash(purpose, value) {
      return createHmac('sha256', macKey).update(purpose).update('\0').update(value).digest('hex');
    },
  };
}

/** Constant-time comparison of two strings (for tokens and signatures). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Compares a given secret with the expected one in constant time, whatever their lengths: their SHA-256 digests
 * are compared, so neither the content nor the length leaks (ADMIN_TOKEN, a console CSRF token).
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
