import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  /**
   * For writes that may be lost in a database crash without harm, because the next request makes
   * them again (an installation's check-in record, rate-limit counters): on PostgreSQL its commits
   * do not wait for the disk (synchronous_commit off), so hot rows are locked for microseconds
   * instead of a disk flush. Seats, orders and everything else go through `db`.
   */
  relaxed: Kysely<DB>;
  engine: Engine;
  close(): Promise<void>;
  /** PGlite only: the data folder as a tarball, to restore with `loadDataDir`. */
  dumpDataDir?: () => Promise<Blob>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Counts come back as int8; both engines hand them out as JS numbers so code never sees strings.
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

export interface DatabaseOptions {
  /** A postgres:// URL; unset means embedded PGlite. */
  url?: string | undefined;
  /** PGlite data folder; unset (with no url) means in memory. */
  dataDir?: string | undefined;
  /** PGlite: a tarball of a data folder to start from (tests restore a migrated snapshot). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

/**
 * A pool that outlives its database server's restarts. node-postgres emits 'error' on a client
 * whose connection broke, idle in the pool or checked out; unheard, that event ends the process.
 * The queries that were running on it fail with the same error and the pool drops the client, so
 * there is nothing more to do with the event than to hear it: the next query connects anew.
 * Waiting for a connection is bounded, so while the server is away requests fail in seconds
 * (as 503) instead of queueing forever.
 */
function survivingPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ connectionTimeoutMillis: 5000, keepAlive: true, ...config });
  const ignore = () => {};
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const size = options.poolSize ?? 10;
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: survivingPool({ connectionString: options.url, max: size }) }) });
    const relaxed = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: survivingPool({ connectionString: options.url, max: Math.max(1, Math.ceil(size / 2)), options: '-c synchronous_commit=off' }),
      }),
    });
    return { db, relaxed, engine: 'postgres', close: async () => void (await Promise.all([db.destroy(), relaxed.destroy()])) };
  }
  if (options.dataDir) await fs.mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // Extensions the migrations create; PostgreSQL ships them as contrib.
    extensions: { pg_trgm },
    parsers: { [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  // One embedded session serves both: PGlite has no server-side flush to skip.
  return { db, relaxed: db, engine: 'pglite', close: () => db.destroy(), dumpDataDir: () => pglite.dumpDataDir('none') };
}
