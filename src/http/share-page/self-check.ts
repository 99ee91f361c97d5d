import type { DocumentRecord } from '../../domain/documents/document.ts';
import { signedDocumentRecord } from '../../domain/documents/document-signature.ts';

/** What stands for the paper's number in the record the page shows: the page never shows the number. */
const HIDDEN_NUMBER = '?';

/**
 * The signed record of a paper as the share page shows it: the exact signed JSON, except that the number is
 * {@link HIDDEN_NUMBER}. Putting the number back (`JSON.parse`, set `number`, `JSON.stringify`) gives the signed
 * bytes again: the keys keep their order and every value its spelling.
 */
export function shownRecord(
  document: Omit<DocumentRecord, 'signature' | 'signingKeyId' | 'createdAt'>,
): string {
  return signedDocumentRecord({ ...document, number: HIDDEN_NUMBER });
}

/** What the check command says, in the page's language. */
export interface CheckCommandWords {
  /** The question for the paper's number. */
  readonly prompt: string;
  readonly valid: string;
  readonly invalid: string;
}

/** What the check command checks. */
export interface CheckCommandInput {
  /** The absolute URL of `/.well-known/document-signing-key`. */
  readonly keysUrl: string;
  readonly keyId: string;
  readonly signature: string;
  /** The record as {@link shownRecord} gives it. */
  readonly record: string;
  readonly words: CheckCommandWords;
}

/**
 * A POSIX shell command (Node.js 18 or later, nothing else) that asks for the paper's number, puts it into the
 * shown record, fetches the published public keys and checks the signature with the key `keyId`: it prints
 * `words.valid` and exits 0, or prints `words.invalid` and exits 1. Every value is quoted for the shell.
 */
export function checkCommand(input: CheckCommandInput): string {
  const { prompt, valid, invalid } = input.words;
  const script = `
const crypto = require("node:crypto");
const [keysUrl, kid, signature, shown] = process.argv.slice(1);
const ask = require("node:readline").createInterface({ input: process.stdin, output: process.stdout });
ask.question(${JSON.stringify(prompt)}, async (number) => {
  ask.close();
  const record = JSON.parse(shown);
  record.number = number.trim();
  const { keys } = await (await fetch(keysUrl)).json();
  const jwk = keys.find((key) => key.kid === kid);
  const valid = jwk !== undefined && crypto.verify(
    null,
    Buffer.from(JSON.stringify(record)),
    crypto.createPublicKey({ key: jwk, format: "jwk" }),
    Buffer.from(signature, "base64url"),
  );
  console.log(valid ? ${JSON.stringify(valid)} : ${JSON.stringify(invalid)});
  process.exitCode = valid ? 0 : 1;
});
`;
  const words = [script, input.keysUrl, input.keyId, input.signature, input.record].map(shellQuote);
  return `node -e ${words.join(' \\\n  ')}`;
}

/** `text` as one single-quoted shell word: the shell passes it on unchanged, whatever it holds. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
