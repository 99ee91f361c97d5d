import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { DocumentRecord } from './document.ts';

/**
 * The part of a paper's record that is signed, in a fixed order: what it is, who issued it, when, and the
 * SHA-256 of its file. Serialised as JSON with exactly these keys in this order (UTF-8, no spaces), so anyone
 * holding the public key of `/.well-known/document-signing-key` can check a paper without our code.
 */
export function signedDocumentRecord(
  document: Omit<DocumentRecord, 'signature' | 'signingKeyId' | 'createdAt'>,
): string {
  return JSON.stringify({
    v: 1,
    id: document.id,
    issuer: document.agency.code,
    issuerName: document.agency.name,
    typeCode: document.typeCode,
    title: document.title,
    number: document.number,
    issuedAt: document.issuedAt,
    expiresAt: document.expiresAt,
    contentType: document.contentType,
    sizeBytes: document.sizeBytes,
    sha256: document.sha256,
  });
}

/** A public key as published at `/.well-known/document-signing-key` (a JSON Web Key, RFC 8037). */
export interface PublicSigningKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

/** Signs document records with the service's Ed25519 key and checks signatures by the key that made them. */
export interface DocumentSigner {
  /** Names the signing key: the first 16 hex digits of the SHA-256 of its raw public key. */
  readonly keyId: string;
  /**
   * Every key a trusted paper may be signed with, as published: the signing key first, then the retired keys
   * whose papers stay authentic.
   */
  readonly publicKeys: readonly PublicSigningKey[];
  /** Base64url Ed25519 signature of `record` by the signing key. */
  sign(record: string): string;
  /** Whether `signature` is the signature of `record` by the trusted key `keyId` (false for an unknown key). */
  verify(record: string, signature: string, keyId: string): boolean;
}

/** A public key and its published form. */
interface TrustedKey {
  readonly key: KeyObject;
  readonly jwk: PublicSigningKey;
}

/** The raw public key, its JWK and its key id (`kid`). */
function trustedKey(key: KeyObject): TrustedKey {
  const raw = Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
  const kid = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return {
    key,
    jwk: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url'), kid, alg: 'EdDSA', use: 'sig' },
  };
}

/** What a retired public key looks like: the JWK `x` of an Ed25519 key (32 bytes, base64url, 43 characters). */
const RAW_PUBLIC_KEY = /^[A-Za-z0-9_-]{43}$/;

/** Whether `text` is a retired public key as {@link createDocumentSigner} takes it (the `x` the JWKS shows). */
export function isRawEd25519PublicKey(text: string): boolean {
  return RAW_PUBLIC_KEY.test(text) && Buffer.from(text, 'base64url').length === 32;
}

/**
 * Builds the signer from an Ed25519 private key: PKCS#8 PEM, or base64 of the PKCS#8 DER
 * (`openssl genpkey -algorithm ed25519`). `retiredPublicKeys` are the `x` values (as published) of keys that
 * signed papers before this one: those papers stay verifiable, and the keys stay published, without the old
 * private keys.
 */
export function createDocumentSigner(
  privateKey: string,
  retiredPublicKeys: readonly string[] = [],
): DocumentSigner {
  const key = parsePrivateKey(privateKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the document signing key must be an Ed25519 key');
  const current = trustedKey(createPublicKey(key));
  const retired = retiredPublicKeys.map((x, i) => {
    if (!isRawEd25519PublicKey(x)) {
      throw new Error(`retired public key ${i + 1} is not an Ed25519 public key (43 base64url characters)`);
    }
    return trustedKey(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
  });
  const trusted = new Map([current, ...retired].map((k) => [k.jwk.kid, k]));
  return {
    keyId: current.jwk.kid,
    publicKeys: [...trusted.values()].map((k) => k.jwk),
    sign: (record) => sign(null, Buffer.from(record, 'utf8'), key).toString('base64url'),
    verify(record, signature, keyId) {
      const signer = trusted.get(keyId);
      if (!signer) return false;
      try {
        return verify(null, Buffer.from(record, 'utf8'), signer.key, Buffer.from(signature, 'base64url'));
      } catch {
        return false;
      }
    },
  };
}

function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPrivateKey(trimmed);
  return createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
}
