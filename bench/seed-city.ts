/**
 * Fills a database with a city: citizens (with the SMS contact that `TT` from their phone finds), papers
 * (`documents` rows) and dossiers (each with its first history entry), written as the repositories of
 * src/storage/postgres write them (personal fields sealed with the DATA_ENCRYPTION_KEY the service gets, keyed
 * hashes for lookups), through `COPY ... FROM STDIN` in batches. Secondary indexes, unique constraints and
 * foreign keys of the loaded tables are dropped for the load and re-created after it (`--keep-indexes` loads
 * with them in place, to compare), then the tables are vacuumed and analysed.
 *
 * Everything is a function of the row's index, so a benchmark knows without asking the database which phone has
 * which account, papers and dossiers: see {@link cityPhone}, {@link papersOf}, {@link dossiersOf}.
 *
 *     DATABASE_URL=postgres://… DATA_ENCRYPTION_KEY=… npx tsx bench/seed-city.ts \
 *       --citizens 1200000 --papers 3000000 --dossiers 2000000
 *
 * Seeded rows have no audit-log or consent rows, and their papers no stored file (only the papers a benchmark
 * uploads through the agency API have one). Used by bench/scenarios/city-scale.ts.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { agencyNameKey } from '../src/domain/agencies/agency.ts';
import { hashAgencyApiKey } from '../src/domain/agencies/api-key.ts';
import { ACCOUNT_CODE_ALPHABET } from '../src/domain/citizens/account-code.ts';
import { DOSSIER_STATUSES } from '../src/domain/dossiers/dossier.ts';
import { createDataCipher, type DataCipher } from '../src/shared/crypto.ts';
import { migrate, openDatabase } from '../src/storage/postgres/database.ts';

/** How big a city to seed. */
export interface CitySizes {
  readonly citizens: number;
  readonly papers: number;
  readonly dossiers: number;
}

/** A seeded agency and the API key that acts for it. */
export interface SeededAgency {
  readonly id: string;
  readonly code: string;
  readonly apiKey: string;
}

/** How long each table took. */
export interface TableLoad {
  readonly table: string;
  readonly rows: number;
  readonly seconds: number;
}

/** What {@link seedCity} did. */
export interface SeedResult {
  readonly sizes: CitySizes;
  readonly agencies: readonly SeededAgency[];
  readonly loads: readonly TableLoad[];
  /** Re-creating the dropped indexes and constraints (0 with `keepIndexes`). */
  readonly indexSeconds: number;
  /** `VACUUM (ANALYZE)` of the loaded tables. */
  readonly analyzeSeconds: number;
  /** From the first COPY to the end of ANALYZE. */
  readonly totalSeconds: number;
  /** Every row written (citizens, contacts, papers, dossiers, dossier events) per second of `totalSeconds`. */
  readonly rowsPerSecond: number;
}

/** The SMS channel whose contacts are seeded (the one bench/lib/stack.ts configures). */
export const CITY_SMS_CHANNEL = 'sms-gateway';

/** Rows per chunk written into a COPY stream. */
const BATCH = 5000;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);

/** The phone of citizen `i` (E.164, distinct for i < 9,000,000). */
export const cityPhone = (i: number) => `+8490${String(1_000_000 + i).padStart(7, '0')}`;

