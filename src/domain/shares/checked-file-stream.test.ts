import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { checkedFileStream } from './checked-file-stream.ts';

const FILE = Buffer.from('%PDF-1.4\nthe paper as issued\n%%EOF\n');
const record = { sha256: createHash('sha256').update(FILE).digest('hex'), sizeBytes: FILE.length };
const chunks = (bytes: Buffer) =>
  Readable.from([bytes.subarray(0, 5), bytes.subarray(5, 20), bytes.subarray(20)]);

describe('checkedFileStream', () => {
  it('passes the file through unchanged when it matches its record', async () => {
    await expect(buffer(checkedFileStream(chunks(FILE), record))).resolves.toEqual(FILE);
  });

  it('fails without delivering the whole file when the bytes differ but the size is the same', async () => {
    const forged = Buffer.from(FILE);
    forged[FILE.length - 3] = 0x41;
    const received: Buffer[] = [];
    const stream = checkedFileStream(chunks(forged), record);
    stream.on('data', (chunk: Buffer) => received.push(chunk));
    await expect(
      new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject)),
    ).rejects.toMatchObject({
      code: 'FILE_CHANGED',
    });
    expect(Buffer.concat(received).length).toBeLessThan(FILE.length);
  });

  it('fails when the file is longer or shorter than recorded', async () => {
    await expect(
      buffer(checkedFileStream(chunks(Buffer.concat([FILE, FILE])), record)),
    ).rejects.toMatchObject({
      code: 'FILE_CHANGED',
    });
    await expect(buffer(checkedFileStream(chunks(FILE.subarray(0, 10)), record))).rejects.toMatchObject({
      code: 'FILE_CHANGED',
    });
  });

  it('fails when the stored file cannot be read', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('unable to authenticate data'));
      },
    });
    await expect(buffer(checkedFileStream(broken, record))).rejects.toThrow('unable to authenticate data');
  });
});
