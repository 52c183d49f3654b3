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

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
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
  return { db, engine: 'pglite', close: () => db.destroy(), dumpDataDir: () => pglite.dumpDataDir('none') };
}
