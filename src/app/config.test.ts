import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      DATA_DIR: './data',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SMS_ENCODING: 'gsm7',
      POPULATION_REGISTRY: 'file:data/population-sample.csv',
      CONVERSATION_TTL_SECONDS: 1800,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });

  it('lists every bad variable in one error', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        PUBLIC_BASE_URL: 'not a url',
        DATA_ENCRYPTION_KEY: 'c2hvcnQ=',
        TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
        POPULATION_REGISTRY: 'ftp://registry',
      });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const names = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(names).toEqual(
        expect.arrayContaining([
          'PORT',
          'PUBLIC_BASE_URL',
          'DATA_ENCRYPTION_KEY',
          'TWILIO_AUTH_TOKEN',
          'TWILIO_FROM',
          'POPULATION_REGISTRY',
        ]),
      );
    }
  });

  it('requires an encryption key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATA_ENCRYPTION_KEY: is required in production/,
    );
  });

  it('strips a trailing slash from the public base URL', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://dcs.example.vn/' }).PUBLIC_BASE_URL).toBe(
      'https://dcs.example.vn',
    );
  });

  it('names each missing variable of a half-configured channel', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ SMS_GATEWAY_URL: 'https://sms.example.vn/send' })).toEqual([
      'SMS_GATEWAY_SECRET: is required when the SMS gateway channel is configured',
    ]);
    expect(problems({ ZALO_OA_APP_ID: '123', ZALO_OA_SECRET_KEY: 'k' }).map((p) => p.split(':')[0])).toEqual([
      'ZALO_OA_APP_SECRET',
      'ZALO_OA_REFRESH_TOKEN',
    ]);
    expect(problems({ TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(30)}` })).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET: is required for the Telegram webhook/),
    ]);
    expect(problems({ TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(30)}`, TELEGRAM_MODE: 'polling' })).toEqual(
      [],
    );
    expect(
      problems({ SMS_GATEWAY_URL: 'ftp://x', SMS_GATEWAY_SECRET: 'short' }).map((p) => p.split(':')[0]),
    ).toEqual(['SMS_GATEWAY_URL', 'SMS_GATEWAY_SECRET']);
  });

  it('reads OUTBOUND_RATE_LIMITS, and names an entry it cannot read', () => {
    expect(loadConfig({ OUTBOUND_RATE_LIMITS: 'telegram:recipient=2/1s' }).OUTBOUND_RATE_LIMITS).toEqual({
      telegram: { perRecipient: { limit: 2, intervalMs: 1000 } },
    });
    expect(loadConfig({}).OUTBOUND_RATE_LIMITS).toEqual({});
    expect(() => loadConfig({ OUTBOUND_RATE_LIMITS: 'fax=1/s' })).toThrow(/OUTBOUND_RATE_LIMITS: "fax=1\/s"/);
  });

  it('reads DOCUMENT_RETIRED_PUBLIC_KEYS separated by commas or spaces, and names a key it cannot read', () => {
    const a = Buffer.alloc(32, 1).toString('base64url');
    const b = Buffer.alloc(32, 2).toString('base64url');

    expect(loadConfig({}).DOCUMENT_RETIRED_PUBLIC_KEYS).toEqual([]);
    expect(
      loadConfig({ DOCUMENT_RETIRED_PUBLIC_KEYS: ` ${a}, ${b}\n` }).DOCUMENT_RETIRED_PUBLIC_KEYS,
    ).toEqual([a, b]);
    expect(() => loadConfig({ DOCUMENT_RETIRED_PUBLIC_KEYS: `${a} ${a.slice(1)}` })).toThrow(
      /DOCUMENT_RETIRED_PUBLIC_KEYS: key 2 must be the public key "x"/,
    );
  });

  it('reads FILES_STORE as an S3 bucket and prefix or a directory, with the S3 variables beside it', () => {
    expect(loadConfig({}).FILES_STORE).toBeUndefined();
    expect(loadConfig({ FILES_STORE: 's3://dcz-papers' })).toMatchObject({
      FILES_STORE: { kind: 's3', bucket: 'dcz-papers', prefix: '' },
      AWS_REGION: 'us-east-1',
    });
    expect(
      loadConfig({
        FILES_STORE: 's3://dcz.papers/city/prod/',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        AWS_REGION: 'ap-southeast-1',
        AWS_ACCESS_KEY_ID: 'minio',
        AWS_SECRET_ACCESS_KEY: 'minio-secret',
      }),
    ).toMatchObject({
      FILES_STORE: { kind: 's3', bucket: 'dcz.papers', prefix: 'city/prod' },
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      AWS_REGION: 'ap-southeast-1',
    });
    expect(loadConfig({ FILES_STORE: '/srv/dcz/papers' }).FILES_STORE).toEqual({
      kind: 'disk',
      dir: '/srv/dcz/papers',
    });
  });

  it('names what is wrong with FILES_STORE and the S3 variables', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };

    expect(problems({ FILES_STORE: 's3://Papers' })).toEqual([
      expect.stringMatching(/^FILES_STORE: the bucket in s3:\/\/bucket\[\/prefix\] must be 3-63/),
    ]);
    expect(problems({ FILES_STORE: 's3://papers/a/../b' })).toEqual([
      expect.stringMatching(/^FILES_STORE: the prefix in s3:\/\/bucket\/prefix must be segments/),
    ]);
    expect(problems({ FILES_STORE: 'gs://papers' })).toEqual([
      'FILES_STORE: must be s3://bucket[/prefix] or a directory path',
    ]);
    expect(problems({ FILES_STORE: 's3://papers', AWS_ACCESS_KEY_ID: 'minio' })).toEqual([
      expect.stringMatching(/^AWS_SECRET_ACCESS_KEY: is required with the other S3 key/),
    ]);
    expect(problems({ FILES_STORE: 's3://papers', FILES_DIR: '/srv/papers' })).toEqual([
      expect.stringMatching(/^FILES_DIR: is not used when FILES_STORE is s3/),
    ]);
    expect(problems({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual([
      'S3_ENDPOINT: is only used with FILES_STORE=s3://bucket[/prefix]',
    ]);
    expect(problems({ FILES_STORE: 's3://papers', S3_ENDPOINT: 'minio:9000' })).toEqual([
      expect.stringMatching(/^S3_ENDPOINT: must be an http\(s\) URL/),
    ]);
  });
});
