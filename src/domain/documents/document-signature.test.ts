import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDocumentSigner, isRawEd25519PublicKey } from './document-signature.ts';

const newKey = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const RECORD = '{"v":1,"id":"p-1","sha256":"ab"}';

describe('createDocumentSigner', () => {
  it('signs a record that verifies under its own key id, and not once altered or under another id', () => {
    const signer = createDocumentSigner(newKey());
    const signature = signer.sign(RECORD);

    expect(signer.verify(RECORD, signature, signer.keyId)).toBe(true);
    expect(signer.verify(RECORD.replace('ab', 'ac'), signature, signer.keyId)).toBe(false);
    expect(signer.verify(RECORD, signature, '0000000000000000')).toBe(false);
    expect(signer.verify(RECORD, 'not a signature', signer.keyId)).toBe(false);
  });

  it('publishes its key as an Ed25519 JWK whose kid is the start of the SHA-256 of the raw key', () => {
    const signer = createDocumentSigner(newKey());

    expect(signer.publicKeys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: signer.keyId, alg: 'EdDSA', use: 'sig' },
    ]);
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(isRawEd25519PublicKey(signer.publicKeys[0]?.x ?? '')).toBe(true);
  });

  it('after a rotation, verifies what the retired key signed and publishes it after the signing key', () => {
    const old = createDocumentSigner(newKey());
    const oldX = old.publicKeys[0]?.x ?? '';
    const signature = old.sign(RECORD);

    const rotated = createDocumentSigner(newKey(), [oldX, oldX]);

    expect(rotated.keyId).not.toBe(old.keyId);
    expect(rotated.verify(RECORD, signature, old.keyId)).toBe(true);
    // A signature counts only under the key that made it; what is signed now is signed with the new key.
    expect(rotated.verify(RECORD, signature, rotated.keyId)).toBe(false);
    expect(rotated.verify(RECORD, rotated.sign(RECORD), rotated.keyId)).toBe(true);
    expect(rotated.verify(RECORD, rotated.sign(RECORD), old.keyId)).toBe(false);
    expect(rotated.publicKeys.map((k) => k.kid)).toEqual([rotated.keyId, old.keyId]);
  });

  it('does not take a signature by an unlisted key, even under that key’s own id', () => {
    const stranger = createDocumentSigner(newKey());

    expect(createDocumentSigner(newKey()).verify(RECORD, stranger.sign(RECORD), stranger.keyId)).toBe(false);
  });

  it('refuses a retired key that is not a raw Ed25519 public key, saying which', () => {
    const good = createDocumentSigner(newKey()).publicKeys[0]?.x ?? '';

    expect(() => createDocumentSigner(newKey(), [good, good.slice(2)])).toThrow(/retired public key 2/);
  });
});
