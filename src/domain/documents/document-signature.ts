import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { DocumentRecord } from './document.ts';

/**
 * The part of a paper's record that is signed, in a fixed order: what it is, who issued it, when, and the
 * SHA-256 of its file. Serialised as JSON with exactly these keys in this order (UTF-8, no spaces), so anyone
 * holding the public key of `/.well-known/document-signing-key` can check a paper without our code.
 */
export function signedDocumentRecord(document: Omit<DocumentRecord, 'signature' | 'signingKeyId'>): string {
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

/** Signs document records with the service's Ed25519 key and checks signatures. */
export interface DocumentSigner {
  /** Names the key: the first 16 hex digits of the SHA-256 of its raw public key. */
  readonly keyId: string;
  readonly publicKey: PublicSigningKey;
  /** Base64url Ed25519 signature of `record`. */
  sign(record: string): string;
  /** Whether `signature` is this key's signature of `record`. */
  verify(record: string, signature: string): boolean;
}

/**
 * Builds the signer from an Ed25519 private key: PKCS#8 PEM, or base64 of the PKCS#8 DER
 * (`openssl genpkey -algorithm ed25519`).
 */
export function createDocumentSigner(privateKey: string): DocumentSigner {
  const key = parsePrivateKey(privateKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the document signing key must be an Ed25519 key');
  const publicKey = createPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x ?? '', 'base64url');
  const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return {
    keyId,
    publicKey: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: raw.toString('base64url'),
      kid: keyId,
      alg: 'EdDSA',
      use: 'sig',
    },
    sign: (record) => sign(null, Buffer.from(record, 'utf8'), key).toString('base64url'),
    verify(record, signature) {
      try {
        return verify(null, Buffer.from(record, 'utf8'), publicKey, Buffer.from(signature, 'base64url'));
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