/** A deterministic, well spread UUID for row `i` of a table (`tag` keeps tables apart). */
function uuidOf(tag: number, i: number): string {
  const spread = (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(tag, 0x85ebca6b)) >>> 0;
  return `${spread.toString(16).padStart(8, '0')}-${tag.toString(16).padStart(4, '0')}-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** Citizen `i`'s account id. */
export const cityCitizenId = (i: number) => uuidOf(1, i);
/** Whether citizen `i` is verified by the registry (four in five; the rest are still provisional). */
export const cityCitizenVerified = (i: number) => i % 5 !== 0;
/** Paper `j`'s id. */
export const cityPaperId = (j: number) => uuidOf(2, j);
/** Dossier `j`'s id. */
export const cityDossierId = (j: number) => uuidOf(3, j);
/** Dossier `j`'s code (normal form: upper case). */
export const cityDossierCode = (j: number) => `000.00.20.H17-SEED-${String(j).padStart(8, '0')}`;

/**
 * The first and past-the-last index of the `total` rows shared out among `citizens`, for citizen `i`: every
 * citizen gets the floor or the ceiling of the average (papers 2-3 and dossiers 1-2 at the sizes).
 */
function rangeOf(i: number, total: number, citizens: number): [number, number] {
  const each = total / citizens;
  return [Math.floor(i * each), Math.floor((i + 1) * each)];
}

/** Citizen `i`'s papers: indexes `[first, end)`. */
export const papersOf = (sizes: CitySizes, i: number) => rangeOf(i, sizes.papers, sizes.citizens);
/** Citizen `i`'s dossiers: indexes `[first, end)`. */
export const dossiersOf = (sizes: CitySizes, i: number) => rangeOf(i, sizes.dossiers, sizes.citizens);

/** The citizen that owns row `j` of `total` shared out as {@link rangeOf} does. */
function ownerOf(j: number, total: number, citizens: number): number {
  let i = Math.floor((j * citizens) / total);
  while (rangeOf(i, total, citizens)[0] > j) i -= 1;
  while (rangeOf(i, total, citizens)[1] <= j) i += 1;
  return i;
}

/** The citizen (index) that dossier `j` belongs to. */
export const dossierOwner = (sizes: CitySizes, j: number) => ownerOf(j, sizes.dossiers, sizes.citizens);

/** The procedure dossier `j` was seeded with. */
export const seededDossierProcedure = (j: number) => pick(PROCEDURES, j);

/** The status dossier `j` was seeded with. */
export const seededDossierStatus = (j: number) => pick(DOSSIER_STATUSES, j >> 2);

/** The agency of paper or dossier `j`. */
export const agencyOf = (agencies: readonly SeededAgency[], j: number) => agencies[j % agencies.length];

/** An 8-character account code, distinct for every `i` (a bijection of i scattered over the code space). */
function accountCodeOf(i: number): string {
  // 0x5851f42d is odd, so multiplying by it modulo 2^40 is a bijection of [0, 2^40) = 32^8 codes.
  let n = (BigInt(i) * 0x5851f42dn + 0x1234567n) & 0xff_ffff_ffffn;
  let code = '';
  for (let k = 0; k < 8; k += 1) {
    code = ACCOUNT_CODE_ALPHABET.charAt(Number(n & 31n)) + code;
    n >>= 5n;
  }
  return code;
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức', 'Thanh', 'Hữu', 'Quốc'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Hà',
  'Hùng',
  'Lan',
  'Linh',
  'Mai',
  'Nam',
  'Phúc',
  'Quân',
  'Thảo',
];
const PAPER_TYPES = [
  ['KHAISINH', 'Giấy khai sinh'],
  ['CCCD', 'Căn cước công dân'],
  ['HOKHAU', 'Xác nhận thông tin cư trú'],
  ['KETHON', 'Giấy chứng nhận kết hôn'],
  ['BANGLAI', 'Giấy phép lái xe'],
] as const;
const PROCEDURES = [
  'Đăng ký khai sinh',
  'Cấp đổi căn cước',
  'Đăng ký thường trú',
  'Xác nhận tình trạng hôn nhân',
];
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const stamp = (ms: number) => new Date(ms).toISOString();

/** A value in COPY's text format (`\N` for null; backslash, tab and line breaks escaped). */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
    : text;
}
const line = (values: readonly (string | number | boolean | null)[]) => `${values.map(field).join('\t')}\n`;

/** One table's rows, by index. */
interface TableSpec {
  readonly table: string;
  readonly columns: readonly string[];
  readonly count: number;
  row(i: number): string;
}

function tables(sizes: CitySizes, cipher: DataCipher, agencies: readonly SeededAgency[]): TableSpec[] {
  const seal = (text: string) => cipher.encrypt(text);
  // Sealing (AES-GCM) is most of the load's work: a name or birth date shared by many citizens is sealed once
  // (it still decrypts to the same text), and the contact's address reuses its citizen's sealed phone.
  const sealedOnce = new Map<string, string>();
  const sealShared = (text: string) => {
    let sealed = sealedOnce.get(text);
    if (sealed === undefined) {
      sealed = seal(text);
      sealedOnce.set(text, sealed);
    }
    return sealed;
  };
  const sealedPhones: string[] = new Array(sizes.citizens);
  const createdAt = (i: number) => NOW - ((i * 7919) % (3 * 365)) * DAY_MS;
  return [
    {
      table: 'citizens',
      columns: [
        'id',
        'account_code',
        'phone_hash',
        'phone_enc',
        'cccd_hash',
        'cccd_enc',
        'full_name_enc',
        'birth_date_enc',
        'status',
        'created_via',
        'created_by_ref',
        'created_at',
        'verified_at',
        'checked_at',
      ],
      count: sizes.citizens,
      row(i) {
        const phone = cityPhone(i);
        const cccd = `0${String(48 + (i % 50)).padStart(2, '0')}${String(i).padStart(9, '0')}`;
        const name = `${pick(SURNAMES, i)} ${pick(MIDDLE, i >> 3)} ${pick(GIVEN, i >> 6)}`;
        const born = day(Date.UTC(1950, 0, 1) + ((i * 104_729) % 20_000) * DAY_MS);
        const verified = cityCitizenVerified(i);
        const at = createdAt(i);
        const sealedPhone = seal(phone);
        sealedPhones[i] = sealedPhone;
        return line([
          cityCitizenId(i),
          accountCodeOf(i),
          cipher.keyedHash('phone', phone),
          sealedPhone,
          cipher.keyedHash('cccd', cccd),
          seal(cccd),
          sealShared(name),
          sealShared(born),
          verified ? 'verified' : 'provisional',
          CITY_SMS_CHANNEL,
          `seed:${i}`,
          stamp(at),
          verified ? stamp(at + 3_600_000) : null,
          verified ? stamp(at + 3_600_000) : null,
        ]);
      },
    },
    {
      table: 'contacts',
      columns: [
        'channel',
        'address_hash',
        'address_enc',
        'language',
        'citizen_id',
        'linked_at',
        'last_inbound_at',
        'created_at',
      ],
      count: sizes.citizens,
      row(i) {
        const phone = cityPhone(i);
        const at = stamp(createdAt(i));
        return line([
          CITY_SMS_CHANNEL,
          cipher.keyedHash('address', `${CITY_SMS_CHANNEL}:${phone}`),
          sealedPhones[i] ?? seal(phone),
          i % 20 === 0 ? 'en' : 'vi',
          cityCitizenId(i),
          at,
          at,
          at,
        ]);
      },
    },
    {
      table: 'documents',
      columns: [
        'id',
        'citizen_id',
        'agency_id',
        'number_hash',
        'number_enc',
        'type_code',
        'title',
        'issued_at',
        'expires_at',
        'content_type',
        'size_bytes',
        'sha256',
        'file_key',
        'signature',
        'signing_key_id',
        'created_at',
      ],
      count: sizes.papers,
      row(j) {
        const owner = ownerOf(j, sizes.papers, sizes.citizens);
        const number = `SEED/${j}`;
        const [typeCode, title] = pick(PAPER_TYPES, j);
        const issued = createdAt(owner) + (j % 30) * DAY_MS;
        // No file behind a seeded paper: its digest and signature are stand-ins of the right shape.
        const numberHash = cipher.keyedHash('document-number', number);
        return line([
          cityPaperId(j),
          cityCitizenId(owner),
          agencyOf(agencies, j)?.id ?? null,
          numberHash,
          seal(number),
          typeCode,
          title,
          day(issued),
          typeCode === 'CCCD' ? day(issued + 15 * 365 * DAY_MS) : null,
          'application/pdf',
          20_000 + (j % 200_000),
          numberHash,
          `seed/${cityPaperId(j)}`,
          Buffer.from(numberHash + numberHash, 'hex').toString('base64url'),
          'seed',
          stamp(issued),
        ]);
      },
    },
    {
      table: 'dossiers',
      columns: [
        'id',
        'code',
        'agency_id',
        'citizen_id',
        'procedure',
        'status',
        'expected_at',
        'last_seq',
        'created_at',
        'updated_at',
        'notified_seq',
        'notified_at',
      ],
      count: sizes.dossiers,
      row(j) {
        const owner = ownerOf(j, sizes.dossiers, sizes.citizens);
        const at = createdAt(owner) + (j % 60) * DAY_MS;
        return line([
          cityDossierId(j),
          cityDossierCode(j),
          agencyOf(agencies, j)?.id ?? null,
          cityCitizenId(owner),
          seededDossierProcedure(j),
          seededDossierStatus(j),
          day(at + 10 * DAY_MS),
          1,
          stamp(at),
          stamp(at),
          1,
          stamp(at),
        ]);
      },
    },
    {
      table: 'dossier_events',
      columns: ['dossier_id', 'seq', 'status', 'expected_at', 'at'],
      count: sizes.dossiers,
      row(j) {
        const owner = ownerOf(j, sizes.dossiers, sizes.citizens);
        const at = createdAt(owner) + (j % 60) * DAY_MS;
        return line([cityDossierId(j), 1, seededDossierStatus(j), day(at + 10 * DAY_MS), stamp(at)]);
      },
    },
  ];
}

/** Loads one table by COPY, a chunk of {@link BATCH} rows at a time, reporting progress about every 10%. */
async function copyTable(
  client: pg.Client,
  spec: TableSpec,
  progress: (text: string) => void,
): Promise<TableLoad> {
  const started = performance.now();
  const step = Math.max(BATCH, Math.ceil(spec.count / 10 / BATCH) * BATCH);
  async function* chunks() {
    for (let first = 0; first < spec.count; first += BATCH) {
      let chunk = '';
      const end = Math.min(spec.count, first + BATCH);
      for (let i = first; i < end; i += 1) chunk += spec.row(i);
      yield chunk;
      if (end % step === 0 || end === spec.count) {
        const seconds = (performance.now() - started) / 1000;
        progress(
          `${spec.table}: ${end.toLocaleString('en')}/${spec.count.toLocaleString('en')} rows, ${Math.round(end / seconds).toLocaleString('en')} rows/s`,
        );
      }
    }
  }
  const sql = `COPY ${spec.table} (${spec.columns.join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
  return { table: spec.table, rows: spec.count, seconds: (performance.now() - started) / 1000 };
}

/** The statements that re-create a table's unique constraints, foreign keys and secondary indexes. */
async function secondaryDefinitions(client: pg.Client, table: string) {
  const constraints = await client.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype IN ('u', 'f')`,
    [table],
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)`,
    [table],
  );
  return {
    drop: [
      ...constraints.rows.map((c) => `ALTER TABLE ${table} DROP CONSTRAINT ${c.name}`),
      ...indexes.rows.map((i) => `DROP INDEX ${i.name}`),
    ],
    create: [
      ...indexes.rows.map((i) => i.def),
      // Unique constraints before foreign keys (a key may reference one).
      ...constraints.rows
        .sort((a, b) => Number(a.def.startsWith('FOREIGN')) - Number(b.def.startsWith('FOREIGN')))
        .map((c) => `ALTER TABLE ${table} ADD CONSTRAINT ${c.name} ${c.def}`),
    ],
  };
}

/**
 * Creates `count` agencies (`SEED-1`…) with one API key each, as the admin API would (keyed hash of the key).
 * Each key is derived from the encryption key and the agency's code, so a re-run gives the same keys.
 */
async function seedAgencies(client: pg.Client, cipher: DataCipher, count: number): Promise<SeededAgency[]> {
  const agencies: SeededAgency[] = [];
  for (let k = 1; k <= count; k += 1) {
    const code = `SEED-${k}`;
    const name = `UBND phường Seed ${k}`;
    const apiKey = `dcz_ak_${Buffer.from(cipher.keyedHash('bench-agency-key', code), 'hex').toString('base64url')}`;
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO agencies (code, name, name_key) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [code, name, agencyNameKey(name)],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('agency insert returned no row');
    await client.query(
      'INSERT INTO agency_api_keys (agency_id, key_hash) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING',
      [id, hashAgencyApiKey(cipher, apiKey)],
    );
    agencies.push({ id, code, apiKey });
  }
  return agencies;
}

/**
 * Seeds a city into the database at `databaseUrl` (running the service's migrations first), with personal
 * fields sealed under `encryptionKey` (DATA_ENCRYPTION_KEY, base64). The city tables must hold no seeded rows
 * yet (a fresh database).
 */
export async function seedCity(options: {
  databaseUrl: string;
  encryptionKey: string;
  sizes: CitySizes;
  agencies?: number;
  keepIndexes?: boolean;
  progress?: (text: string) => void;
}): Promise<SeedResult> {
  const progress = options.progress ?? (() => undefined);
  const cipher = createDataCipher(Buffer.from(options.encryptionKey, 'base64'));
  const db = await openDatabase({ url: options.databaseUrl, dataDir: 'unused' });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const agencies = await seedAgencies(client, cipher, options.agencies ?? 20);
    const specs = tables(options.sizes, cipher, agencies);
    const started = performance.now();
    const rebuild: string[] = [];
    if (options.keepIndexes !== true) {
      for (const spec of specs) {
        const defs = await secondaryDefinitions(client, spec.table);
        for (const statement of defs.drop) await client.query(statement);
        rebuild.push(...defs.create);
      }
      // Dropped in table order; foreign keys come back after every unique constraint they may need.
      rebuild.sort((a, b) => Number(a.includes('FOREIGN KEY')) - Number(b.includes('FOREIGN KEY')));
    }
    await client.query("SET maintenance_work_mem = '256MB'");
    const loads: TableLoad[] = [];
    for (const spec of specs) loads.push(await copyTable(client, spec, progress));
    const indexStarted = performance.now();
    for (const statement of rebuild) await client.query(statement);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    if (rebuild.length > 0) progress(`indexes and constraints re-created in ${indexSeconds.toFixed(1)} s`);
    const analyzeStarted = performance.now();
    // VACUUM as well: hint bits and the visibility map set now, not by autovacuum in the middle of a measurement.
    await client.query(`VACUUM (ANALYZE) ${specs.map((s) => s.table).join(', ')}`);
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    const totalSeconds = (performance.now() - started) / 1000;
    const rows = loads.reduce((sum, load) => sum + load.rows, 0);
    return {
      sizes: options.sizes,
      agencies,
      loads,
      indexSeconds,
      analyzeSeconds,
      totalSeconds,
      rowsPerSecond: rows / totalSeconds,
    };
  } finally {
    await client.end();
  }
}

