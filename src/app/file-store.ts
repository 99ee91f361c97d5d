import type { FileStore } from '../domain/documents/file-store.ts';
import { createFsFileStore } from '../storage/files/fs-file-store.ts';
import type { Config } from './config.ts';

/** The papers' file store the configuration names, and how to let go of it. */
export interface OpenedFileStore {
  readonly files: FileStore;
  /** Where the files are, for the start-up log: `disk` or `s3` (no bucket names or paths). */
  readonly kind: 'disk' | 's3';
  close(): void;
}

/**
 * Opens the file store of FILES_STORE: `s3://bucket[/prefix]` is an S3-compatible bucket (S3_ENDPOINT for MinIO,
 * Ceph and the like, with path-style addresses; AWS_REGION; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the
 * SDK's default chain when unset); unset or a path is the disk store (FILES_STORE, FILES_DIR or
 * DATA_DIR/documents). Both encrypt every file under a key derived from `masterKey`. The AWS SDK is loaded only
 * for an `s3://` store (it takes about half a second to load).
 */
export async function openFileStore(
  config: Pick<
    Config,
    | 'FILES_STORE'
    | 'FILES_DIR'
    | 'DATA_DIR'
    | 'S3_ENDPOINT'
    | 'AWS_REGION'
    | 'AWS_ACCESS_KEY_ID'
    | 'AWS_SECRET_ACCESS_KEY'
    | 'AWS_SESSION_TOKEN'
  >,
  masterKey: Buffer,
): Promise<OpenedFileStore> {
  const setting = config.FILES_STORE;
  if (setting?.kind !== 's3') {
    const dir = setting?.dir ?? config.FILES_DIR ?? `${config.DATA_DIR}/documents`;
    return { files: createFsFileStore(dir, masterKey), kind: 'disk', close: () => {} };
  }
  const [{ S3Client }, { createS3FileStore }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../storage/files/s3-file-store.ts'),
  ]);
  const client = new S3Client({
    region: config.AWS_REGION,
    ...(config.S3_ENDPOINT
      ? {
          endpoint: config.S3_ENDPOINT,
          forcePathStyle: true,
          // S3-compatible servers do not all know the SDK's newer default checksums; GCM guards the bytes.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    ...(config.AWS_ACCESS_KEY_ID && config.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: config.AWS_ACCESS_KEY_ID,
            secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
            ...(config.AWS_SESSION_TOKEN ? { sessionToken: config.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  });
  return {
    files: createS3FileStore({ client, bucket: setting.bucket, prefix: setting.prefix }, masterKey),
    kind: 's3',
    close: () => client.destroy(),
  };
}
