import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentSigner } from '../../domain/documents/document-signature.ts';
import { useZodApi } from '../api-errors.ts';

/** What the well-known routes need. */
export interface WellKnownDeps {
  readonly signer: Pick<DocumentSigner, 'publicKeys'>;
}

/** How a verifier checks a paper, published with the key. */
export const VERIFICATION =
  'Each paper record is signed with Ed25519 (RFC 8032) by the key whose `kid` is the record’s signingKeyId. ' +
  'The signed message is the UTF-8 bytes of the JSON object {"v":1,"id","issuer","issuerName","typeCode",' +
  '"title","number","issuedAt","expiresAt","contentType","sizeBytes","sha256"} with exactly these keys in this ' +
  'order and no whitespace (JSON.stringify): issuer is the agency code, dates are YYYY-MM-DD (expiresAt may be ' +
  'null), sizeBytes a number and sha256 the lower-case hex SHA-256 of the file. The signature is base64url. ' +
  'A paper is authentic and unchanged when the signature verifies and the file’s SHA-256 and size match.';

const Jwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().describe('The raw 32-byte public key, base64url'),
  kid: z.string().describe('Key id: the first 16 hex digits of the SHA-256 of the raw public key'),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});

/** `GET /.well-known/document-signing-key`: the public keys that sign papers (JWK, RFC 8037), cacheable. */
export function wellKnownRoutes(deps: WellKnownDeps): FastifyPluginAsync {
  return async (plain) => {
    useZodApi(plain);
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/.well-known/document-signing-key',
      {
        config: { access: 'public' },
        schema: {
          tags: ['public'],
          operationId: 'getDocumentSigningKeys',
          summary: 'The public keys that sign papers, and how to check a paper',
          response: {
            200: z.object({
              keys: z.array(Jwk).describe('JSON Web Keys (RFC 8037); import with any JOSE or crypto library'),
              verification: z.string(),
            }),
          },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=3600');
        reply.header('access-control-allow-origin', '*');
        return { keys: [...deps.signer.publicKeys], verification: VERIFICATION };
      },
    );
  };
}