/** `npx tsx bench/seed-city.ts --citizens N --papers N --dossiers N [--agencies N] [--keep-indexes]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      citizens: { type: 'string', default: '1200000' },
      papers: { type: 'string', default: '3000000' },
      dossiers: { type: 'string', default: '2000000' },
      agencies: { type: 'string', default: '20' },
      'keep-indexes': { type: 'boolean', default: false },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  const encryptionKey = process.env.DATA_ENCRYPTION_KEY;
  if (!databaseUrl || !encryptionKey) {
    process.stderr.write('DATABASE_URL and DATA_ENCRYPTION_KEY (the service’s, base64) are required\n');
    process.exit(2);
  }
  const sizes = {
    citizens: Number(values.citizens),
    papers: Number(values.papers),
    dossiers: Number(values.dossiers),
  };
  if (!Object.values(sizes).every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('--citizens, --papers and --dossiers must be positive whole numbers\n');
    process.exit(2);
  }
  const result = await seedCity({
    databaseUrl,
    encryptionKey,
    sizes,
    agencies: Number(values.agencies),
    keepIndexes: values['keep-indexes'],
    progress: (text) => process.stdout.write(`${text}\n`),
  });
  for (const load of result.loads) {
    process.stdout.write(
      `${load.table.padEnd(15)} ${load.rows.toLocaleString('en').padStart(10)} rows in ${load.seconds.toFixed(1)} s (${Math.round(load.rows / load.seconds).toLocaleString('en')} rows/s)\n`,
    );
  }
  process.stdout.write(
    `total ${result.totalSeconds.toFixed(1)} s (indexes ${result.indexSeconds.toFixed(1)} s, vacuum and analyze ${result.analyzeSeconds.toFixed(1)} s): ${Math.round(result.rowsPerSecond).toLocaleString('en')} rows/s\n`,
  );
  for (const agency of result.agencies.slice(0, 1)) {
    process.stdout.write(
      `agency ${agency.code}: API key ${agency.apiKey} (derived from DATA_ENCRYPTION_KEY)\n`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
