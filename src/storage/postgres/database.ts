import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** The result of one statement. */
export interface SqlResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** Runs SQL. The same statements run on PostgreSQL and on the embedded PGlite. */
export interface Sql {
  /** One statement with `$1`-style parameters. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** An open database: queries, transactions, and what it runs on. */
export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in a transaction; commits when it resolves, rolls back when it throws. Use only `tx` inside. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a UUID: ids are checked before a query, as PostgreSQL refuses a malformed uuid. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

// bigint columns (bigserial ids, counts) come back as JS numbers, as they do from PGlite.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/**
 * Opens PostgreSQL at `url`, or, when `url` is undefined, an embedded PGlite database in `dataDir`
 * (`memory://` for a throwaway one). Only one process may open a PGlite directory at a time.
 *
 * PGlite is driven through its own API rather than its node-postgres adapter: with PGlite 0.5.16 that adapter
 * loses its connection after any SQL error (a unique violation, say), which our code meets in normal operation.
 */
export async function openDatabase(options: {
  url?: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}

/** How long opening a PostgreSQL connection may take before it fails (a transient error: 503, or a retried job). */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5000;

/** The listener of a checked-out client's 'error' event: see `transaction` in {@link openPostgres}. */
function ignoreLostConnection(): void {}

function openPostgres(url: string): Database {
  // A server that accepts connections but does not answer (frozen, overloaded) fails a new connection after
  // POSTGRES_CONNECT_TIMEOUT_MS instead of holding the request forever: webhooks answer 503 and providers retry.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it, and /readyz reports outages.
  });
  const over = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await client.query(text, params === undefined ? undefined : [...params]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(script) {
      await client.query(script);
    },
  });
  return {
    kind: 'postgres',
    ...over(pool),
    async transaction(work) {
      const client = await pool.connect();
      // A connection lost while the client is checked out and between two queries (PostgreSQL stopping ends every
      // session) is an 'error' event, which without a listener ends the whole process; the pool listens only to
      // idle clients. The next query then fails (an outage, retried) and the pool drops the dead client.
      client.on('error', ignoreLostConnection);
      try {
        await client.query('BEGIN');
        const result = await work(over(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', ignoreLostConnection);
        client.release();
      }
    },
    close: once(() => pool.end()),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const over = (target: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await target.query<R>(text, params === undefined ? undefined : [...params]);
      // PGlite counts only changed rows in affectedRows (0 for a SELECT); pg counts returned rows too.
      return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
    async exec(script) {
      await target.exec(script);
    },
  });
  return {
    kind: 'pglite',
    ...over(db),
    transaction: (work) => db.transaction((tx) => work(over(tx))),
    close: once(() => db.close()),
  };
}

/** Makes closing idempotent: the second call waits for the first. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies the numbered SQL files of `migrations/` that have not run yet, in one transaction, under an advisory
 * lock so several processes starting together apply each file once. Returns the versions applied.
 */
export async function migrate(db: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}-.+\.sql$/.test(f)).sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: string[] = [];
    for (const file of files) {
      const version = file.slice(0, 3);
      if (done.has(version)) continue;
      await tx.exec(await readFile(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      applied.push(version);
    }
    return applied;
  });
}
