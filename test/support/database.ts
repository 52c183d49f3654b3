import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Engine } from '../../src/data/database.js';
import { withDatabase } from './engines.js';

export function testEngine(): Engine {
  const engine = process.env['KEYLINE_TEST_ENGINE'];
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error('KEYLINE_TEST_ENGINE must be pglite or postgres');
  return engine;
}

/** A fresh, migrated database of the engine under test: restored from the snapshot or copied from the template. */
export async function openTestDatabase(): Promise<Database & { url: string | null }> {
  if (testEngine() === 'pglite') {
    const snapshot = await fs.readFile(inject('pgliteSnapshot'));
    const database = await openDatabase({ loadDataDir: new Blob([snapshot]) });
    return { ...database, url: null };
  }
  const template = inject('postgresTemplate');
  const adminUrl = inject('postgresAdminUrl');
  const name = `${template.replace('keyline_tpl_', 'keyline_tf_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url });
  return { ...database, url };
}
