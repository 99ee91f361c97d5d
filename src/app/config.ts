import { z } from 'zod';
import { isRawEd25519PublicKey } from '../domain/documents/document-signature.ts';
import { parseQuietHours } from '../domain/notifications/quiet-hours.ts';
import { parseRateLimits } from './rate-limits.ts';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const base64Key = optionalString.refine(
  (value) => value === undefined || Buffer.from(value, 'base64').length === 32,
  'must be 32 bytes encoded in base64 (openssl rand -base64 32)',
);

const url = (example: string) =>
  optionalString.refine(
    (value) => value === undefined || /^https?:\/\/\S+$/.test(value),
    `must be an http(s) URL such as ${example}`,
  );

/** Where the papers' files live, from FILES_STORE (unset: the disk store in FILES_DIR or DATA_DIR/documents). */
export type FilesStoreSetting =
  | { readonly kind: 'disk'; readonly dir: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** S3's rules for a bucket name (3-63 of a-z 0-9 . -, starting and ending with a letter or digit). */
const BUCKET = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A key prefix: segments of A-Z a-z 0-9 . _ - separated by single slashes, none of them `.` or `..`. */
const PREFIX_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;

/** Parses FILES_STORE: `s3://bucket[/prefix]`, or a directory path for the disk store. */
const filesStore = optionalString.transform((value, ctx): FilesStoreSetting | undefined => {
  if (value === undefined) return undefined;
  const s3 = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(value);
  if (!s3) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be s3://bucket[/prefix] or a directory path' });
      return z.NEVER;
    }
    return { kind: 'disk', dir: value };
  }
  const bucket = s3[1] ?? '';
  const prefix = (s3[2] ?? '').replace(/\/+$/, '');
  if (!BUCKET.test(bucket)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'the bucket in s3://bucket[/prefix] must be 3-63 of a-z 0-9 . - and start and end with a letter or digit',
    });
    return z.NEVER;
  }
  if (prefix !== '' && !prefix.split('/').every((segment) => PREFIX_SEGMENT.test(segment))) {
    ctx.addIssue({
      code: 'custom',
      message:
        'the prefix in s3://bucket/prefix must be segments of A-Z a-z 0-9 . _ - separated by single slashes',
    });
    return z.NEVER;
  }
  return { kind: 's3', bucket, prefix };
});

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  DATABASE_URL: optionalString.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// or postgresql:// URL',
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// or rediss:// URL'),
  DATA_ENCRYPTION_KEY: base64Key,
  ADMIN_TOKEN: optionalString.refine(
    (value) => value === undefined || value.length >= 16,
    'must be at least 16 characters',
  ),
  TWILIO_ACCOUNT_SID: optionalString.refine(
    (value) => value === undefined || /^AC[0-9a-fA-F]{32}$/.test(value),
    'must look like AC followed by 32 hex characters',
  ),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString.refine(
    (value) => value === undefined || /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/.test(value),
    'must be an E.164 number (+84...) or a Messaging Service SID (MG...)',
  ),
  TWILIO_API_URL: optionalString.refine(
    (value) => value === undefined || URL.canParse(value),
    'must be a URL such as http://127.0.0.1:4010',
  ),
  SMS_ENCODING: z.enum(['gsm7', 'unicode']).default('gsm7'),
  SMS_GATEWAY_URL: url('https://sms.example.vn/v1/messages'),
  SMS_GATEWAY_SECRET: optionalString.refine(
    (value) => value === undefined || value.length >= 32,
    'must be at least 32 characters (openssl rand -hex 32)',
  ),
  TELEGRAM_BOT_TOKEN: optionalString.refine(
    (value) => value === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(value),
    'must look like 123456789:AA... (from @BotFather)',
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine(
    (value) => value === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(value),
    'must be 16 to 256 characters of A-Z a-z 0-9 _ -',
  ),
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  TELEGRAM_API_ROOT: url('http://127.0.0.1:8081'),
  ZALO_OA_APP_ID: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_APP_SECRET: optionalString,
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_OA_API_URL: url('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: url('https://oauth.zaloapp.com'),
  ZALO_PERSONAL_CREDENTIALS: optionalString,
  OUTBOUND_RATE_LIMITS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseRateLimits(value);
      if ('limits' in parsed) return parsed.limits;
      for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }),
  POPULATION_REGISTRY: z
    .string()
    .default('file:data/population-sample.csv')
    .refine(
      (value) => /^file:.+\.csv$/i.test(value) || /^https?:\/\/\S+$/.test(value),
      'must be file:PATH.csv or an https:// URL of the registry connector',
    ),
  POPULATION_REGISTRY_TOKEN: optionalString,
  DOCUMENT_SIGNING_KEY: optionalString.refine(
    (value) => value === undefined || value.startsWith('-----BEGIN') || /^[A-Za-z0-9+/=\s]+$/.test(value),
    'must be an Ed25519 private key: PKCS#8 PEM, or its DER in base64 (openssl genpkey -algorithm ed25519)',
  ),
  DOCUMENT_RETIRED_PUBLIC_KEYS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const keys = value.split(/[\s,]+/).filter(Boolean);
      const bad = keys.findIndex((key) => !isRawEd25519PublicKey(key));
      if (bad !== -1) {
        ctx.addIssue({
          code: 'custom',
          message: `key ${bad + 1} must be the public key "x" of an earlier signing key as /.well-known/document-signing-key shows it (43 base64url characters)`,
        });
        return z.NEVER;
      }
      return keys;
    }),
  FILES_DIR: optionalString,
  FILES_STORE: filesStore,
  S3_ENDPOINT: url('http://127.0.0.1:9000'),
  AWS_REGION: z
    .string()
    .trim()
    .default('us-east-1')
    .transform((value) => value || 'us-east-1')
    .refine((value) => /^[a-z0-9-]{2,32}$/.test(value), 'must be a region name such as us-east-1'),
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  QUIET_HOURS: z
    .string()
    .default('21:00-07:00')
    .transform((value, ctx) => {
      const parsed = parseQuietHours(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  TRUST_PROXY: optionalString.refine(
    (value) => value === undefined || /^(true|false|\d+|[\d.:/a-fA-F, ]+)$/.test(value),
    'must be true, a number of proxies, or a comma-separated list of addresses/CIDRs',
  ),
  SHARE_PLACE_HEADER: optionalString.refine(
    (value) => value === undefined || /^[A-Za-z0-9-]+$/.test(value),
    'must be an HTTP header name such as cf-ipcity',
  ),
  CONVERSATION_TTL_SECONDS: z.coerce.number().int().min(60).default(1800),
  /** How long a neighbour has to agree to an assisted registration (DKH) before nothing is created. */
  ASSISTED_CONSENT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, 'letters, digits, _ - { } only')
    .default('dcz'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Rules across variables, checked on the raw environment so they are reported with every other problem. */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  const together = (channel: string, names: string[]) => {
    if (!names.some(set)) return;
    for (const name of names.filter((n) => !set(n))) {
      problems.push(`${name}: is required when the ${channel} channel is configured`);
    }
  };
  together('Twilio', ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
  together('SMS gateway', ['SMS_GATEWAY_URL', 'SMS_GATEWAY_SECRET']);
  together('Zalo OA', [
    'ZALO_OA_APP_ID',
    'ZALO_OA_SECRET_KEY',
    'ZALO_OA_APP_SECRET',
    'ZALO_OA_REFRESH_TOKEN',
  ]);
  if (
    set('TELEGRAM_BOT_TOKEN') &&
    (env.TELEGRAM_MODE ?? 'webhook') === 'webhook' &&
    !set('TELEGRAM_WEBHOOK_SECRET')
  ) {
    problems.push(
      'TELEGRAM_WEBHOOK_SECRET: is required for the Telegram webhook (or set TELEGRAM_MODE=polling)',
    );
  }
  const s3 = /^s3:\/\//.test((env.FILES_STORE ?? '').trim());
  if (s3) {
    const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
    if (keys.some(set)) {
      for (const name of keys.filter((n) => !set(n))) {
        problems.push(
          `${name}: is required with the other S3 key (or set neither, for the SDK's default chain)`,
        );
      }
    }
    if (set('FILES_DIR'))
      problems.push('FILES_DIR: is not used when FILES_STORE is s3://...; unset one of them');
  } else {
    if (set('FILES_STORE') && set('FILES_DIR')) {
      problems.push('FILES_DIR: FILES_STORE already names the directory of the files; set only one of them');
    }
    if (set('S3_ENDPOINT')) problems.push('S3_ENDPOINT: is only used with FILES_STORE=s3://bucket[/prefix]');
  }
  if (env.NODE_ENV === 'production') {
    for (const name of ['DATA_ENCRYPTION_KEY', 'DOCUMENT_SIGNING_KEY'].filter((n) => !set(n))) {
      problems.push(`${name}: is required in production`);
    }
  }
  return problems;
}

/** The validated configuration of the service, read once from the environment. */
export type Config = z.infer<typeof EnvSchema>;

/** Thrown when the environment is invalid; `message` lists every bad variable, one per line. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads and validates the configuration. Never logs values: secrets and personal data may be in there.
 * @throws ConfigError listing each invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new ConfigError(problems);
}
