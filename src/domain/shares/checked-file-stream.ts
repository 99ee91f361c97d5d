import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { AppError } from '../../shared/errors.ts';

/**
 * Passes a stored file through while checking it against its record: the byte count and the SHA-256. The last
 * chunk is held back until the whole file has been read and checked, so a file altered at rest is never
 * delivered whole: the stream fails with `AppError('FILE_CHANGED')` instead (a download is cut short).
 */
export function checkedFileStream(
  source: Readable,
  expected: { sha256: string; sizeBytes: number },
): Readable {
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer | null = null;
  const changed = () =>
    new AppError('FILE_CHANGED', 'the stored file does not match its record', {
      context: { sizeBytes: size },
    });
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      hash.update(chunk);
      if (size > expected.sizeBytes) return done(changed());
      const previous = held;
      held = chunk;
      done(null, previous ?? undefined);
    },
    flush(done) {
      if (size !== expected.sizeBytes || hash.digest('hex') !== expected.sha256) return done(changed());
      done(null, held ?? undefined);
    },
  });
  source.once('error', (error) => check.destroy(error));
  return source.pipe(check);
}
